from catalog import roles


def role_flags(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_edit_catalog": roles.user_has_role(user, roles.MERCHANDISER),
        "can_review": roles.user_has_role(user, roles.REVIEWER),
        "is_admin_role": roles.user_has_role(user, roles.ADMIN),
    }
