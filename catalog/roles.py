"""The three staff roles, kept as Django groups, and the server-side checks that enforce them."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

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
    """DRF permission: set `required_roles` on the view."""

    def has_permission(self, request, view) -> bool:
        return user_has_role(request.user, *getattr(view, "required_roles", ()))
