"""
Who may do what with frameworks. Platform admins (``is_platform_admin``) prepare, import
and publish framework versions; every signed-in person reads the published and retired
ones.

This is the one place that says who a platform admin is: ``frameworks`` imports neither of
the other apps, so the check lives here and ``assessments.access`` re-exports it.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404


def is_platform_admin(user) -> bool:
    """
    A platform admin: an active account marked "platform admin" (``is_staff``), exactly
    whom the Django admin lets in. ``is_superuser`` alone is not enough, as there.
    """
    return user.is_authenticated and user.is_active and user.is_staff


def platform_admin_required(view):
    """Signed-in platform admins only; for everybody else the page does not exist (404)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_platform_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def get_framework_or_404(viewer, slug, version):
    """The framework version if the viewer may read it (drafts: platform admins); else 404."""
    from .models import Framework

    return get_object_or_404(Framework.objects.visible_to(viewer), slug=slug, version=version)


def get_framework_import_or_404(viewer, pk):
    """A background framework import, for platform admins (who alone import); else 404."""
    from .models import FrameworkImport

    if not is_platform_admin(viewer):
        raise Http404
    return get_object_or_404(FrameworkImport.objects.select_related("framework"), pk=pk)
