"""Every write of the appraisal app: 述职评议 rounds (open, submit a report, rate, close) and 民主评议党员 (open,
self-assessment, anonymous mutual rating, count, the committee's grades)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation, RoleAssignment
from zhibu.orgs.roles import Action, Role
from zhibu.people.models import Member, Status
from zhibu.reports.models import Report
from zhibu.reports.services import check_year, user_or_none
from zhibu.work import services as work_services

if TYPE_CHECKING:
    from zhibu.accounts.models import User

from .models import (
    LEVEL_ORDER,
    AppraisalRound,
    DemocraticReview,
    Grade,
    Level,
    MemberGrade,
    ReviewBallot,
    ReviewVoter,
    RoundAppraiser,
    RoundParticipant,
    RoundRating,
    SelfAssessment,
)

# ---- appraisal rounds (述职评议) --------------------------------------------------------------------------

_SPLIT = re.compile(r"[\s,，、;；]+")


def parse_usernames(raw: str) -> list[str]:
    return [name for name in _SPLIT.split(raw or "") if name]


def _in_subtree(org: Organisation, path: str) -> bool:
    return path.startswith(org.path)


@transaction.atomic
def round_open(
    *,
    actor,
    org: Organisation,
    year: int,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    branches: list[Organisation],
    appraisers: list[str],
    threshold: int = 60,
) -> AppraisalRound:
    """Open a 述职评议 round over branches of the org's subtree, with named appraisers.

    Appraisers are users holding any role in the org or below it (they need not hold SUPERVISE)."""
    scoping.require(actor, Action.SUPERVISE, org)
    errors: dict[str, list[str]] = {}
    check_year(year)
    if not branches:
        errors.setdefault("branches", []).append("请至少选择一个参加述职的党支部。")
    for branch in branches:
        if not _in_subtree(org, branch.path) or branch.pk == org.pk or not branch.is_branch:
            errors.setdefault("branches", []).append(f"{branch.name}不是本组织下属的党支部。")
    names = list(dict.fromkeys(appraisers))
    if not names:
        errors.setdefault("appraisers", []).append("请至少指定一名评议人。")
    users = {
        u.username: u for u in get_user_model()._default_manager.filter(username__in=names, is_active=True)
    }
    unknown = [n for n in names if n not in users]
    if unknown:
        errors.setdefault("appraisers", []).append(f"以下用户不存在或已停用：{'、'.join(unknown)}")
    in_scope = set(
        RoleAssignment.objects.filter(
            user__in=users.values(), org__path__gte=org.path, org__path__lte=scoping.path_bounds(org.path)[1]
        ).values_list("user__username", flat=True)
    )
    outside = [n for n in names if n in users and n not in in_scope]
    if outside:
        errors.setdefault("appraisers", []).append(
            f"以下用户在本组织范围内没有任何角色，不能担任评议人：{'、'.join(outside)}"
        )
    secretaries: dict[int, User] = {}
    for branch in branches:
        holder = (
            RoleAssignment.objects.filter(org=branch, role=Role.SECRETARY)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if holder is None:
            errors.setdefault("branches", []).append(f"{branch.name}没有书记账号，无法参加述职。")
        else:
            secretaries[branch.pk] = holder.user
    the_round = AppraisalRound(
        org=org,
        year=year,
        title=title.strip() or f"{year}年度党支部书记述职评议",
        opens_at=opens_at,
        closes_at=closes_at,
        threshold=threshold,
        created_by=user_or_none(actor),
    )
    try:
        the_round.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    the_round.save()
    RoundParticipant.objects.unscoped().bulk_create(
        [RoundParticipant(round=the_round, org=b, secretary=secretaries[b.pk]) for b in branches]
    )
    RoundAppraiser.objects.unscoped().bulk_create(
        [RoundAppraiser(round=the_round, user=users[n]) for n in names]
    )
    audit.log(
        actor=actor,
        verb="round.open",
        target=the_round,
        detail={"branches": [b.code for b in branches], "appraisers": names},
    )
    return the_round


@transaction.atomic
def round_submit(*, actor, participant: RoundParticipant, report: Report | None = None) -> RoundParticipant:
    """A secretary submits the branch's finalised report into the round."""
    scoping.require(actor, Action.REPORT, participant.org)
    participant = (
        RoundParticipant.objects.visible_to(actor, Action.REPORT).select_for_update().get(pk=participant.pk)
    )
    the_round = participant.round
    if the_round.is_closed:
        raise ValidationError("本轮述职评议已结束，不能再提交。")
    if report is None:
        report = (
            Report.objects.visible_to(actor, Action.REPORT)
            .filter(org=participant.org, year=the_round.year, status=Report.Status.FINAL)
            .order_by("-version")
            .first()
        )
        if report is None:
            raise ValidationError(f"{the_round.year}年度述职报告尚未定稿，请先定稿再提交。")
    if report.org_id != participant.org_id or report.year != the_round.year:
        raise ValidationError("只能提交本支部本年度的述职报告。")
    if not report.is_final:
        raise ValidationError("草稿不能提交，请先定稿再提交。")
    if participant.report_id and participant.report_id != report.pk and participant.ratings.exists():
        raise ValidationError("已有评议人评议，不能更换已提交的报告。")
    participant.report = report
    participant.submitted_at = timezone.now()
    participant.save(update_fields=["report", "submitted_at"])
    audit.log(actor=actor, verb="round.submit", target=participant, detail={"report": report.pk})
    return participant


