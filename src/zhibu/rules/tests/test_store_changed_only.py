"""Storing lights writes the rows that are new or changed, and only those (services.store, both databases)."""

from __future__ import annotations

from zhibu.rules import services
from zhibu.rules.models import MonthLight


def test_a_relight_writes_new_and_changed_rows_only(tree):
    first = services.relight(tree.district.path, {2022})
    stored = MonthLight.objects.unscoped().filter(year=2022)
    assert first == stored.count() == 24  # two branches, twelve months
    before = dict(stored.values_list("pk", "computed_at"))

    assert services.relight(tree.district.path, {2022}) == 0
    assert dict(stored.values_list("pk", "computed_at")) == before  # nothing rewritten

    march = stored.get(org=tree.a, month=3)
    right = (march.base, march.open_deadline, march.items)
    stored.filter(pk=march.pk).update(base="off" if march.base != "off" else "green", items=[])
    assert services.relight(tree.district.path, {2022}) == 1
    march.refresh_from_db()
    assert (march.base, march.open_deadline, march.items) == right
    assert march.computed_at > before[march.pk]
    others = {pk: at for pk, at in stored.values_list("pk", "computed_at") if pk != march.pk}
    assert others == {pk: at for pk, at in before.items() if pk != march.pk}
