"""The three staff roles, kept as Django groups, and the server-side checks that enforce them."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

MERCHANDISER = "merchandiser"
REVIEWER = "reviewer"
ADMIN = "admin"
ALL_ROLES = (MERCHANDISER, REVIEWER, ADMIN)


def user_roles(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    # Cached on the user object: several checks per request cost one query.
    cached = getattr(user, "_retail_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        if user.is_superuser:
            names.add(ADMIN)
        cached = frozenset(names)
        user._retail_roles = cached
    return cached


def user_has_role(user, *roles: str) -> bool:
    """Admins may do everything; others need one of `roles`."""
    held = user_roles(user)
    return ADMIN in held or bool(held.intersection(roles))


def role_required(*roles: str):
    """View decorator: 403 for a signed-in user without one of `roles` (anonymous users are sent to log in
    by LoginRequiredMiddleware before the view runs)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not user_has_role(request.user, *roles):
                raise PermissionDenied(f"This needs the {' or '.join(roles)} role.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class HasRole(BasePermission):
    """DRF permission, the API's twin of role_required: reading needs a login (IsAuthenticated, the default);
    an action listed in the view's `action_roles` needs one of its roles, and any other write needs one of
    `write_roles`."""

    def has_permission(self, request, view) -> bool:
        needed = getattr(view, "action_roles", {}).get(getattr(view, "action", None))
        if needed is None:
            needed = () if request.method in SAFE_METHODS else getattr(view, "write_roles", (ADMIN,))
        return not needed or user_has_role(request.user, *needed)
