"""The rules app follows the records' and the roster's announcements (core.events) after they commit."""

from __future__ import annotations

from datetime import date

from django.db import OperationalError

from zhibu.core import events
from zhibu.rules import services
from zhibu.rules.models import MonthLight, Requirement

from .helpers import rec


def _group_meetings(org, month: int) -> list:
    zb03 = Requirement.objects.unscoped().get(code="ZB-03", owner=None).pk
    items = MonthLight.objects.unscoped().get(org=org, year=2022, month=month).items
    return [row[1:4] for row in items if row[0] == zb03]


def test_a_group_meeting_relights_its_branch(tree):
    rec(tree.a, "theme-day", date(2022, 1, 10))
    rec(tree.a_group, "group-meeting", date(2022, 2, 10), refresh=False)
    assert _group_meetings(tree.a, 2) == [["unmet", 0, 1]]
    events.dispatch(events.Change(events.RECORDS, (tree.a_group.pk,), ((2022, 2),)))
    assert _group_meetings(tree.a, 2) == [["done", 1, 1]]
    assert services.branch_of(tree.a_group.pk) == tree.a


def test_a_busy_database_leaves_the_relight_to_a_task(tree, tasks_dummy, monkeypatch):
    def busy(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "lights_refresh", busy)
    monkeypatch.setattr(services, "lights_refresh_branch", busy)
    events.dispatch(events.Change(events.RECORDS, (tree.a.pk,), ((2022, 3), (2022, 4))))
    events.dispatch(events.Change(events.ROSTER, (tree.b.pk, tree.district.pk)))
    assert [(r.task.name, r.args) for r in tasks_dummy.results] == [
        ("relight_records", [tree.a.pk, [[2022, 3], [2022, 4]]]),
        ("relight_branch", [tree.b.pk]),
    ]  # a committee has no lights of its own: nothing for it


def test_unknown_kinds_are_refused():
    import pytest

    with pytest.raises(ValueError):
        events.announce("lights", org_ids=[1])
    with pytest.raises(ValueError):
        events.subscribe("lights", print)
