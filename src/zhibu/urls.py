"""Root URLs. Each zhibu app with a urls.py is mounted at its AppConfig.url_prefix (default: its label)."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.urls import include, path

from .api import api


def _app_urls():
    patterns = []
    for config in apps.get_app_configs():
        if not config.name.startswith("zhibu.") or config.label == "core":
            continue
        module = f"{config.name}.urls"
        if find_spec(module) is None:
            continue
        prefix = getattr(config, "url_prefix", f"{config.label}/")
        patterns.append(path(prefix, include((import_module(module).urlpatterns, config.label))))
    return patterns


urlpatterns = [
    path("api/v1/", api.urls),
    *_app_urls(),
    path("", include(("zhibu.core.urls", "core"))),
]

handler400 = "zhibu.core.errors.bad_request"
handler403 = "zhibu.core.errors.forbidden"
handler404 = "zhibu.core.errors.not_found"
handler500 = "zhibu.core.errors.server_error"
