"""Reads of the appraisal app shared by the pages and the API: rounds and who is what in them, ratings (hidden
until a round closes), 民主评议 state and tally, members' results."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from .models import (
    GRADE_ORDER,
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

# ---- appraisal rounds -----------------------------------------------------------------------------------


@dataclass
class RoundAccess:
    round: AppraisalRound
    supervisor: bool
    appraiser: RoundAppraiser | None
    own: list  # RoundParticipant rows the actor reports in


def round_access(actor, pk: int) -> RoundAccess:
    """The round and what the actor is in it: supervisor (SUPERVISE over the round's organisation), appraiser
    (named in the round), reporting secretary (REPORT over a participating branch); 404 if none of these."""
    the_round = (
        AppraisalRound.objects.visible_to(actor, Action.SUPERVISE).select_related("org").filter(pk=pk).first()
    )
    supervisor = the_round is not None
    appraiser = None
    if getattr(actor, "pk", None):
        appraiser = RoundAppraiser.objects.own(actor).filter(round_id=pk).select_related("round__org").first()
    own = list(
        RoundParticipant.objects.visible_to(actor, Action.REPORT)
        .filter(round_id=pk)
        .select_related("round__org", "org", "report")
    )
    if the_round is None:
        the_round = appraiser.round if appraiser else (own[0].round if own else None)
    if the_round is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return RoundAccess(round=the_round, supervisor=supervisor, appraiser=appraiser, own=own)


def participant_for(actor, pk: int, action: str) -> RoundParticipant:
    p = (
        RoundParticipant.objects.visible_to(actor, action)
        .select_related("round", "org", "report")
        .filter(pk=pk)
        .first()
    )
    if p is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return p


def participant_for_appraiser(actor, pk: int) -> RoundParticipant:
    """A participant as seen by an appraiser of its round (identity, not subtree)."""
    if not getattr(actor, "pk", None):
        raise scoping.NotVisible("不存在或无权访问。")
    appraiser = RoundAppraiser.objects.own(actor).filter(round__participants__pk=pk).first()
    if appraiser is None:
        raise scoping.NotVisible("不存在或无权访问。")
    # The round's own related manager: reached through the appraiser row, not through the subtree.
    return appraiser.round.participants.select_related("round", "org", "report", "secretary").get(pk=pk)


def rounds_for(actor) -> dict[str, list]:
    supervised = list(
        AppraisalRound.objects.visible_to(actor, Action.SUPERVISE)
        .select_related("org")
        .annotate(n=Count("participants"))
    )
    reporting = list(
        RoundParticipant.objects.visible_to(actor, Action.REPORT)
        .select_related("round", "org", "report")
        .order_by("-round__year", "-round_id")
    )
    appraising = []
    if getattr(actor, "pk", None):
        appraising = [
            a.round
            for a in RoundAppraiser.objects.own(actor)
            .select_related("round", "round__org")
            .order_by("-round__year", "-round_id")
        ]
    return {"supervised": supervised, "reporting": reporting, "appraising": appraising}


def round_participants(access: RoundAccess) -> list[RoundParticipant]:
    """Supervisor and appraisers see every participant; a secretary sees their own."""
    if access.supervisor or access.appraiser:
        return list(
            access.round.participants.select_related("org", "report", "secretary").order_by("org__path")
        )
    return access.own


def my_ratings(access: RoundAccess) -> dict[int, RoundRating]:
    if not access.appraiser:
        return {}
    return {r.participant_id: r for r in access.appraiser.ratings.all()}


def rating_progress(the_round: AppraisalRound) -> dict[int, int]:
    """How many ratings each participant has (numbers only: levels stay hidden until the round closes)."""
    return dict(
        RoundRating.objects.unscoped()
        .filter(participant__round=the_round)
        .values_list("participant_id")
        .annotate(n=Count("id"))
    )


def round_ratings(access: RoundAccess) -> dict[int, list[RoundRating]]:
    """Individual ratings: only once the round is closed; appraiser names only for the supervisor."""
    if not access.round.is_closed:
        return {}
    allowed = {p.pk for p in round_participants(access)}
    result: dict[int, list[RoundRating]] = defaultdict(list)
    for rating in (
        RoundRating.objects.unscoped()
        .filter(participant__round=access.round, participant_id__in=allowed)
        .select_related("appraiser__user")
        .order_by("participant_id", "rated_at", "id")
    ):
        result[rating.participant_id].append(rating)
    return dict(result)


def result_rows(the_round: AppraisalRound, participants: list[RoundParticipant]) -> list[dict]:
    rows = []
    for p in participants:
        total = sum(p.counts.get(level, 0) for level in LEVEL_ORDER) if p.counts else 0
        share = p.good_share
        rows.append(
            {
                "participant": p,
                "org": p.org,
                "secretary": str(p.secretary or ""),
                "counts": [p.counts.get(level, 0) if p.counts else 0 for level in LEVEL_ORDER],
                "total": total,
                "share": share,
                "share_text": f"{share * 100:.1f}%" if share is not None else "—",
                "grade": Level(p.grade).label if p.grade else "—",
                "findings": p.findings,
            }
        )
    return rows


LEVEL_LABELS = [Level(level).label for level in LEVEL_ORDER]


# ---- democratic appraisal -------------------------------------------------------------------------------


def reviews(actor, org: Organisation) -> QuerySet[DemocraticReview]:
    return DemocraticReview.objects.visible_to(actor, Action.SCHEDULE).filter(org=org).order_by("-year")


def review_get(actor, pk: int) -> DemocraticReview:
    review = (
        DemocraticReview.objects.visible_to(actor, Action.SCHEDULE)
        .select_related("org")
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return review


def review_state(actor, review: DemocraticReview) -> dict:
    from .services import eligible_members

    members = list(eligible_members(actor, review))
    me = next((m for m in members if scoping.is_own(actor, m)), None)
    voted = set(
        ReviewVoter.objects.visible_to(actor, Action.SCHEDULE)
        .filter(review=review)
        .values_list("member_id", flat=True)
    )
    selfs = {
        s.member_id: s
        for s in SelfAssessment.objects.visible_to(actor, Action.SCHEDULE).filter(review=review)
    }
    return {
        "members": members,
        "me": me,
        "has_voted": bool(me and me.pk in voted),
        "voted_count": len(voted),
        "self_assessments": selfs,
        "my_self": selfs.get(me.pk) if me else None,
    }


def review_tally(actor, review: DemocraticReview) -> list[dict]:
    """Counts per member and grade; only for the committee (RECORD) and only after voting ended."""
    scoping.require(actor, Action.RECORD, review.org)
    if review.status == DemocraticReview.Status.VOTING:
        return []
    from .services import eligible_members

    counts: dict[int, Counter] = defaultdict(Counter)
    for subject_id, grade, n in (
        ReviewBallot.objects.visible_to(actor, Action.RECORD)
        .filter(review=review)
        .values_list("subject_id", "grade")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[subject_id][grade] = n
    decided = {
        g.member_id: g for g in MemberGrade.objects.visible_to(actor, Action.RECORD).filter(review=review)
    }
    rows = []
    for m in eligible_members(actor, review, Action.RECORD):
        c = counts.get(m.pk, Counter())
        suggestion = (
            max(GRADE_ORDER, key=lambda g: (c.get(g, 0), -GRADE_ORDER.index(g))) if c else Grade.QUALIFIED
        )
        rows.append(
            {
                "member": m,
                "counts": [c.get(g, 0) for g in GRADE_ORDER],
                "total": sum(c.values()),
                "suggested": suggestion,
                "decided": decided.get(m.pk),
            }
        )
    return rows


def member_grades(actor, org: Organisation) -> QuerySet[MemberGrade]:
    """The history of 民主评议 results of a branch's members."""
    return (
        MemberGrade.objects.visible_to(actor, Action.VIEW)
        .filter(member__branch=org)
        .select_related("member")
        .order_by("member__name_pinyin", "-year")
    )


GRADE_LABELS = [Grade(g).label for g in GRADE_ORDER]
