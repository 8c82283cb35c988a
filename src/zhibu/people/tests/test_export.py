import pytest

from zhibu.audit.models import AuditEntry
from zhibu.orgs.scoping import NotVisible
from zhibu.people.exporting import EXPORT_HEADERS, member_export, template_bytes
from zhibu.people.importing import member_import
from zhibu.people.models import Member

from .helpers import HEADERS, read_xlsx


def _by_name(content: bytes) -> dict[str, dict]:
    rows = read_xlsx(content)
    assert rows[0] == EXPORT_HEADERS
    return {r[2]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}


def test_export_is_masked_by_default_and_audited(tree):
    a3 = tree.members.a3
    content, count = member_export(actor=tree.users.sec_a, org=tree.a)
    assert count == 4
    row = _by_name(content)["陶俊颖"]
    assert row["公民身份号码"] == a3.id_number[:4] + "**********" + a3.id_number[-4:]
    assert row["所在党支部"] == tree.a.name
    assert (row["人员类别"], row["党小组"], row["党内职务"]) == ("正式党员", tree.a_group.name, "宣传委员")
    entry = AuditEntry.objects.get(verb="member.export")
    assert (entry.detail, entry.org_path) == ({"count": 4, "full": False}, tree.a.path)


def test_full_export_shows_numbers_and_is_audited(tree):
    content, _ = member_export(actor=tree.users.sec_a, org=tree.a, full=True)
    assert _by_name(content)["陶俊颖"]["公民身份号码"] == tree.members.a3.id_number
    assert AuditEntry.objects.get(verb="member.export").detail == {"count": 4, "full": True}


def test_committee_export_covers_its_subtree_only(tree):
    content, count = member_export(actor=tree.users.district, org=tree.district)
    assert count == 5
    assert "孙丙" not in _by_name(content)


def test_export_denied_without_export_right(tree):
    for actor, org in (
        (tree.users.auditor, tree.a),
        (tree.users.member_a, tree.a),
        (tree.users.sec_b, tree.a),
    ):
        with pytest.raises(NotVisible):
            member_export(actor=actor, org=org)
    assert not AuditEntry.objects.filter(verb="member.export").exists()


def test_full_export_round_trips_through_import_unchanged(tree):
    import io

    content, _ = member_export(actor=tree.users.sec_a, org=tree.a, full=True)
    before = list(Member.objects.unscoped().order_by("pk").values_list("pk", "updated_at"))
    result = member_import(actor=tree.users.sec_a, branch=tree.a, file=io.BytesIO(content))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert list(Member.objects.unscoped().order_by("pk").values_list("pk", "updated_at")) == before


def test_template_has_the_documented_headers():
    rows = read_xlsx(template_bytes())
    assert rows[0] == HEADERS


def test_roster_export_never_carries_a_formula(tree, login):
    import csv
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    Member.objects.unscoped().filter(pk=tree.members.a3.pk).update(post='=HYPERLINK("http://x","点我")')
    content, _ = member_export(actor=tree.users.sec_a, org=tree.a)
    sheet = load_workbook(io.BytesIO(content)).active
    cell = next(
        c for row in sheet.iter_rows(min_row=2) for c in row if c.value and str(c.value).startswith("=HY")
    )
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","点我")', "s")
    response = login(tree.users.sec_a).get(reverse("people:export", args=[tree.a.code]), {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == EXPORT_HEADERS
    row = next(r for r in rows[1:] if r[2] == "陶俊颖")
    assert row[EXPORT_HEADERS.index("工作岗位")] == '\'=HYPERLINK("http://x","点我")'
    assert AuditEntry.objects.filter(verb="member.export").latest("id").detail == {
        "count": 4,
        "full": False,
        "format": "csv",
    }