def appraiser_of(actor, the_round: AppraisalRound) -> RoundAppraiser | None:
    if not getattr(actor, "pk", None):
        return None
    return RoundAppraiser.objects.own(actor).filter(round=the_round).first()


@transaction.atomic
def round_rate(
    *, actor, participant: RoundParticipant, level: str, comment: str = "", now: datetime | None = None
) -> RoundRating:
    """An appraiser rates one submitted report, once, inside the window."""
    appraiser = appraiser_of(actor, participant.round)
    if appraiser is None:
        raise scoping.NotVisible("不存在或无权访问。")
    # Lock this appraiser's row: two ratings by the same appraiser are serialised; the round is re-read.
    appraiser = (
        RoundAppraiser.objects.unscoped().select_for_update().select_related("round").get(pk=appraiser.pk)
    )
    the_round = appraiser.round
    now = now or timezone.now()
    if the_round.is_closed:
        raise ValidationError("本轮述职评议已结束，不能再评议。")
    if now < the_round.opens_at:
        raise ValidationError(
            f"评议尚未开始（{timezone.localtime(the_round.opens_at):%Y-%m-%d %H:%M} 开始）。"
        )
    if now > the_round.closes_at:
        raise ValidationError(
            f"评议已截止（{timezone.localtime(the_round.closes_at):%Y-%m-%d %H:%M} 截止）。"
        )
    if level not in Level.values:
        raise ValidationError({"level": "请选择评议等次：好、较好、一般或差。"})
    if participant.report_id is None:
        raise ValidationError("该支部尚未提交述职报告，暂不能评议。")
    if RoundRating.objects.unscoped().filter(participant=participant, appraiser=appraiser).exists():
        raise ValidationError("您已评议过该报告，不能重复评议。")
    rating = RoundRating(
        participant=participant,
        appraiser=appraiser,
        level=level,
        comment=comment.strip()[:2000],
        rated_at=now,
    )
    rating.full_clean(exclude=["participant", "appraiser"])
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as exc:  # a second request racing the first
        raise ValidationError("您已评议过该报告，不能重复评议。") from exc
    audit.log(
        actor=actor,
        verb="round.rate",
        target=participant,
        org_path=participant.org.path,
        detail={"round": the_round.pk},
    )
    return rating


def grade_for(counts: dict[str, int], threshold: int) -> str:
    """The default grading rule (cumulative shares): 好 if the share of 好 reaches the threshold; else 较好 if
    好+较好 reaches it; else 一般 if 好+较好+一般 reaches it; else 差. No votes → no grade."""
    total = sum(counts.get(level, 0) for level in LEVEL_ORDER)
    if not total:
        return ""
    running = 0
    for level in LEVEL_ORDER[:-1]:
        running += counts.get(level, 0)
        if running * 100 >= threshold * total:
            return level
    return Level.POOR


