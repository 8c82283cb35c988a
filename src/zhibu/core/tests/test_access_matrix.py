"""Every URL × every persona. A new view without a Case in its app's tests/access.py fails here."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from zhibu.testing.matrix import PERSONAS, Case

EXEMPT = {
    "core:healthz",  # load balancer probe, no data
    "accounts:login",  # the door itself
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",  # the API description and its root, no data
}


def _cases() -> list[Case]:
    cases: list[Case] = []
    for config in apps.get_app_configs():
        module = f"{config.name}.tests.access"
        if config.name.startswith("zhibu.") and find_spec(f"{config.name}.tests") and find_spec(module):
            cases.extend(import_module(module).ACCESS)
    return cases


CASES = _cases()


def _named_urls(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _named_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_has_a_case():
    covered = {case.name for case in CASES} | EXEMPT
    missing = sorted(name for name in _named_urls() if ":" in name and name not in covered)
    assert missing == [], f"URLs without an access case: {missing}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case: Case, tree, client):
    url = reverse(case.name, args=case.args(tree)) + (f"?{case.query}" if case.query else "")
    data = case.data(tree) if callable(case.data) else case.data
    api = case.name.startswith("api:")
    results = {}
    for persona in PERSONAS:
        # Each persona runs in a savepoint rolled back afterwards, so a write by one does not change the next.
        with transaction.atomic():
            client.logout()
            if persona != "anonymous":
                client.force_login(getattr(tree.users, persona))
            if case.method == "get":
                response = client.get(url)
            elif api:
                response = getattr(client, case.method)(url, data=data, content_type="application/json")
            else:
                response = getattr(client, case.method)(url, data=data)
            results[persona] = response.status_code
            transaction.set_rollback(True)
    problems = []
    for persona, status in results.items():
        if persona in case.allowed:
            if not (status < 400 or status in case.ok_status):
                problems.append(f"{persona} should be allowed, got {status}")
        elif persona == "anonymous":
            if status not in (302, 401):
                problems.append(f"anonymous should be sent to login, got {status}")
        elif status != 404:
            problems.append(f"{persona} should get 404, got {status}")
    assert problems == [], f"{case.id}: {problems}"
