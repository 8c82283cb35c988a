"""Navigation built from what each app declares (AppConfig.nav) and what the user may do."""

from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from . import access


def nav_entries() -> list[dict]:
    return [entry for config in apps.get_app_configs() for entry in getattr(config, "nav", ())]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for entry in nav_entries():
        if not access.scoping().prefixes(user, entry["action"]):
            continue
        if entry.get("when") and not entry["when"](user):
            continue
        try:
            url = reverse(entry["url"])
        except NoReverseMatch:  # an app still being built; core/tests checks every entry resolves
            continue
        items.append({**entry, "href": url, "active": request.path.startswith(url) and url != "/"})
    items.sort(key=lambda e: e.get("order", 100))
    return {"nav_items": items, "home_org": access.scoping().home_org(user)}
