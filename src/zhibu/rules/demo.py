"""Demo lights: the 2022 month lights of every district branch, stored, with one two-in-a-row flag
(清河小学党支部 held no 支委会 in October and November 2022) and the district's follow-up on it."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from zhibu.orgs.models import OrgType
from zhibu.records.models import Activity, ActivityKind

from . import selectors, services
from .models import FollowUp, Requirement

YEAR = 2022


def build(ctx) -> None:
    district = ctx.orgs["district-edu"]
    qinghe = ctx.orgs["qinghe-ps"]
    kg = ctx.orgs["wolongshan-kg"]
    committee = ActivityKind.objects.get(code="committee-meeting", org=None)

    # The flag the board must show: no 支委会 for 清河小学 in October and November (the core demo plans it so;
    # make sure of it here rather than trust it).
    Activity.objects.unscoped().filter(org=qinghe, kind=committee, held_on__year=YEAR,
                                       held_on__month__in=(10, 11)).delete()

    # The kindergarten's own "五个一" weekly political study (Monday), written down as its own rule from 2023 on:
    # in 2022 the study paused in the holidays, so the rule would not have been a fair light for that year.
    own = Requirement.objects.unscoped().create(
        code="WLS-01", name="每周一集体政治学习", kind=ActivityKind.objects.get(code="political-study", org=None),
        period="week", min_count=1, weekday=0, basis="本支部“五个一”目标管理（每周一中午 1:00—2:00）",
        local_rule=True, valid_from=date(2023, 1, 1), owner=kg, grace_days=7,
        note="寒暑假可在支部会议上调整。")
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
        org=qinghe, year=YEAR, month=month, kind=FollowUp.Kind.TALK, on=date(YEAR, 12, 6), by=district_user,
        by_name=str(district_user)[:50], note="约谈支部书记：10、11 月未召开支委会，要求每月按时召开并补齐记录。",
        created_at=timezone.make_aware(datetime.combine(date(YEAR, 12, 6), time(10, 0))))

    names = {"g": "绿", "y": "黄", "r": "红", "o": "进行中", "n": "无"}
    kg_codes = codes[kg.pk]
    months = "、".join(f"{m}月{names[c]}" for m, c in enumerate(kg_codes, start=1))
    ctx.notes.append(f"卧龙山街道中心幼儿园党支部 2022 年亮灯：{months}"
                     f"（绿 {kg_codes.count('g')}、黄 {kg_codes.count('y')}、红 {kg_codes.count('r')}）。")
    ctx.notes.append(f"清河小学党支部 {month - max(runs) + 1}–{month} 月连续 {max(runs)} 个月黄/红灯，"
                     "区教体局党委已记录约谈（district 账号的亮灯看板可见）。")
