"""Writers of stored lights side by side on PostgreSQL: real threads, each with its own connection and its own
transactions. (SQLite has one writer at a time: nothing to race.)"""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks.signals import task_enqueued

from zhibu.records import services as records
from zhibu.records.models import Activity
from zhibu.rules import engine, services
from zhibu.rules.models import MonthLight, Requirement
from zhibu.testing import factories as f

from .conftest import IMMEDIATE

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and concurrent writers: PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WAIT = 20  # seconds before a stuck thread fails the test instead of hanging it


class Worker(threading.Thread):
    """Runs `target` in its own thread and connection; keeps its exception for the test to raise."""

    def __init__(self, name, target):
        super().__init__(name=name, daemon=True)
        self.target_fn, self.error, self.result = target, None, None

    def run(self):
        try:
            self.result = self.target_fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            self.error = exc
        finally:
            connection.close()

    def finish(self):
        self.join(WAIT)
        assert not self.is_alive(), f"{self.name} did not finish"
        if self.error is not None:
            raise self.error


def _stored(org, year: int, month: int):
    return (
        MonthLight.objects.unscoped()
        .filter(org=org, year=year, month=month)
        .values_list("items", flat=True)
        .get()
    )


def test_record_saved_while_a_subtree_relight_runs_is_kept_and_lit(tree, settings, monkeypatch):
    settings.TASKS = IMMEDIATE
    theme_day = Requirement.objects.unscoped().get(code="ZB-07", owner=None).pk
    for i in range(5):
        f.make_org(f"extra-{i}", f"附加党支部{i}", parent=tree.district)
    services.relight(tree.district.path, {2022})
    before = [row for row in _stored(tree.a, 2022, 5) if row[0] == theme_day]
    assert [row[1:4] for row in before] == [["unmet", 0, 1]]

    evaluated, release = threading.Event(), threading.Event()
    real_evaluate = engine.evaluate

    def slow_evaluate(*args, **kwargs):
        result = real_evaluate(*args, **kwargs)
        if threading.current_thread().name == "relight":  # the subtree relight has read the records: hold it
            evaluated.set()
            assert release.wait(WAIT)
        return result

    monkeypatch.setattr(engine, "evaluate", slow_evaluate)

    enqueued = []

    def on_enqueued(sender, task_result, **kwargs):
        enqueued.append((threading.current_thread().name, task_result.task.name, task_result.args))

    task_enqueued.connect(on_enqueued)
    relight = Worker("relight", lambda: services.relight(tree.district.path, {2022}))
    relight.start()
    assert evaluated.wait(WAIT)

    starts = timezone.make_aware(datetime.combine(date(2022, 5, 10), time(14, 0)))

    def save_record():
        return records.activity_record(
            actor=tree.users.sec_a,
            org=tree.a,
            kind=f.kind("theme-day"),
            topic="五月主题党日",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            attendance={tree.members.sec_a.pk: ("present", "")},
        )

    secretary = Worker("secretary", save_record)
    secretary.start()
    # the record commits while the relight still holds the subtree (its evaluation predates the record)
    for _ in range(WAIT * 10):
        if Activity.objects.unscoped().filter(topic="五月主题党日").exists():
            break
        threading.Event().wait(0.1)
    assert Activity.objects.unscoped().filter(topic="五月主题党日").exists()
    release.set()
    relight.finish()
    secretary.finish()
    task_enqueued.disconnect(on_enqueued)

    # the secretary's request did not wait for the relight: its on-commit relight found the branch held and
    # left the work to a task (run at once here; by `zhibu worker` in production)
    assert enqueued == [("secretary", "relight_records", [tree.a.pk, [[2022, 5]]])]

    assert secretary.result.pk == Activity.objects.unscoped().get(topic="五月主题党日").pk
    after = [row for row in _stored(tree.a, 2022, 5) if row[0] == theme_day]
    assert [row[1:4] for row in after] == [["late", 1, 1]]  # entered years after: on record, but late
    fresh = real_evaluate(tree.a.path, 2022)[tree.a.pk][4]
    assert _stored(tree.a, 2022, 5) == [i.as_row() for i in fresh.items]
    assert MonthLight.objects.unscoped().filter(org=tree.a, year=2022).count() == 12


def test_several_first_views_of_a_year_store_it_once(tree):
    for i in range(5):
        f.make_org(f"extra-{i}", f"附加党支部{i}", parent=tree.district)
    f.make_activity(tree.a, "theme-day", date(2021, 3, 10))
    start = threading.Barrier(4, timeout=WAIT)

    def store():
        start.wait()
        return services.store_missing(tree.district.path, 2021)

    workers = [Worker(f"viewer-{n}", store) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.finish()
    # the first stored the seven branches, the others found nothing left to do
    assert sorted(w.result for w in workers) == [0, 0, 0, 7]
    assert MonthLight.objects.unscoped().filter(year=2021).count() == 7 * 12
    assert MonthLight.objects.unscoped().filter(year=2021, org=tree.a, month=3).get().base == "yellow"


def test_lights_table_has_room_for_updates_and_its_own_vacuum_thresholds():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'rules_monthlight'")
        options = set(cursor.fetchone()[0])
    assert options == {
        "fillfactor=70",
        "autovacuum_vacuum_scale_factor=0.02",
        "autovacuum_vacuum_threshold=2000",
        "autovacuum_analyze_scale_factor=0.02",
        "autovacuum_analyze_threshold=2000",
    }
