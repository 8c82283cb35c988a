import pytest
from django.core.exceptions import ImproperlyConfigured

from zhibu.audit.models import AuditEntry
from zhibu.core import auditlog, hooks
from zhibu.orgs import roster


def test_unknown_hook_names_are_refused():
    with pytest.raises(ValueError):
        hooks.provide("no_such_question", lambda: None)
    with pytest.raises(ValueError):
        hooks.answers("no_such_question")


def test_one_wants_exactly_one_provider():
    saved = list(hooks._providers[hooks.AUDIT_LOG])
    hooks._providers[hooks.AUDIT_LOG].clear()
    try:
        with pytest.raises(ImproperlyConfigured):
            auditlog.log(actor=None, verb="org.create")
    finally:
        hooks._providers[hooks.AUDIT_LOG][:] = saved


def test_answers_collects_every_provider_once():
    def first(actor, action, org):
        return {1}

    def second(actor, action, org):
        return {2}

    saved = list(hooks._providers[hooks.MEMBERS_LEAVING])
    hooks._providers[hooks.MEMBERS_LEAVING].clear()
    try:
        hooks.provide(hooks.MEMBERS_LEAVING, first)
        hooks.provide(hooks.MEMBERS_LEAVING, first)
        hooks.provide(hooks.MEMBERS_LEAVING, second)
        assert hooks.answers(hooks.MEMBERS_LEAVING, None, "view", None) == [{1}, {2}]
        hooks.withdraw(hooks.MEMBERS_LEAVING, first)
        assert hooks.answers(hooks.MEMBERS_LEAVING, None, "view", None) == [{2}]
    finally:
        hooks._providers[hooks.MEMBERS_LEAVING][:] = saved


def test_the_audit_app_writes_what_orgs_logs(db):
    entry = auditlog.log(
        actor=None, verb="org.update", detail=auditlog.changes({"name": "甲"}, {"name": "乙"})
    )
    assert AuditEntry.objects.get() == entry
    assert entry.detail == {"name": ["甲", "乙"]}


def test_orgs_refuses_to_read_an_unregistered_roster():
    saved = list(roster._registered)
    roster._registered.clear()
    try:
        with pytest.raises(ImproperlyConfigured):
            roster.roster()
    finally:
        roster._registered[:] = saved
