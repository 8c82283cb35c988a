"""The tamper-evident audit: a hash chain, `zhibu audit verify`, no deletion, export for an assessor."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhibu.audit import chain
from zhibu.audit import services as audit
from zhibu.audit.models import AuditEntry, AuditImmutable


def _three(tree) -> list[AuditEntry]:
    return [
        audit.log(actor=tree.users.sec_a, verb="member.update", target=tree.members.a3, detail={"n": i})
        for i in range(3)
    ]


def test_each_entry_is_chained_to_the_previous(tree):
    first, second, third = _three(tree)
    assert first.prev_hash == chain.GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    stored = AuditEntry.objects.get(pk=second.pk)
    assert stored.hash == chain.digest(stored, first.hash)
    assert len({first.hash, second.hash, third.hash}) == 3


def test_verify_passes_on_an_untouched_chain(tree, capsys):
    _three(tree)
    call_command("audit", "verify")
    assert capsys.readouterr().out == "审计日志完好：共 3 条，哈希链连续。\n"


def test_verify_names_a_row_changed_directly_in_the_database(tree):
    _first, second, _third = _three(tree)
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_name = %s WHERE id = %s", ["别人", second.pk])
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify")
    assert (
        str(caught.value)
        == f"审计日志校验失败：第 {second.pk} 号记录内容与其哈希不符（该记录被改动）；此前 1 条完好。"
    )


def test_verify_names_the_entry_after_a_deleted_row(tree):
    _first, second, third = _three(tree)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [second.pk])
    verdict = chain.verify(AuditEntry.objects.order_by("id"))
    assert (verdict.broken_id, verdict.checked) == (third.pk, 1)


def test_the_application_cannot_delete_or_change_an_entry(tree):
    entry = _three(tree)[0]
    with pytest.raises(AuditImmutable):
        entry.delete()
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.actor_name = "别人"
    with pytest.raises(AuditImmutable):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).actor_name == "甲书记"
    assert AuditEntry.objects.count() == 3


def test_export_for_an_assessor_holds_the_hashes_and_is_audited(tree, tmp_path):
    entries = _three(tree)
    target = tmp_path / "audit.csv"
    call_command("audit", "export", "-o", str(target))
    with target.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(int(r["id"]), r["verb"], r["hash"]) for r in rows] == [
        (e.pk, "member.update", e.hash) for e in entries
    ]
    assert AuditEntry.objects.order_by("-id").first().verb == "audit.export"


def test_export_as_an_auditor_keeps_to_their_subtree(tree, tmp_path):
    audit.log(actor=None, verb="member.update", target=tree.members.other1)
    mine = audit.log(actor=tree.users.sec_a, verb="member.update", target=tree.members.a3)
    target = tmp_path / "audit.csv"
    call_command("audit", "export", "-o", str(target), as_user="auditor")
    with target.open(encoding="utf-8-sig") as handle:
        assert [int(r["id"]) for r in csv.DictReader(handle)] == [mine.pk]


def test_entries_without_an_organisation_are_visible_to_the_top_auditor_only(tree):
    from zhibu.audit import selectors
    from zhibu.orgs.roles import Role
    from zhibu.testing import factories as f

    entry = audit.log(actor=None, verb="login.failed", detail={"login": "digest"})
    branch_auditor = f.UserFactory(username="branch_auditor")
    f.grant(branch_auditor, tree.a, Role.AUDITOR)
    assert [e.pk for e in selectors.entries(tree.users.auditor)] == [entry.pk]
    assert list(selectors.entries(branch_auditor)) == []


def test_export_to_an_unwritable_path_is_a_chinese_error(tree):
    with pytest.raises(CommandError, match="^无法读写文件 /nonexistent-dir/a.csv：文件或目录不存在。$"):
        call_command("audit", "export", "-o", "/nonexistent-dir/a.csv")
