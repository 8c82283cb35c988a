from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zhibu.audit.models import AuditEntry
from zhibu.orgs.scoping import NotVisible
from zhibu.testing import factories as f
from zhibu.work import kinds, services
from zhibu.work.models import MentoringPair, Plan, Problem, Reflection, Service, SpacePhoto

from . import factories as wf
from .access import png_bytes


def count(model) -> int:
    return model.objects.unscoped().count()


def test_create_service_saves_links_and_audits(tree):
    obj = services.record_create(
        actor=tree.users.sec_a,
        kind=kinds.get("service"),
        org=tree.a,
        data={
            "date": date(2022, 4, 1),
            "beneficiary": "小班家长",
            "difficulty": "难",
            "action": "帮",
            "result": "",
            "helpers": [tree.members.sec_a, tree.members.a3],
        },
    )
    assert obj.org == tree.a
    assert sorted(m.name for m in obj.helpers.all()) == ["张文慧", "陶俊颖"]
    entry = AuditEntry.objects.get(verb="work.service.create")
    assert (entry.target_id, entry.org_path) == (str(obj.pk), tree.a.path)


def test_member_of_another_branch_is_refused(tree):
    with pytest.raises(ValidationError) as exc:
        services.record_create(
            actor=tree.users.sec_a,
            kind=kinds.get("service"),
            org=tree.a,
            data={
                "date": date(2022, 4, 1),
                "beneficiary": "x",
                "difficulty": "x",
                "action": "x",
                "helpers": [tree.members.b1],
            },
        )
    assert exc.value.message_dict["helpers"] == ["只能选择本组织的党员。"]
    assert count(Service) == 0


def test_secretary_cannot_record_for_sibling_branch(tree):
    with pytest.raises(NotVisible):
        services.record_create(
            actor=tree.users.sec_b,
            kind=kinds.get("service"),
            org=tree.a,
            data={"date": date(2022, 4, 1), "beneficiary": "x", "difficulty": "x", "action": "x"},
        )
    assert count(Service) == 0
    assert not AuditEntry.objects.filter(verb__startswith="work.").exists()


def test_dates_must_be_in_order(tree):
    with pytest.raises(ValidationError) as exc:
        services.record_create(
            actor=tree.users.sec_a,
            kind=kinds.get("pair"),
            org=tree.a,
            data={
                "mentor": tree.members.sec_a,
                "apprentice": "青年教师",
                "starts_on": date(2022, 9, 1),
                "ends_on": date(2022, 8, 31),
            },
        )
    assert exc.value.message_dict["ends_on"] == ["结束日期不能早于开始日期。"]
    assert count(MentoringPair) == 0


def test_lesson_must_belong_to_a_pair_of_the_org_and_follow_its_start(tree):
    other_pair = wf.pair(tree.b, tree.members.b1, date(2022, 1, 1))
    kind = kinds.get("lesson")
    with pytest.raises(ValidationError) as exc:
        services.record_create(
            actor=tree.users.sec_a,
            kind=kind,
            org=tree.a,
            data={"pair": other_pair, "date": date(2022, 11, 1), "title": "课"},
        )
    assert exc.value.message_dict["pair"] == ["只能选择本组织的记录。"]
    pair = wf.pair(tree.a, tree.members.sec_a, date(2022, 9, 1))
    with pytest.raises(ValidationError) as exc:
        services.record_create(
            actor=tree.users.sec_a,
            kind=kind,
            org=tree.a,
            data={"pair": pair, "date": date(2022, 8, 1), "title": "课"},
        )
    assert exc.value.message_dict["date"] == ["展示课日期不能早于结对开始日期。"]
    lesson = services.record_create(
        actor=tree.users.sec_a,
        kind=kind,
        org=tree.a,
        data={"pair": pair, "date": date(2022, 11, 1), "title": "课"},
    )
    assert lesson.pair == pair


