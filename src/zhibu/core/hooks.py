"""Questions a lower app asks and a higher app answers, registered by name (the import layers point one way).

An app low in the layers (orgs, people, dues) sometimes needs a fact kept higher up — which members have a
transfer letter outstanding, what else the member's page should show. It asks `answers(NAME, ...)`; the apps
that know register a provider with `provide(NAME, function)` in their AppConfig.ready(). Unlike core.events, the
answer comes back at once, inside the caller's transaction. `one(NAME, ...)` wants exactly one provider and
raises when there is none, so a missing registration fails loudly instead of answering nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# members of an organisation's subtree whose 组织关系介绍信 is issued and not yet received:
# provider(actor, action, org) -> set of member ids
MEMBERS_LEAVING = "members_leaving"
# extra panels for one member's dues page: provider(request, member, can_edit, bound) -> list of Panel
DUES_MEMBER_PANELS = "dues_member_panels"
# the audit log's writer: provider(*, actor, verb, target=None, detail=None, org_path=None) -> entry
AUDIT_LOG = "audit_log"
# parts of an organisation's home page: provider(actor, action, org, month_start, next_month) -> dict
ORG_DASHBOARD = "org_dashboard"
NAMES = frozenset({MEMBERS_LEAVING, DUES_MEMBER_PANELS, AUDIT_LOG, ORG_DASHBOARD})

_providers: dict[str, list[Callable[..., Any]]] = {name: [] for name in NAMES}


def provide(name: str, provider: Callable[..., Any]) -> None:
    """Register `provider` for the question `name` (registering twice is harmless)."""
    if name not in NAMES:
        raise ValueError(f"unknown hook {name!r}")
    if provider not in _providers[name]:
        _providers[name].append(provider)


def withdraw(name: str, provider: Callable[..., Any]) -> None:
    if provider in _providers.get(name, []):
        _providers[name].remove(provider)


def answers(name: str, *args, **kwargs) -> list[Any]:
    """Every provider's answer, in registration order."""
    if name not in NAMES:
        raise ValueError(f"unknown hook {name!r}")
    return [provider(*args, **kwargs) for provider in list(_providers[name])]


def one(name: str, *args, **kwargs) -> Any:
    """The answer of the one provider of `name`; ImproperlyConfigured when none or several are registered."""
    found = _providers.get(name, [])
    if len(found) != 1:
        raise ImproperlyConfigured(f"hook {name!r} needs exactly one provider, has {len(found)}")
    return found[0](*args, **kwargs)
