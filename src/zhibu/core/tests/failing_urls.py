from django.core.exceptions import PermissionDenied
from django.urls import path

from zhibu.urls import handler400, handler403, handler404, handler500  # noqa: F401
from zhibu.urls import urlpatterns as site_patterns


def boom(request):
    raise RuntimeError("test failure")


def refused(request):
    raise PermissionDenied


urlpatterns = [path("boom/", boom), path("refused/", refused), *site_patterns]
