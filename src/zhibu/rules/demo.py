"""Demo lights: the 2022 month lights of every district branch, stored, with one two-in-a-row flag
(清河小学党支部's October 2022 支委会 fell short of its quorum and it held none in November) and the district's
follow-up on it; the kindergarten's own weekly political study, with the district's 寒暑假 and the 法定节假日
exempting their weeks; and a 请假 month in a run of missed meetings at 东城幼儿园党支部 (产假 in June 2022), which
the member watch names and does not count as absence."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from zhibu.orgs.models import OrgBreak, OrgType
from zhibu.people.models import COMMITTEE_POSTS, Member
from zhibu.records.models import Activity, ActivityKind, Attendance

from . import selectors, services
from .models import FollowUp, Requirement

YEAR = 2022


def build(ctx) -> None:
    district = ctx.orgs["district-edu"]
    qinghe = ctx.orgs["qinghe-ps"]
    kg = ctx.orgs["wolongshan-kg"]
    committee = ActivityKind.objects.shipped().get(code="committee-meeting")

    # The flag the board must show: no 支委会 for 清河小学 in October and November (the core demo plans it so;
    # make sure of it here rather than trust it).
    Activity.objects.unscoped().filter(
        org=qinghe, kind=committee, held_on__year=YEAR, held_on__month__in=(10, 11)
    ).delete()
    _below_quorum_meeting(qinghe, committee, ctx.users["district"])

    leave_note = _maternity_leave(ctx.orgs["dongcheng-kg"])

    # 寒暑假 of the district's schools, marked once at the district and inherited by every branch below it.
    for name, start, end in (
        ("寒假", date(YEAR, 1, 24), date(YEAR, 2, 13)),
        ("暑假", date(YEAR, 7, 11), date(YEAR, 8, 28)),
    ):
        OrgBreak.objects.unscoped().create(org=district, name=name, starts_on=start, ends_on=end)

    # The kindergarten's own "五个一" weekly political study (Monday), as the seed report describes it for 2022.
    # Weeks inside the 寒暑假 above or whose Monday is a 法定节假日 (e.g. 10月3日, 国庆) are not due.
    own = Requirement.objects.unscoped().create(
        code="WLS-01",
        name="每周一集体政治学习",
        kind=ActivityKind.objects.shipped().get(code="political-study"),
        period="week",
        min_count=1,
        weekday=0,
        basis="本支部“五个一”目标管理（每周一中午 1:00—2:00）",
        local_rule=True,
        valid_from=date(YEAR, 1, 1),
        owner=kg,
        grace_days=7,
        note="寒暑假和法定节假日所在的周不作要求。",
    )
    own.org_types.set(OrgType.objects.filter(pk=kg.type_id))

    services.relight(district.path, {YEAR})

    today = timezone.localdate()
    warn = selectors.warn_days()
    codes = selectors.stored_codes(district.path, YEAR, today, warn)
    runs = selectors.streaks(codes[qinghe.pk])
    assert max(runs) >= 2, f"清河小学 2022 should show two yellow/red months in a row, got {codes[qinghe.pk]}"
    month = runs.index(max(runs)) + 1
    district_user = ctx.users["district"]
    FollowUp.objects.unscoped().create(
        org=qinghe,
        year=YEAR,
        month=month,
        kind=FollowUp.Kind.TALK,
        on=date(YEAR, 12, 6),
        by=district_user,
        by_name=str(district_user)[:50],
        note="约谈支部书记：10 月支委会未达法定人数、11 月未召开支委会，要求每月按时召开并补齐记录。",
        created_at=timezone.make_aware(datetime.combine(date(YEAR, 12, 6), time(10, 0))),
    )

    names = {"g": "绿", "y": "黄", "r": "红", "o": "进行中", "n": "无"}
    kg_codes = codes[kg.pk]
    months = "、".join(f"{m}月{names[c]}" for m, c in enumerate(kg_codes, start=1))
    ctx.notes.append(
        f"卧龙山街道中心幼儿园党支部 2022 年亮灯：{months}"
        f"（绿 {kg_codes.count('g')}、黄 {kg_codes.count('y')}、红 {kg_codes.count('r')}）。"
    )
    ctx.notes.append(
        f"清河小学党支部 {month - max(runs) + 1}–{month} 月连续 {max(runs)} 个月黄/红灯"
        "（10 月的支委会到会委员 1/3，未达法定人数），区教体局党委已记录约谈（district 账号的亮灯看板可见）。"
    )
    ctx.notes.append(
        "卧龙山街道中心幼儿园党支部：2022 年度组织生活会于 2023 年 2 月 15 日召开，计入 2022 年度；"
        "每周一政治学习在寒暑假和法定节假日所在的周（如 10 月 3 日—9 日，国庆）不作要求。"
    )
    ctx.notes.append(leave_note)


def _below_quorum_meeting(branch, kind, user) -> None:
    """One 支委会 of 清河小学 in October 2022 with only the secretary of its three committee members present."""
    committee = list(
        Member.objects.unscoped().filter(branch=branch, party_post__in=COMMITTEE_POSTS).order_by("id")
    )
    day = date(YEAR, 10, 10)
    starts = timezone.make_aware(datetime.combine(day, time(16, 30)))
    activity = Activity.objects.unscoped().create(
        org=branch,
        kind=kind,
        topic="10月支委会（到会委员不足半数）",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        held_on=day,
        location="党员活动室",
        host=committee[0],
        content="到会委员 1 人，未超过半数，会议未能作出决定，改期召开。",
        expected_count=len(committee),
        present_count=1,
        committee_size=len(committee),
        committee_present=1,
        recorded_at=timezone.make_aware(datetime.combine(day + timedelta(days=1), time(17, 0))),
        recorded_by=user,
    )
    Attendance.objects.unscoped().bulk_create(
        [
            Attendance(activity=activity, member=m, presence="present", reason="")
            if i == 0
            else Attendance(activity=activity, member=m, presence="leave", reason="外出培训")
            for i, m in enumerate(committee)
        ]
    )


def _maternity_leave(branch) -> str:
    """One member of 东城幼儿园党支部 attends until May 2022, is on 产假 in June (请假 with a reason), misses July to
    September and is back from October: on 2022-09-30 the watch counts three months without a good reason, not
    four, and names June as 请假."""
    member = (
        Member.objects.unscoped()
        .filter(branch=branch)
        .exclude(party_post__in=COMMITTEE_POSTS)
        .order_by("id")
        .first()
    )
    low, high = branch.subtree_bounds()
    rows = Attendance.objects.unscoped().filter(
        member=member,
        activity__org__path__gte=low,
        activity__org__path__lte=high,
        activity__held_on__year=YEAR,
    )
    rows.filter(activity__held_on__month=6).update(presence="leave", reason="产假")
    rows.filter(activity__held_on__month__in=(7, 8, 9)).update(presence="absent", reason="")
    touched = Activity.objects.unscoped().filter(
        pk__in=rows.filter(activity__held_on__month__in=(6, 7, 8, 9)).values("activity_id")
    )
    for activity in touched.annotate(present=Count("attendance", filter=Q(attendance__presence="present"))):
        Activity.objects.unscoped().filter(pk=activity.pk).update(present_count=activity.present)
    return (
        f"东城幼儿园党支部：{member.name} 2022 年 6 月产假请假、7—9 月未参加组织生活；党员预警截至 2022-09-30 "
        "计连续 3 个月（请假的 6 月有正当理由，不计为缺席）：/dues/org/dongcheng-kg/watch/?on=2022-09-30"
    )
