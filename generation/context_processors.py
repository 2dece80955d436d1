from generation.selectors import review_pending_count
from generation.services.jobs import DIVERSITY_MAX, DIVERSITY_MIN, MAX_PER_CATEGORY

SAMPLING_LIMITS = {"max_per_category": MAX_PER_CATEGORY, "diversity_min": DIVERSITY_MIN, "diversity_max": DIVERSITY_MAX}


def generation(request):
    """The top bar's pending-review count and the sampling limits the inline generate forms use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"review_pending": review_pending_count(), "sampling_limits": SAMPLING_LIMITS}
