from django.urls import path

from zhibu.urls import handler500  # noqa: F401
from zhibu.urls import urlpatterns as site_patterns


def boom(request):
    raise RuntimeError("test failure")


urlpatterns = [path("boom/", boom), *site_patterns]