@transaction.atomic
def round_close(
    *, actor, the_round: AppraisalRound, findings: dict[int, str] | None = None
) -> AppraisalRound:
    """Close a round: count the ratings, set each branch's grade, publish, and turn findings into problems in
    each branch's ledger (work.Problem, source 述职评议)."""
    scoping.require(actor, Action.SUPERVISE, the_round.org)
    the_round = (
        AppraisalRound.objects.visible_to(actor, Action.SUPERVISE).select_for_update().get(pk=the_round.pk)
    )
    if the_round.is_closed:
        raise ValidationError("本轮述职评议已经结束。")
    findings = findings or {}
    participants = list(
        RoundParticipant.objects.visible_to(actor, Action.SUPERVISE)
        .filter(round=the_round)
        .select_related("org")
    )
    known = {p.pk for p in participants}
    if set(findings) - known:
        raise ValidationError("评议意见对应的述职人不在本轮评议中。")
    counts_by: dict[int, Counter[str]] = {p.pk: Counter() for p in participants}
    for participant_id, level in (
        RoundRating.objects.unscoped()
        .filter(participant__round=the_round)
        .values_list("participant_id", "level")
    ):
        counts_by[participant_id][level] += 1
    created = 0
    for p in participants:
        p.counts = {level: counts_by[p.pk].get(level, 0) for level in LEVEL_ORDER}
        p.grade = grade_for(p.counts, the_round.threshold)
        p.findings = (findings.get(p.pk) or "").strip()
        p.save(update_fields=["counts", "grade", "findings"])
        created += _findings_to_problems(actor, p, the_round)
    the_round.status = AppraisalRound.Status.CLOSED
    the_round.closed_at = timezone.now()
    the_round.save(update_fields=["status", "closed_at"])
    audit.log(
        actor=actor,
        verb="round.close",
        target=the_round,
        detail={"grades": {p.org.code: p.grade for p in participants}, "problems": created},
    )
    return the_round


def _findings_to_problems(actor, participant: RoundParticipant, the_round: AppraisalRound) -> int:
    """Each non-empty line of the findings becomes one problem of the branch for the round's year, written by the
    work app (which owns the problem list): "类别：说明", or the whole line under 述职评议意见."""
    lines = [line.strip(" -·•\t") for line in participant.findings.splitlines() if line.strip(" -·•\t")]
    if not lines:
        return 0
    findings = []
    for line in lines:
        category, _, description = line.partition("：")
        findings.append((category, description) if description else ("述职评议意见", line))
    created = work_services.problems_from_appraisal(
        actor=actor,
        org=participant.org,
        year=the_round.year,
        findings=findings,
        detail={"round": the_round.pk},
    )
    return len(created)


# ---- democratic appraisal of members (民主评议党员) -------------------------------------------------------


def eligible_members(actor, review: DemocraticReview, action: str = Action.SCHEDULE):
    """Members who take part: 正式 and 预备党员 of the branch, in good standing, still on the roster."""
    return (
        Member.objects.visible_to(actor, action)
        .filter(
            branch=review.org,
            status__in=[Status.FULL, Status.PROBATIONARY],
            left_on__isnull=True,
            standing=Member.Standing.NORMAL,
        )
        .order_by("name_pinyin", "id")
    )


def own_member(actor, review: DemocraticReview) -> Member:
    member = eligible_members(actor, review).own(actor).first()
    if member is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return member


@transaction.atomic
def review_open(*, actor, org: Organisation, year: int) -> DemocraticReview:
    scoping.require(actor, Action.RECORD, org)
    check_year(year)
    if not org.is_branch:
        raise ValidationError("民主评议党员在党支部内开展。")
    if DemocraticReview.objects.visible_to(actor, Action.RECORD).filter(org=org, year=year).exists():
        raise ValidationError(f"{year}年度的民主评议党员已经开始。")
    review = DemocraticReview(org=org, year=year, opened_by=user_or_none(actor))
    review.full_clean()
    review.save()
    audit.log(actor=actor, verb="review.open", target=review, detail={"year": year})
    return review


def _voting(review: DemocraticReview) -> None:
    if review.status != DemocraticReview.Status.VOTING:
        raise ValidationError("自评互评已经结束。")


@transaction.atomic
def review_self_assess(*, actor, review: DemocraticReview, text: str) -> SelfAssessment:
    member = own_member(actor, review)
    _voting(review)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写个人自评。"})
    if len(text) > 5000:
        raise ValidationError({"text": "个人自评不能超过 5000 字。"})
    entry = SelfAssessment.objects.visible_to(actor, Action.SCHEDULE).filter(
        review=review, member=member
    ).first() or SelfAssessment(review=review, member=member)
    entry.text = text
    entry.full_clean()
    entry.save()
    audit.log(actor=actor, verb="review.self_assess", target=review, detail={"member": member.pk})
    return entry


