"""The access rules, as core's own code reaches them.

The rules live in orgs.scoping, which builds on core's models and managers; core's scoped managers, navigation,
pages and command base ask them through this slot, which orgs fills when the apps are ready (OrgsConfig.ready).
Nothing else is ever installed here: the slot exists so that core does not import the app above it.
"""

from __future__ import annotations

from types import ModuleType

from django.core.exceptions import ImproperlyConfigured

_scoping: ModuleType | None = None


def install(scoping: ModuleType) -> None:
    global _scoping
    _scoping = scoping


def scoping():
    """orgs.scoping (q, prefixes, home_org, roles_of, get_org, SYSTEM, MissingActor …)."""
    if _scoping is None:
        raise ImproperlyConfigured("访问规则尚未加载（zhibu.orgs 未在 INSTALLED_APPS 中）。")
    return _scoping
