import io
from datetime import date

from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.people.models import Member, Status, StatusEvent
from zhibu.testing import factories as f

from .helpers import HEADERS, id_for, read_xlsx, row, xlsx


def test_list_shows_masked_phone_and_filters_by_pinyin(tree, login):
    tree.members.a3.phone = "13912345678"
    tree.members.a3.save()
    client = login(tree.users.sec_a)
    page = client.get(reverse("people:list", args=[tree.a.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "139****5678" in text and "13912345678" not in text
    found = client.get(reverse("people:list", args=[tree.a.code]), {"q": "zwh"}, HTTP_HX_REQUEST="true")
    body = found.content.decode()
    assert "<html" not in body and 'id="member-table"' in body
    assert "张文慧" in body and "李慧欣" not in body


def test_list_bad_filter_is_400(tree, login):
    response = login(tree.users.sec_a).get(reverse("people:list", args=[tree.a.code]), {"status": "x"})
    assert response.status_code == 400


def test_list_query_count_does_not_grow(tree, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(tree.users.district)
    url = reverse("people:list", args=[tree.district.code])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(25):
        f.make_member(tree.b, f"成员{i}", phone="13800001111", post=f"岗位{i % 3}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 30
    # session, user, roles, org, groups, posts, count, status counts, rows, transfers, nav; session save (3)
    assert len(many.captured_queries) == len(few.captured_queries) <= 14


def test_index_goes_to_home_org_or_own_record(tree, login):
    assert login(tree.users.district).get(reverse("people:index")).url == reverse(
        "people:list", args=[tree.district.code]
    )
    assert login(tree.users.sec_a).get(reverse("people:index")).url == reverse(
        "people:list", args=[tree.a.code]
    )
    assert login(tree.users.member_a).get(reverse("people:index")).url == reverse("people:me")


def test_plain_member_sees_own_record_only(tree, login):
    client = login(tree.users.member_a)
    me = client.get(reverse("people:me"))
    assert me.status_code == 200 and "李慧欣" in me.content.decode()
    assert "显示完整信息" not in me.content.decode()
    assert client.get(reverse("people:detail", args=[tree.members.a3.pk])).status_code == 404
    assert client.get(reverse("people:list", args=[tree.a.code])).status_code == 404
    nav = [item["label"] for item in me.context["nav_items"]]
    assert "我的信息" in nav and "党员" not in nav


def test_detail_is_masked_and_reveal_is_audited(tree, login):
    a3 = tree.members.a3
    client = login(tree.users.sec_a)
    page = client.get(reverse("people:detail", args=[a3.pk])).content.decode()
    assert a3.id_number_masked in page and a3.id_number not in page and "显示完整信息" in page
    revealed = client.post(reverse("people:reveal", args=[a3.pk]), HTTP_HX_REQUEST="true")
    assert revealed.status_code == 200 and a3.id_number in revealed.content.decode()
    entry = AuditEntry.objects.get(verb="member.reveal")
    assert (entry.actor_id, entry.target_id) == (tree.users.sec_a.pk, str(a3.pk))


def test_reveal_denied_without_pii_and_out_of_scope(tree, login):
    a3 = tree.members.a3
    page = login(tree.users.auditor).get(reverse("people:detail", args=[a3.pk])).content.decode()
    assert "显示完整信息" not in page
    assert login(tree.users.auditor).post(reverse("people:reveal", args=[a3.pk])).status_code == 404
    assert login(tree.users.sec_b).post(reverse("people:reveal", args=[a3.pk])).status_code == 404
    assert login(tree.users.sec_a).get(reverse("people:reveal", args=[a3.pk])).status_code == 405
    assert not AuditEntry.objects.filter(verb="member.reveal").exists()


def _form(**overrides):
    data = {
        "name": "周晓梅",
        "id_number": id_for(date(1988, 5, 20), 246),
        "ethnicity": "01",
        "status": "full",
        "joined_on": "2015-06-01",
        "confirmed_on": "2016-06-01",
        "standing": "normal",
        "phone": "13912345678",
    }
    data.update(overrides)
    return data


def test_create_form_saves_and_redirects(tree, login):
    response = login(tree.users.sec_a).post(
        reverse("people:create", args=[tree.a.code]), _form(party_group=tree.a_group.pk)
    )
    member = Member.objects.unscoped().get(name="周晓梅")
    assert response.url == reverse("people:detail", args=[member.pk])
    assert (member.status, member.party_group_id, member.branch_id) == (
        Status.FULL,
        tree.a_group.pk,
        tree.a.pk,
    )


def test_create_form_bad_input_is_400_and_saves_nothing(tree, login):
    client = login(tree.users.sec_a)
    before = Member.objects.unscoped().count()
    bad_id = _form()["id_number"][:17] + "0"
    if bad_id == _form()["id_number"]:
        bad_id = bad_id[:17] + "1"
    cases = [
        ({"id_number": bad_id}, "校验位不正确。"),
        ({"birth_date": "1988-05-21"}, "与公民身份号码不一致（号码中为 1988-05-20）。"),
        ({"confirmed_on": "2016-01-01"}, "转正日期应在入党日期满一年之后（预备期为一年）。"),
        ({"status": "probationary"}, "人员类别为“预备党员”时不应填写转正日期。"),
        ({"phone": "555"}, "联系电话应为 11 位手机号"),
    ]
    for overrides, message in cases:
        response = client.post(reverse("people:create", args=[tree.a.code]), _form(**overrides))
        assert response.status_code == 400, overrides
        assert message in response.content.decode(), overrides
    assert Member.objects.unscoped().count() == before


def test_edit_keeps_personal_data_out_of_the_page(tree, login):
    a3 = tree.members.a3
    client = login(tree.users.sec_a)
    form = client.get(reverse("people:edit", args=[a3.pk])).content.decode()
    assert a3.id_number not in form and a3.id_number_masked in form
    data = {
        "name": a3.name,
        "ethnicity": "01",
        "standing": "normal",
        "post": "教研组长",
        "party_group": tree.a_group.pk,
        "party_post": "propaganda",
    }
    assert client.post(reverse("people:edit", args=[a3.pk]), data).status_code == 302
    stored = Member.objects.unscoped().get(pk=a3.pk)
    assert (stored.post, stored.id_number) == ("教研组长", a3.id_number)


def test_status_form_adds_dated_status(tree, login):
    a4 = tree.members.a4
    client = login(tree.users.sec_a)
    bad = client.post(reverse("people:status_add", args=[a4.pk]), {"status": "full", "on": "2023-01-01"})
    assert bad.status_code == 400 and "预备期为一年" in bad.content.decode()
    assert not StatusEvent.objects.unscoped().filter(member=a4, status="full").exists()
    good = client.post(reverse("people:status_add", args=[a4.pk]), {"status": "full", "on": "2023-06-01"})
    assert good.status_code == 302
    assert Member.objects.unscoped().get(pk=a4.pk).status == Status.FULL


def test_import_page_lists_row_errors_and_saves_nothing(tree, login):
    client = login(tree.users.sec_a)
    good = id_for(date(1990, 1, 2), 12)
    bad = id_for(date(1991, 1, 2), 12)
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    before = Member.objects.unscoped().count()
    response = client.post(
        reverse("people:import", args=[tree.a.code]), {"file": xlsx([row("甲", good), row("乙", bad)])}
    )
    assert response.status_code == 400
    assert "第3行「公民身份号码」：校验位不正确" in response.content.decode()
    assert Member.objects.unscoped().count() == before
    ok = client.post(reverse("people:import", args=[tree.a.code]), {"file": xlsx([row("甲", good)])})
    assert ok.url == reverse("people:list", args=[tree.a.code])
    assert Member.objects.unscoped().count() == before + 1


def test_import_page_refuses_other_file_types(tree, login):
    upload = io.BytesIO(b"a,b")
    upload.name = "名册.pdf"
    response = login(tree.users.sec_a).post(reverse("people:import", args=[tree.a.code]), {"file": upload})
    assert response.status_code == 400 and "请上传 .xlsx" in response.content.decode()


def test_template_download(tree, login):
    response = login(tree.users.sec_a).get(reverse("people:template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert read_xlsx(response.content)[0] == HEADERS


def test_export_view_masked_and_full(tree, login):
    client = login(tree.users.sec_a)
    masked = read_xlsx(client.get(reverse("people:export", args=[tree.a.code])).content)
    full = read_xlsx(client.get(reverse("people:export", args=[tree.a.code]), {"full": "1"}).content)
    numbers = {tree.members.a3.id_number}
    assert not numbers & {r[3] for r in masked[1:]}
    assert numbers <= {r[3] for r in full[1:]}
    assert list(AuditEntry.objects.order_by("id").values_list("detail", flat=True)) == [
        {"count": 4, "full": False},
        {"count": 4, "full": True},
    ]


def test_roster_marks_a_member_whose_transfer_is_not_yet_received(tree, client):
    from datetime import date

    from zhibu.membership.transfers import transfer_issue

    transfer_issue(
        actor=tree.users.sec_a,
        member=tree.members.a3,
        issued_on=date(2022, 12, 20),
        to_org=tree.b,
        serial="2022-017",
    )
    client.force_login(tree.users.sec_a)
    body = client.get(reverse("people:list", args=[tree.a.code])).content.decode()
    row = body[body.index("陶俊颖") :][:400]
    assert "转出未接收" in row
    assert body.count("转出未接收") == 1