@transaction.atomic
def review_vote(*, actor, review: DemocraticReview, grades: dict[int, str]) -> None:
    """One member's anonymous ratings of every other member. The ballots carry no voter; ReviewVoter records
    only that this member has voted (so a second vote is refused)."""
    member = own_member(actor, review)
    review = DemocraticReview.objects.visible_to(actor, Action.SCHEDULE).select_for_update().get(pk=review.pk)
    _voting(review)
    if ReviewVoter.objects.visible_to(actor, Action.SCHEDULE).filter(review=review, member=member).exists():
        raise ValidationError("您已经投过票，不能重复投票。")
    others = [m.pk for m in eligible_members(actor, review) if m.pk != member.pk]
    grades = {int(k): v for k, v in grades.items() if int(k) != member.pk}
    if set(grades) - set(others):
        raise ValidationError("评价对象不在本次民主评议名单中。")
    missing = [pk for pk in others if not grades.get(pk)]
    if missing:
        raise ValidationError(f"还有 {len(missing)} 名党员未评价，请逐一选择评价等次。")
    if any(value not in Grade.values for value in grades.values()):
        raise ValidationError("评价等次只能是优秀、合格、基本合格或不合格。")
    try:
        with transaction.atomic():
            ReviewVoter(review=review, member=member).save()
    except IntegrityError as exc:
        raise ValidationError("您已经投过票，不能重复投票。") from exc
    ReviewBallot.objects.unscoped().bulk_create(
        [ReviewBallot(review=review, subject_id=pk, grade=grades[pk]) for pk in others]
    )
    # The audit entry says who voted, never how.
    audit.log(actor=actor, verb="review.vote", target=review)


@transaction.atomic
def review_count(*, actor, review: DemocraticReview) -> DemocraticReview:
    """End self-assessment and mutual rating; the tally becomes visible to the committee."""
    scoping.require(actor, Action.RECORD, review.org)
    review = DemocraticReview.objects.visible_to(actor, Action.RECORD).select_for_update().get(pk=review.pk)
    _voting(review)
    review.status = DemocraticReview.Status.COUNTED
    review.counted_at = timezone.now()
    review.save(update_fields=["status", "counted_at"])
    audit.log(actor=actor, verb="review.count", target=review)
    return review


def excellent_limit(member_count: int) -> int:
    """ZB-12: 优秀 generally at most one third of the members."""
    return member_count // 3


@transaction.atomic
def review_decide(
    *,
    actor,
    review: DemocraticReview,
    grades: dict[int, str],
    body: str = "支委会",
    notes: dict[int, str] | None = None,
) -> list[MemberGrade]:
    """The committee (or the members' meeting) sets each member's grade; 优秀 ≤ one third is checked."""
    scoping.require(actor, Action.RECORD, review.org)
    review = DemocraticReview.objects.visible_to(actor, Action.RECORD).select_for_update().get(pk=review.pk)
    if review.status == DemocraticReview.Status.VOTING:
        raise ValidationError("请先结束互评并计票，再确定评议等次。")
    if review.status == DemocraticReview.Status.DECIDED:
        raise ValidationError("本年度评议等次已经确定。")
    if body not in ("支委会", "党员大会"):
        raise ValidationError({"body": "评议等次由支委会或党员大会确定。"})
    members = list(eligible_members(actor, review, Action.RECORD))
    grades = {int(k): v for k, v in grades.items() if v}
    ids = {m.pk for m in members}
    if set(grades) - ids:
        raise ValidationError("评定对象不在本次民主评议名单中。")
    if ids - set(grades):
        raise ValidationError(f"还有 {len(ids - set(grades))} 名党员未确定等次。")
    if any(value not in Grade.values for value in grades.values()):
        raise ValidationError("评议等次只能是优秀、合格、基本合格或不合格。")
    excellent = sum(1 for value in grades.values() if value == Grade.EXCELLENT)
    limit = excellent_limit(len(members))
    if excellent > limit:
        raise ValidationError(
            f"评为优秀的党员不能超过参评党员的三分之一（{len(members)} 人中最多 {limit} 人），"
            f"现为 {excellent} 人。"
        )
    notes = notes or {}
    now = timezone.now()
    rows = [
        MemberGrade(
            member=m,
            review=review,
            year=review.year,
            grade=grades[m.pk],
            note=(notes.get(m.pk) or "")[:200],
            decided_at=now,
        )
        for m in members
    ]
    for row in rows:
        row.full_clean(exclude=["member", "review"])
    MemberGrade.objects.unscoped().bulk_create(rows)
    review.status = DemocraticReview.Status.DECIDED
    review.decided_at = now
    review.decided_by_body = body
    review.save(update_fields=["status", "decided_at", "decided_by_body"])
    audit.log(
        actor=actor,
        verb="review.decide",
        target=review,
        detail={"counts": dict(Counter(grades.values())), "body": body},
    )
    return rows
