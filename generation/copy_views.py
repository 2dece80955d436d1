"""Pages about product copy."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.selectors import categories_all
from generation.services.copy_grounding import HEALTH_SCAN_LIMIT, products_with_flagged_copy


@require_GET
def copy_health(request):
    """The catalog's products whose current title or description breaks a grounding rule."""
    try:
        category_id = int(request.GET.get("category") or 0) or None
    except ValueError:
        category_id = None
    flagged, checked = products_with_flagged_copy(category_id=category_id)
    return render(request, "generation/copy_health.html", {
        "flagged": flagged, "checked": checked, "scan_limit": HEALTH_SCAN_LIMIT, "categories": categories_all(),
        "category_id": category_id,
    })  # fmt: skip