def test_reflection_han_count_is_stored_and_updated(tree):
    training = f.make_activity(tree.a, "training", date(2022, 9, 7))
    kind = kinds.get("reflection")
    obj = services.record_create(
        actor=tree.users.sec_a,
        kind=kind,
        org=tree.a,
        data={
            "training": training,
            "author": tree.members.a3,
            "title": "心得",
            "text": "有光，自思想而来。ABC 123",
        },
    )
    assert Reflection.objects.unscoped().get(pk=obj.pk).han_count == 7
    services.record_update(actor=tree.users.sec_a, kind=kind, obj=obj, data={"text": "两个"})
    assert Reflection.objects.unscoped().get(pk=obj.pk).han_count == 2


def test_reflection_on_another_orgs_training_is_refused(tree):
    training = f.make_activity(tree.b, "training", date(2022, 9, 7))
    with pytest.raises(ValidationError):
        services.record_create(
            actor=tree.users.sec_a,
            kind=kinds.get("reflection"),
            org=tree.a,
            data={"training": training, "author": tree.members.a3, "title": "心得", "text": "文字"},
        )
    assert count(Reflection) == 0


def test_update_audits_changes_only(tree):
    obj = wf.service(tree.a, date(2022, 5, 1))
    services.record_update(
        actor=tree.users.sec_a, kind=kinds.get("service"), obj=obj, data={"result": "解决"}
    )
    entry = AuditEntry.objects.get(verb="work.service.update")
    assert entry.detail == {"result": ["", "解决"]}


def test_delete_removes_and_audits(tree):
    obj = wf.service(tree.a, date(2022, 5, 1))
    services.record_delete(actor=tree.users.sec_a, kind=kinds.get("service"), obj=obj)
    assert count(Service) == 0
    assert AuditEntry.objects.filter(verb="work.service.delete").count() == 1


# ---- problem status -------------------------------------------------------------------------------------


def test_problem_moves_to_in_progress_then_done(tree):
    problem = wf.problem(tree.a, 2022)
    services.problem_set_status(actor=tree.users.sec_a, problem=problem, status="in_progress")
    services.problem_set_status(
        actor=tree.users.sec_a,
        problem=problem,
        status="done",
        evidence="已建立清单",
        closed_on=date(2023, 3, 1),
    )
    problem.refresh_from_db()
    assert (problem.status, problem.closed_on, problem.evidence) == ("done", date(2023, 3, 1), "已建立清单")
    assert AuditEntry.objects.filter(verb="work.problem.status").count() == 2


def test_closing_without_evidence_is_refused(tree):
    problem = wf.problem(tree.a, 2022)
    with pytest.raises(ValidationError) as exc:
        services.problem_set_status(actor=tree.users.sec_a, problem=problem, status="done")
    assert exc.value.message_dict["evidence"] == ["已整改的问题须填写整改成效与佐证。"]
    problem.refresh_from_db()
    assert (problem.status, problem.closed_on) == ("open", None)


def test_done_cannot_go_back_to_open_and_same_status_is_refused(tree):
    problem = wf.problem(tree.a, 2022, status=Problem.Status.DONE, evidence="好", closed_on=date(2022, 12, 1))
    with pytest.raises(ValidationError) as exc:
        services.problem_set_status(actor=tree.users.sec_a, problem=problem, status="open")
    assert exc.value.message_dict["status"] == ["不能从“已整改”改为“未整改”。"]
    with pytest.raises(ValidationError):
        services.problem_set_status(actor=tree.users.sec_a, problem=problem, status="done")
    services.problem_set_status(actor=tree.users.sec_a, problem=problem, status="in_progress")
    problem.refresh_from_db()
    assert (problem.status, problem.closed_on) == ("in_progress", None)


def test_closed_on_in_the_future_or_before_the_year_is_refused(tree):
    problem = wf.problem(tree.a, 2022)
    with pytest.raises(ValidationError):
        services.problem_set_status(
            actor=tree.users.sec_a,
            problem=problem,
            status="done",
            evidence="好",
            closed_on=date.today() + timedelta(days=2),
        )
    with pytest.raises(ValidationError):
        services.problem_set_status(
            actor=tree.users.sec_a,
            problem=problem,
            status="done",
            evidence="好",
            closed_on=date(2021, 12, 31),
        )
    problem.refresh_from_db()
    assert problem.status == "open"


