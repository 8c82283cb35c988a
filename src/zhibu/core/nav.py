"""Conditions for menu entries (AppConfig.nav "when"). Imported by apps.py modules, so it imports models late."""

from __future__ import annotations


def has_member_record(user) -> bool:
    """For menu entries about "my own" records: shown only to users linked to a roster entry."""
    cache = user.__dict__.setdefault("_zhibu_has_member", {})
    if "value" not in cache:
        from zhibu.people.models import Member

        cache["value"] = Member.objects.unscoped().filter(user_id=user.pk).exists()
    return cache["value"]
