"""Navigation built from what each app declares (AppConfig.nav) and what the user may do."""

from __future__ import annotations

from django.apps import apps
from django.urls import reverse

from zhibu.orgs import scoping


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "nav", ()):
            if scoping.prefixes(user, entry["action"]):
                url = reverse(entry["url"])
                items.append({**entry, "href": url, "active": request.path.startswith(url) and url != "/"})
    items.sort(key=lambda e: e.get("order", 100))
    return {"nav_items": items, "home_org": scoping.home_org(user)}
