"""Pages, API, CLI, uploads and .docx exports."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from docx import Document as read_docx
from docx.oxml.ns import qn
from docx.shared import Pt

from zhibu.development import selectors, services
from zhibu.development.models import Case, Document, StepRecord
from zhibu.orgs.scoping import SYSTEM
from zhibu.people.models import Member

from .helpers import fill, open_case, person, walk


@pytest.fixture
def people(tree):
    fill(tree.a, 12)  # the votes of the plan and of these tests count 12 voters
    return {"contact1": tree.members.sec_a, "contact2": tree.members.a3}


@pytest.fixture
def case(tree):
    return open_case(tree.a)


def test_secretary_advances_a_case_one_step_on_the_form(tree, login, case):
    client = login(tree.users.sec_a)
    page = client.get(reverse("development:case", args=[case.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "下一步：第2步 党组织派人谈话" in text and "最迟2020年10月10日" in text and "第七条" in text
    form = client.get(reverse("development:advance", args=[case.pk])).content.decode()
    assert 'name="on"' in form and 'name="talker"' in form and 'name="overdue_reason"' in form
    response = client.post(
        reverse("development:advance", args=[case.pk]),
        {"step": 2, "on": "2020-09-25", "talker": "孙晓梅", "content": "谈话"},
    )
    assert response.status_code == 302
    assert StepRecord.objects.unscoped().filter(case=case, step=2, on=date(2020, 9, 25)).count() == 1
    follow = client.get(response["Location"]).content.decode()
    assert "已记录第2步“党组织派人谈话”" in follow and "下一步：第3步 推荐和确定入党积极分子" in follow


def test_bad_step_on_the_form_shows_the_rule_and_saves_nothing(tree, login, case):
    client = login(tree.users.sec_a)
    response = client.post(
        reverse("development:advance", args=[case.pk]), {"step": 2, "on": "2020-11-01", "talker": "孙晓梅"}
    )
    assert response.status_code == 400
    assert "请填写超期原因" in response.content.decode()
    assert StepRecord.objects.unscoped().filter(case=case).count() == 1


def test_introducer_refusal_on_the_form(tree, login, people):
    case = walk(open_case(tree.a), people, upto=8)
    client = login(tree.users.sec_a)
    response = client.post(
        reverse("development:advance", args=[case.pk]),
        {"step": 9, "on": "2022-04-06", "introducers": [tree.members.sec_a.pk, tree.members.a4.pk]},
    )
    assert response.status_code == 400
    assert (
        "王明在2022年4月6日是非正式党员" in response.content.decode() or "王明" in response.content.decode()
    )
    assert StepRecord.objects.unscoped().filter(case=case, step=9).count() == 0


def test_open_a_case_for_a_new_applicant_on_the_page(tree, login):
    client = login(tree.users.sec_a)
    data = person("林小雨", date(1999, 5, 1), seq=4)
    response = client.post(
        reverse("development:open", args=[tree.a.code]),
        {"name": data["name"], "id_number": data["id_number"], "post": "教师", "applied_on": "2024-01-08"},
    )
    assert response.status_code == 302
    member = Member.objects.unscoped().get(name="林小雨")
    assert member.status == "applicant" and member.status_since == date(2024, 1, 8)
    assert Case.objects.unscoped().get(member=member).next_step == 2


def test_under_eighteen_applicant_is_refused_on_the_page_and_nobody_is_added(tree, login):
    client = login(tree.users.sec_a)
    data = person("少年", date(2010, 5, 1), seq=6)
    response = client.post(
        reverse("development:open", args=[tree.a.code]),
        {"name": data["name"], "id_number": data["id_number"], "applied_on": "2024-01-08"},
    )
    assert response.status_code == 400 and "年满十八周岁" in response.content.decode()
    assert not Member.objects.unscoped().filter(name="少年").exists()


def test_secretary_of_another_branch_cannot_advance(tree, login, case):
    client = login(tree.users.sec_b)
    response = client.post(
        reverse("development:advance", args=[case.pk]), {"step": 2, "on": "2020-09-25", "talker": "某人"}
    )
    assert response.status_code == 404
    assert StepRecord.objects.unscoped().filter(case=case).count() == 1


def test_pipeline_page_counts_and_due_list(tree, login, people):
    walk(open_case(tree.a), people, upto=5)  # review due 2021-09-15: overdue today
    open_case(tree.b, name="乙申请人", seq=8, applied=date(2023, 5, 6))  # talk overdue
    client = login(tree.users.district)
    text = client.get(reverse("development:pipeline", args=[tree.district.code])).content.decode()
    assert "其中超期 2 项" in text and "甲幼儿园党支部" in text
    data = selectors.pipeline(tree.users.district, tree.district)
    assert [n for _, _, n in data["counts"]] == [1, 1, 0, 0, 0, 0, 0]
    assert selectors.pipeline(tree.users.sec_a, tree.a)["due_total"] == 1


def test_due_list_within_days_and_eligibility(tree, people):
    case = walk(open_case(tree.a), people, upto=6)  # reviews 2021-09-10, 2022-03-08 → next review 2022-09-08
    items, total = selectors.due(SYSTEM, tree.a, days=30, today=date(2022, 3, 1))
    assert (total, items[0].what, items[0].due_by) == (1, "第7步 确定发展对象（可以办理）", None)
    assert items[0].due_from == date(2022, 3, 15)
    items, total = selectors.due(SYSTEM, tree.a, days=30, today=date(2022, 8, 20))
    assert (total, items[0].due_by, items[0].overdue, items[0].days_left) == (1, date(2022, 9, 8), False, 19)
    items, _ = selectors.due(SYSTEM, tree.a, days=30, today=date(2022, 9, 9))
    assert items[0].overdue is True and items[0].days_left == -1
    assert case.pk == items[0].case_id


def test_pipeline_query_count_does_not_grow_with_cases(tree, django_assert_max_num_queries, people):
    for i in range(6):
        open_case(tree.a, name=f"申请人{i}", seq=10 + 2 * i, applied=date(2023, 1, 2) + timedelta(days=i))
    with django_assert_max_num_queries(6):
        data = selectors.pipeline(SYSTEM, tree.district)
    assert data["due_total"] == 6


def test_api_advances_with_the_same_checks(tree, login, case):
    client = login(tree.users.sec_a)
    url = reverse("api:development_step_record", args=[case.pk])
    response = client.post(
        url,
        {"step": 3, "on": "2021-03-15", "details": {"decided_by": "committee"}},
        content_type="application/json",
    )
    assert response.status_code == 422 and "下一步是第2步" in json.dumps(response.json(), ensure_ascii=False)
    response = client.post(
        url, {"step": 2, "on": "2020-09-25", "details": {"talker": "孙晓梅"}}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["case"]["next_step"] == 3
    detail = client.get(reverse("api:development_case", args=[case.pk])).json()
    assert detail["steps"][1]["facts"] == {"谈话人": "孙晓梅"}
    assert detail["window"]["earliest"] == "2020-09-25"


def test_api_vote_that_does_not_add_up(tree, login, people):
    case = walk(open_case(tree.a), people, upto=14)
    client = login(tree.users.sec_a)
    response = client.post(
        reverse("api:development_step_record", args=[case.pk]),
        {
            "step": 15,
            "on": "2022-06-28",
            "details": {"expected": 12, "present": 10, "written": 0, "yes": 9, "no": 0, "abstain": 0},
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "不符" in response.json()["errors"]["yes"][0]


def test_cli_due_json_and_text(tree, people, capsys):
    walk(open_case(tree.a), people, upto=5)
    call_command("development", "due", "--org", "district-edu", "--json")
    data = json.loads(capsys.readouterr().out)
    assert (
        data["total"] == 1 and data["items"][0]["member"] == "朱晓彤" and data["items"][0]["overdue"] is True
    )
    call_command("development", "due", "--org", "branch-a", "--days", "10")
    out = capsys.readouterr().out
    assert "朱晓彤" in out and "超期" in out


def test_cli_refuses_an_org_outside_the_users_scope(tree):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("development", "due", "--org", "other-district", "--user", "sec_a")


def test_upload_checks_the_file_type(tree, case):
    fake = SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.document_upload(actor=SYSTEM, case=case, kind="application", upload=fake)
    assert exc.value.message_dict["file"] == [
        "不支持此文件：只能上传PDF、JPG、PNG 或 Word 文件。系统按文件内容判断类型，改扩展名无效。"
    ]
    script = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.document_upload(actor=SYSTEM, case=case, kind="application", upload=script)
    good = SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 ok\n%%EOF\n", content_type="application/pdf")
    services.document_upload(actor=SYSTEM, case=case, kind="application", upload=good)
    assert Document.objects.unscoped().filter(case=case).count() == 1


def _docx(response):
    return read_docx(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


def test_register_and_notice_docx_in_official_format(tree, login, people):
    case = walk(open_case(tree.a), people, upto=6)
    client = login(tree.users.sec_a)
    doc = _docx(client.get(reverse("development:register_docx", args=[case.pk])))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [
        round(m.mm)
        for m in (section.top_margin, section.left_margin, section.right_margin, section.bottom_margin)
    ] == [37, 28, 26, 35]
    title = doc.paragraphs[0].runs[0]
    assert title.text == "入党积极分子培养教育考察登记表" and title.font.size == Pt(22)
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "2021年3月15日" in cells and "2021年9月10日" in cells and "张文慧, 陶俊颖" in cells
    body_run = doc.tables[1].rows[1].cells[1].paragraphs[0].runs[0]
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"

    notice = _docx(client.get(reverse("development:notice_docx", args=[case.pk]) + "?start=2022-09-29"))
    text = "\n".join(p.text for p in notice.paragraphs)
    assert "公示时间：2022年9月29日至2022年10月10日（5个工作日）" in text
    assert notice.paragraphs[1].runs[0].font.size == Pt(16)
    assert notice.paragraphs[1].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_exports_are_audited(tree, login, case):
    from zhibu.audit.models import AuditEntry

    login(tree.users.sec_a).get(reverse("development:notice_docx", args=[case.pk]))
    assert AuditEntry.objects.filter(verb="development.export_notice").count() == 1


def test_correct_page_moves_a_date(tree, login, case):
    services.step_record(actor=SYSTEM, case=case, step=2, on=date(2020, 9, 25), details={"talker": "甲"})
    record = StepRecord.objects.unscoped().get(case=case, step=2)
    client = login(tree.users.sec_a)
    response = client.post(reverse("development:correct", args=[record.pk]), {"on": "2020-09-09"})
    assert response.status_code == 400 and "依次办理" in response.content.decode()
    response = client.post(reverse("development:correct", args=[record.pk]), {"on": "2020-09-20"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.on == date(2020, 9, 20)


def test_settings_page_switches_the_ruleset(tree, login):
    client = login(tree.users.district)
    response = client.post(
        reverse("development:settings", args=[tree.district.code]), {"form": "ruleset", "version": "2014"}
    )
    assert response.status_code == 302
    assert services.ruleset_for(tree.a, date(2026, 6, 1)).version == "2014"
    response = client.post(
        reverse("development:settings", args=[tree.district.code]),
        {"form": "holidays", "year": "2027", "holidays": "2027-01-01\n2027-01-02", "workdays": "2027-01-03"},
    )
    assert response.status_code == 302


def test_rulesets_page_marks_2026_as_unverified(tree, login):
    text = login(tree.users.sec_a).get(reverse("development:rulesets")).content.decode()
    assert "待核实" in text and "已核实" in text and "经过一年以上培养教育和考察" in text
