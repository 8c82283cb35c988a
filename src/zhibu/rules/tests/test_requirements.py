"""Requirements as data: defaults, adding, tightening, refusing to loosen, refusing contradictions."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.orgs import scoping
from zhibu.orgs.models import OrgType
from zhibu.rules import selectors, services
from zhibu.rules.models import MonthLight, Relight, Requirement
from zhibu.testing import factories as f

from .helpers import colours, rec

JUNE = date(2022, 6, 20)


def builtin(code: str) -> Requirement:
    return Requirement.objects.unscoped().get(code=code, owner=None)


def test_defaults_ship_from_the_rules_file(db):
    rows = {
        r.code: (r.kind.code, r.period, r.min_count)
        for r in Requirement.objects.unscoped().filter(owner=None)
    }
    assert rows == {
        "ZB-01": ("general-meeting", "quarter", 1),
        "ZB-02": ("committee-meeting", "month", 1),
        "ZB-03": ("group-meeting", "month", 1),
        "ZB-05": ("party-lecture", "quarter", 1),
        "ZB-06": ("party-lecture", "year", 1),
        "ZB-07": ("theme-day", "month", 1),
        "ZB-08": ("life-meeting", "year", 1),
        "ZB-10": ("heart-talk", "year", 1),
        "ZB-11": ("democratic-appraisal", "year", 1),
    }
    assert builtin("ZB-05").local_rule is True and builtin("ZB-01").local_rule is False
    assert (
        builtin("ZB-02").needs_committee and builtin("ZB-03").per_group and builtin("ZB-06").speaker_secretary
    )
    assert builtin("ZB-10").per_member
    assert builtin("ZB-01").basis == "《中国共产党支部工作条例（试行）》第十一条"


@pytest.mark.parametrize(
    "fields,field,message",
    [
        ({"min_count": 0}, "min_count", "每周期至少次数必须是正整数（至少 1 次）。"),
        ({"min_count": -2}, "min_count", "每周期至少次数必须是正整数（至少 1 次）。"),
        ({"min_attendance": "1.5"}, "min_attendance", "最低出席率应在 0 到 1 之间（如 0.8 表示 80%）。"),
        ({"period": "year", "weekday": 0}, "weekday", "只有每周或每月的要求可以限定星期几。"),
        ({"valid_to": date(2021, 12, 31)}, "valid_to", "废止日期不能早于施行日期。"),
    ],
)
def test_a_self_contradicting_requirement_is_refused_and_nothing_saved(tree, fields, field, message):
    before = Requirement.objects.unscoped().count()
    data = {
        "name": "测试要求",
        "kind": f.kind("theme-day"),
        "period": "month",
        "min_count": 1,
        "basis": "区文件",
        "valid_from": date(2022, 1, 1),
        **fields,
    }
    with pytest.raises(ValidationError) as exc:
        services.requirement_save(actor=tree.users.district, owner=tree.district, **data)
    assert exc.value.message_dict[field] == [message]
    assert Requirement.objects.unscoped().count() == before
    assert not AuditEntry.objects.filter(verb="requirement.create").exists()


def test_branch_cannot_loosen_its_superiors_rule(tree):
    before = Requirement.objects.unscoped().count()
    with pytest.raises(ValidationError) as exc:
        services.requirement_save(
            actor=tree.users.sec_a,
            owner=tree.a,
            name="支委会每季度一次",
            kind=f.kind("committee-meeting"),
            period="quarter",
            min_count=1,
            basis="本支部",
            valid_from=date(2022, 1, 1),
            needs_committee=True,
            replaces=builtin("ZB-02"),
        )
    assert exc.value.message_dict["replaces"] == [
        "不能放宽上级党组织规定的要求：周期不能比上级要求（每月）更长。"
    ]
    assert Requirement.objects.unscoped().count() == before


def test_branch_cannot_drop_a_committees_attendance_threshold(tree):
    district_rule = services.requirement_save(
        actor=tree.users.district,
        owner=tree.district,
        name="主题党日出席率不低于八成",
        kind=f.kind("theme-day"),
        period="month",
        min_count=1,
        min_attendance="0.8",
        basis="区委组织部文件",
        valid_from=date(2022, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.requirement_save(
            actor=tree.users.sec_a,
            owner=tree.a,
            name="主题党日",
            kind=f.kind("theme-day"),
            period="month",
            min_count=1,
            min_attendance="0.6",
            basis="本支部",
            valid_from=date(2022, 1, 1),
            replaces=district_rule,
        )
    assert "出席率不能低于上级要求的 80%。" in exc.value.message_dict["replaces"][0]


def test_branch_cannot_edit_its_superiors_rule(tree):
    with pytest.raises(ValidationError):
        services.requirement_save(actor=tree.users.sec_a, owner=None, instance=builtin("ZB-07"), min_count=0)
    assert builtin("ZB-07").min_count == 1


def test_committee_tightens_lectures_to_monthly_for_its_subtree(
    tree, tasks_immediate, django_capture_on_commit_callbacks
):
    rec(tree.b, "theme-day", date(2022, 1, 10))
    rec(tree.b, "theme-day", date(2022, 2, 10))
    assert colours(tree.b, 2022, JUNE)[:2] == "gg"
    with django_capture_on_commit_callbacks(execute=True):
        tighter = services.requirement_save(
            actor=tree.users.district,
            owner=tree.district,
            code="QX-05",
            name="党课每月一次",
            kind=f.kind("party-lecture"),
            period="month",
            min_count=1,
            basis="区委组织部〔2022〕1号",
            valid_from=date(2022, 1, 1),
            replaces=builtin("ZB-05"),
        )
    # the task enqueued on commit re-evaluated the subtree: January and February now miss a 党课
    assert colours(tree.b, 2022, JUNE)[:2] == "rr"
    view = selectors.branch_year(actor=scoping.SYSTEM, org=tree.b, year=2022, today=JUNE)
    march = {e.rule.code for e in view.month(3).items}
    assert "QX-05" in march and "ZB-05" not in march  # replaced, not added
    with django_capture_on_commit_callbacks(execute=True):
        services.requirement_retire(actor=tree.users.district, requirement=tighter, on=date(2022, 1, 31))
    # in force until 31 January (its last day): January still owes a 党课, February no longer does
    assert colours(tree.b, 2022, JUNE)[:2] == "rg"
    assert list(
        AuditEntry.objects.filter(verb__startswith="requirement.")
        .values_list("verb", flat=True)
        .order_by("id")
    ) == ["requirement.create", "requirement.retire"]


def test_other_districts_branches_are_not_touched_by_a_committee_rule(tree):
    rec(tree.other_branch, "theme-day", date(2022, 1, 10))
    services.requirement_save(
        actor=tree.users.district,
        owner=tree.district,
        name="党课每月一次",
        kind=f.kind("party-lecture"),
        period="month",
        min_count=1,
        basis="区文件",
        valid_from=date(2022, 1, 1),
    )
    assert colours(tree.other_branch, 2022, JUNE)[0] == "g"


def test_branch_adds_weekly_political_study_on_monday(tree):
    rule = services.requirement_save(
        actor=tree.users.sec_a,
        owner=tree.a,
        code="ZZ-01",
        name="每周一政治学习",
        kind=f.kind("political-study"),
        period="week",
        min_count=1,
        weekday=0,
        basis="本支部“五个一”目标管理",
        valid_from=date(2022, 1, 1),
    )
    assert set(rule.org_types.values_list("code", flat=True)) == {"branch"}
    # Mondays of the weeks ending in February 2022: 31 Jan (ends 6 Feb), 7, 14, 21 Feb (ends 27 Feb); the week of
    # 31 Jan is 春节 (法定节假日, 31 Jan–6 Feb): not due, so three weeks are due and the record on 31 Jan is extra
    for day in (date(2022, 1, 31), date(2022, 2, 7), date(2022, 2, 14)):
        rec(tree.a, "political-study", day)
    rec(tree.a, "political-study", date(2022, 2, 22))  # a Tuesday: does not count
    view = selectors.branch_year(actor=scoping.SYSTEM, org=tree.a, year=2022, today=JUNE)
    feb = {e.rule.code: e for e in view.month(2).items}
    assert (feb["ZZ-01"].item.count, feb["ZZ-01"].item.needed) == (2, 3)
    assert feb["ZZ-01"].label == "未完成"
    rec(tree.a, "political-study", date(2022, 2, 21))
    view = selectors.branch_year(actor=scoping.SYSTEM, org=tree.a, year=2022, today=JUNE)
    assert {e.rule.code: e for e in view.month(2).items}["ZZ-01"].label == "已完成"
    # branch B does not get branch A's own rule
    view_b = selectors.branch_year(actor=scoping.SYSTEM, org=tree.b, year=2022, today=JUNE)
    assert "ZZ-01" not in {e.rule.code for e in view_b.month(2).items}


def test_secretary_of_a_cannot_add_rules_for_b_or_the_district(tree):
    with pytest.raises(scoping.NotVisible):
        services.requirement_save(
            actor=tree.users.sec_a,
            owner=tree.b,
            name="x",
            kind=f.kind("theme-day"),
            period="month",
            min_count=1,
            basis="x",
            valid_from=date(2022, 1, 1),
        )
    with pytest.raises(scoping.NotVisible):
        services.requirement_save(
            actor=tree.users.sec_a,
            owner=tree.district,
            name="x",
            kind=f.kind("theme-day"),
            period="month",
            min_count=1,
            basis="x",
            valid_from=date(2022, 1, 1),
        )
    assert not Requirement.objects.unscoped().filter(name="x").exists()


def test_requirement_form_shows_chinese_errors_and_saves_nothing(tree, login):
    client = login(tree.users.sec_a)
    before = Requirement.objects.unscoped().count()
    response = client.post(
        reverse("rules:requirement_add", args=[tree.a.code]),
        {
            "name": "每周政治学习",
            "kind": f.kind("political-study").pk,
            "period": "year",
            "weekday": "0",
            "min_count": "0",
            "grace_days": "7",
            "basis": "本支部",
            "valid_from": "2022-01-01",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "每周期至少次数必须是正整数（至少 1 次）。" in html
    assert Requirement.objects.unscoped().count() == before


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("min_count", "0", "每周期至少次数必须是正整数（至少 1 次）。"),
        ("min_count", "-3", "每周期至少次数必须是正整数（至少 1 次）。"),
        ("min_count", "400", "每周期至少次数过大，请核对。"),
        ("min_attendance", "0", "最低出席率应在 0 到 1 之间（如 0.8 表示 80%）。"),
        ("min_attendance", "1.5", "最低出席率应在 0 到 1 之间（如 0.8 表示 80%）。"),
        ("grace_days", "91", "补录宽限不能超过 90 天。"),
        ("grace_days", "-1", "补录宽限天数不能为负数。"),
        ("closes_month", "7", "次年截止月应为 1–6 月。"),
        ("closes_day", "0", "次年截止日应为 1–31 日。"),
    ],
)
def test_a_number_out_of_bounds_is_reported_in_the_first_round_with_the_other_errors(
    tree, login, field, value, message
):
    """The name is missing too: both errors show at once, not the number only after the name is fixed."""
    client = login(tree.users.sec_a)
    before = Requirement.objects.unscoped().count()
    data = {
        "name": "",
        "kind": f.kind("political-study").pk,
        "period": "year",
        "min_count": "1",
        "grace_days": "7",
        "basis": "本支部",
        "valid_from": "2022-01-01",
    }
    data[field] = value
    response = client.post(reverse("rules:requirement_add", args=[tree.a.code]), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert form.errors["name"] == ["这个字段是必填项。"]
    assert Requirement.objects.unscoped().count() == before


def test_requirement_form_adds_a_branch_rule_and_relights(
    tree, login, tasks_immediate, django_capture_on_commit_callbacks
):
    rec(tree.a, "theme-day", date(2022, 1, 10), refresh=True)
    client = login(tree.users.sec_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("rules:requirement_add", args=[tree.a.code]),
            {
                "name": "每周政治学习",
                "code": "ZZ-01",
                "kind": f.kind("political-study").pk,
                "period": "week",
                "weekday": "0",
                "min_count": "1",
                "grace_days": "7",
                "basis": "本支部",
                "valid_from": "2022-01-01",
            },
        )
    assert response.status_code == 302
    req = Requirement.objects.unscoped().get(code="ZZ-01")
    assert req.owner == tree.a
    items = MonthLight.objects.unscoped().get(org=tree.a, year=2022, month=1).items
    assert req.pk in [row[0] for row in items]


def test_a_requirement_change_relights_in_a_task_not_in_the_request(
    tree, login, tasks_dummy, django_capture_on_commit_callbacks
):
    rec(tree.b, "theme-day", date(2022, 1, 10))
    before = list(
        MonthLight.objects.unscoped()
        .filter(org=tree.b)
        .order_by("month")
        .values_list("month", "base", "open_deadline", "items", "computed_at")
    )
    client = login(tree.users.district)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("rules:requirement_add", args=[tree.district.code]),
            {
                "name": "党课每月一次",
                "code": "QX-05",
                "kind": f.kind("party-lecture").pk,
                "period": "month",
                "min_count": "1",
                "grace_days": "7",
                "basis": "区委组织部文件",
                "valid_from": "2022-01-01",
                "replaces": builtin("ZB-05").pk,
                "org_types": [t.pk for t in OrgType.objects.filter(level="branch")],
            },
            follow=True,
        )
    assert response.status_code == 200
    assert "亮灯正在后台按新要求重新计算" in response.content.decode()
    assert "制度要求“党课每月一次”已修改" in response.content.decode()  # the requirements page says so too
    # nothing was re-evaluated inside the request …
    assert (
        list(
            MonthLight.objects.unscoped()
            .filter(org=tree.b)
            .order_by("month")
            .values_list("month", "base", "open_deadline", "items", "computed_at")
        )
        == before
    )
    # … one task was enqueued for the committee's subtree, the stored years and this year …
    marker = Relight.objects.unscoped().get()
    assert (marker.org, marker.reason, marker.finished_at) == (
        tree.district,
        "制度要求“党课每月一次”已修改",
        None,
    )
    assert [(r.task.name, r.args) for r in tasks_dummy.results] == [
        ("relight_subtree", [tree.district.path, None, marker.pk])
    ]
    # … and until it has run, the boards over the subtree say their lights are being recomputed
    board = reverse("rules:board", args=[tree.district.code]) + "?year=2022"
    assert "制度要求“党课每月一次”已修改" in client.get(board).content.decode()
    committee = reverse("rules:branch", args=[tree.district.code]) + "?month=2022-01"
    assert "制度要求“党课每月一次”已修改" in client.get(committee).content.decode()
    task = tasks_dummy.results[0]
    # the stored year (2022) and this year for branches A and B: every month new or now owing a 党课
    assert task.task.call(*task.args) == 2 * 2 * 12
    assert Relight.objects.unscoped().get().finished_at is not None
    assert "已修改" not in client.get(board).content.decode()
    assert "已修改" not in client.get(committee).content.decode()
    assert MonthLight.objects.unscoped().get(org=tree.b, year=2022, month=1).open_deadline is not None