def test_problem_status_out_of_scope(tree):
    problem = wf.problem(tree.a, 2022)
    with pytest.raises(NotVisible):
        services.problem_set_status(actor=tree.users.sec_b, problem=problem, status="in_progress")
    problem.refresh_from_db()
    assert problem.status == "open"


# ---- plan progress --------------------------------------------------------------------------------------


def test_plan_progress_is_bounded(tree):
    plan = wf.plan(tree.a, 2023)
    with pytest.raises(ValidationError):
        services.plan_set_progress(actor=tree.users.sec_a, plan=plan, progress=101)
    services.plan_set_progress(actor=tree.users.sec_a, plan=plan, progress=100, note="完成")
    plan.refresh_from_db()
    assert (plan.progress, plan.progress_label, plan.progress_note) == (100, "已完成", "完成")
    assert Plan.objects.unscoped().count() == 1


# ---- photos ---------------------------------------------------------------------------------------------


def test_photo_is_checked_by_its_bytes_not_its_name(tree):
    space = wf.space(tree.a, "党员活动室")
    fake = SimpleUploadedFile("photo.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.space_photo_add(actor=tree.users.sec_a, space=space, upload=fake)
    assert exc.value.messages == [
        "不支持此文件：只能上传JPEG、PNG、GIF 或 WebP 图片。系统按文件内容判断类型，改扩展名无效。"
    ]
    assert count(SpacePhoto) == 0
    real = SimpleUploadedFile("anything.txt", png_bytes(), content_type="text/plain")
    photo = services.space_photo_add(actor=tree.users.sec_a, space=space, upload=real)
    assert photo.content_type == "image/png"
    assert photo.file.name.endswith(".png")


def test_truncated_image_with_right_magic_is_refused(tree):
    space = wf.space(tree.a, "党员活动室")
    broken = SimpleUploadedFile("x.png", png_bytes()[:20], content_type="image/png")
    with pytest.raises(ValidationError):
        services.space_photo_add(actor=tree.users.sec_a, space=space, upload=broken)
    assert count(SpacePhoto) == 0


# ---- import ---------------------------------------------------------------------------------------------


def _xlsx(rows) -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("p.xlsx", out.getvalue())


def test_import_is_all_or_nothing(tree):
    from zhibu.work import imports
    from zhibu.work.models import Publicity

    kind = kinds.get("publicity")
    header = imports.headers(kind)
    good = ["学习强国", "稿件一", date(2022, 3, 1), "发布", "", ""]
    bad = ["不存在的平台", "稿件二", "2022-13-01", "发布", "", ""]
    with pytest.raises(ValidationError) as exc:
        imports.read_rows(kind, actor=tree.users.sec_a, org=tree.a, upload=_xlsx([header, good, bad]))
    assert any(m.startswith("第3行") for m in exc.value.messages)
    assert count(Publicity) == 0
    rows = imports.read_rows(
        kind,
        actor=tree.users.sec_a,
        org=tree.a,
        upload=_xlsx([header, good, ["视频号", "稿件三", "2022-04-02", "投稿", "", ""]]),
    )
    assert services.record_import(actor=tree.users.sec_a, kind=kind, org=tree.a, rows=rows) == 2
    assert sorted(Publicity.objects.unscoped().values_list("title", "status")) == [
        ("稿件一", "published"),
        ("稿件三", "submitted"),
    ]


def test_import_command(tree, tmp_path):
    from django.core.management import CommandError, call_command

    from zhibu.work import imports
    from zhibu.work.models import Publicity

    kind = kinds.get("publicity")
    path = tmp_path / "p.xlsx"
    path.write_bytes(
        _xlsx([imports.headers(kind), ["学习强国", "稿件", "2022-05-05", "发布", "", ""]]).read()
    )
    out = io.StringIO()
    call_command("work_import", str(path), org="branch-a", kind="publicity", stdout=out)
    assert "已导入 1 条宣传稿件" in out.getvalue()
    assert Publicity.objects.unscoped().count() == 1
    with pytest.raises(CommandError):
        call_command("work_import", str(path), org="branch-a", kind="publicity", as_user="sec_b")
    assert Publicity.objects.unscoped().count() == 1
