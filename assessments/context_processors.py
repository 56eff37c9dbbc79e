"""Template context shared by every page."""

from django.utils.functional import SimpleLazyObject


def roles(request):
    """
    ``my_roles``: the signed-in person's district roles (see ``User.role_set``), for the
    navigation. Read only when a template asks, and never for people without a district.
    """
    user = getattr(request, "user", None)

    def read():
        if user is None or not user.is_authenticated or user.district_id is None:
            return frozenset()
        return user.role_set()

    return {"my_roles": SimpleLazyObject(read)}
