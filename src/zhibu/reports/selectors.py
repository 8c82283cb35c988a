"""Reads shared by the pages, the API and the command line."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, QuerySet

from zhibu.core.scoped import ScopedModel
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.records.models import Activity

from . import assemble
from .models import (
    GRADE_ORDER,
    LEVEL_ORDER,
    AppraisalRound,
    DemocraticReview,
    Grade,
    Level,
    MemberGrade,
    Report,
    ReviewBallot,
    ReviewVoter,
    RoundAppraiser,
    RoundParticipant,
    RoundRating,
    SelfAssessment,
)

# ---- reports --------------------------------------------------------------------------------------------

def reports(actor, org: Organisation | None = None, year: int | None = None) -> QuerySet[Report]:
    qs = Report.objects.visible_to(actor, Action.VIEW).select_related("org")
    if org is not None:
        qs = qs.filter(org=org)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("org__path", "-year", "-version")


def report_get(actor, pk: int, action: str = Action.VIEW) -> Report:
    report = Report.objects.visible_to(actor, action).select_related("org", "org__type").filter(pk=pk).first()
    if report is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return report


def current_content(actor, org: Organisation, year: int) -> tuple[Report | None, dict]:
    """What the report of a year says now: the latest final version as it was frozen; otherwise the draft
    refreshed in memory (edits kept, figures current); otherwise freshly assembled. Nothing is saved."""
    scoping.require(actor, Action.VIEW, org)
    versions = list(reports(actor, org, year))
    final = next((r for r in versions if r.is_final), None)
    if final is not None:
        return final, final.content
    fresh = assemble.build(actor, org, year)
    draft = next((r for r in versions if not r.is_final), None)
    if draft is not None:
        return draft, assemble.merge(draft.content, fresh)
    return None, fresh


def block_view(b: dict) -> dict:
    """A block with what the page shows beside it: changed figures and the kind of its text box."""
    changed = assemble.changed_facts(b)
    return {**b, "changed": [{**f, "was": b.get("seen", {}).get(f["key"])} for f in changed],
            "lines": max(2, min(12, len(b["text"]) // 40 + 1))}


def figures(content: dict) -> list[dict]:
    """Every fact of a report, in order, with the block it belongs to (for --json and the API)."""
    return [{**{k: v for k, v in f.items() if k != "refs"}, "block": b["key"], "records": len(f["refs"])}
            for b in content.get("blocks", []) for f in b.get("facts", [])]


@dataclass
class FactRecords:
    fact: dict
    groups: list = field(default_factory=list)  # [(verbose name, [(str(obj), obj date or None)], total)]


def fact_records(actor, report: Report, key: str, limit: int = 200) -> FactRecords:
    """The records behind one figure, read again through scoping (a record deleted or out of scope is
    simply not shown)."""
    fact = next((f for b in report.blocks for f in b.get("facts", []) if f["key"] == key), None)
    if fact is None:
        raise scoping.NotVisible("不存在或无权访问。")
    by_label: dict[str, list[int]] = defaultdict(list)
    for label, pk in fact["refs"]:
        by_label[label].append(pk)
    result = FactRecords(fact=fact)
    for label, ids in by_label.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if not issubclass(model, ScopedModel):
            continue
        qs = model.objects.visible_to(actor, Action.VIEW).filter(pk__in=ids)
        rows = []
        for obj in qs.order_by("pk")[:limit]:
            when = next((getattr(obj, a) for a in ("held_on", "date", "on", "starts_on") if hasattr(obj, a)), None)
            rows.append((str(obj), when))
        rows.sort(key=lambda r: (r[1] is None, r[1] or 0, r[0]) if r[1] else (True, 0, r[0]))
        result.groups.append((model._meta.verbose_name, rows, len(ids)))
    return result


def report_orgs(actor) -> QuerySet[Organisation]:
    """Organisations the actor writes reports for."""
    return scoping.organisations(actor, Action.REPORT).filter(type__level="branch").order_by("path")


def report_years(actor, orgs: list[Organisation]) -> dict[int, list[int]]:
    """{organisation id: the years, newest first, for which it has a report or any organisational-life record}
    — so the reports page offers every year there is something to report on, not only the last one."""
    ids = [org.pk for org in orgs]
    years: dict[int, set[int]] = {pk: set() for pk in ids}
    for org_id, year in (Activity.objects.visible_to(actor, Action.VIEW).filter(org_id__in=ids)
                         .values_list("org_id", "held_on__year").distinct()):
        years[org_id].add(year)
    for org_id, year in (Report.objects.visible_to(actor, Action.VIEW).filter(org_id__in=ids)
                         .values_list("org_id", "year").distinct()):
        years[org_id].add(year)
    return {pk: sorted(found, reverse=True) for pk, found in years.items()}


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
    the_round = AppraisalRound.objects.visible_to(actor, Action.SUPERVISE).select_related("org").filter(pk=pk).first()
    supervisor = the_round is not None
    appraiser = None
    if getattr(actor, "pk", None):
        appraiser = RoundAppraiser.objects.filter(round_id=pk, user=actor).select_related("round__org").first()
    own = list(RoundParticipant.objects.visible_to(actor, Action.REPORT).filter(round_id=pk)
               .select_related("round__org", "org", "report"))
    if the_round is None:
        the_round = appraiser.round if appraiser else (own[0].round if own else None)
    if the_round is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return RoundAccess(round=the_round, supervisor=supervisor, appraiser=appraiser, own=own)


def participant_for(actor, pk: int, action: str) -> RoundParticipant:
    p = RoundParticipant.objects.visible_to(actor, action).select_related("round", "org", "report").filter(pk=pk).first()
    if p is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return p


def participant_for_appraiser(actor, pk: int) -> RoundParticipant:
    """A participant as seen by an appraiser of its round (identity, not subtree)."""
    if not getattr(actor, "pk", None):
        raise scoping.NotVisible("不存在或无权访问。")
    appraiser = RoundAppraiser.objects.filter(user=actor, round__participants__pk=pk).first()
    if appraiser is None:
        raise scoping.NotVisible("不存在或无权访问。")
    # The round's own related manager: reached through the appraiser row, not through the subtree.
    return appraiser.round.participants.select_related("round", "org", "report", "secretary").get(pk=pk)


def rounds_for(actor) -> dict[str, list]:
    supervised = list(AppraisalRound.objects.visible_to(actor, Action.SUPERVISE).select_related("org")
                      .annotate(n=Count("participants")))
    reporting = list(RoundParticipant.objects.visible_to(actor, Action.REPORT)
                     .select_related("round", "org", "report").order_by("-round__year", "-round_id"))
    appraising = []
    if getattr(actor, "pk", None):
        appraising = [a.round for a in RoundAppraiser.objects.filter(user=actor).select_related("round", "round__org")
                      .order_by("-round__year", "-round_id")]
    return {"supervised": supervised, "reporting": reporting, "appraising": appraising}


def round_participants(access: RoundAccess) -> list[RoundParticipant]:
    """Supervisor and appraisers see every participant; a secretary sees their own."""
    if access.supervisor or access.appraiser:
        return list(access.round.participants.select_related("org", "report", "secretary").order_by("org__path"))
    return access.own


def my_ratings(access: RoundAccess) -> dict[int, RoundRating]:
    if not access.appraiser:
        return {}
    return {r.participant_id: r for r in RoundRating.objects.filter(appraiser=access.appraiser)}


def rating_progress(the_round: AppraisalRound) -> dict[int, int]:
    """How many ratings each participant has (numbers only: levels stay hidden until the round closes)."""
    return dict(RoundRating.objects.filter(participant__round=the_round).values_list("participant_id")
                .annotate(n=Count("id")))


def round_ratings(access: RoundAccess) -> dict[int, list[RoundRating]]:
    """Individual ratings: only once the round is closed; appraiser names only for the supervisor."""
    if not access.round.is_closed:
        return {}
    allowed = {p.pk for p in round_participants(access)}
    result: dict[int, list[RoundRating]] = defaultdict(list)
    for rating in RoundRating.objects.filter(participant__round=access.round, participant_id__in=allowed) \
            .select_related("appraiser__user").order_by("participant_id", "rated_at", "id"):
        result[rating.participant_id].append(rating)
    return dict(result)


def result_rows(the_round: AppraisalRound, participants: list[RoundParticipant]) -> list[dict]:
    rows = []
    for p in participants:
        total = sum(p.counts.get(level, 0) for level in LEVEL_ORDER) if p.counts else 0
        share = p.good_share
        rows.append({"participant": p, "org": p.org, "secretary": str(p.secretary or ""),
                     "counts": [p.counts.get(level, 0) if p.counts else 0 for level in LEVEL_ORDER],
                     "total": total, "share": share,
                     "share_text": f"{share * 100:.1f}%" if share is not None else "—",
                     "grade": Level(p.grade).label if p.grade else "—", "findings": p.findings})
    return rows


LEVEL_LABELS = [Level(level).label for level in LEVEL_ORDER]


# ---- democratic appraisal -------------------------------------------------------------------------------

def reviews(actor, org: Organisation) -> QuerySet[DemocraticReview]:
    return DemocraticReview.objects.visible_to(actor, Action.SCHEDULE).filter(org=org).order_by("-year")


def review_get(actor, pk: int) -> DemocraticReview:
    review = DemocraticReview.objects.visible_to(actor, Action.SCHEDULE).select_related("org").filter(pk=pk).first()
    if review is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return review


def review_state(actor, review: DemocraticReview) -> dict:
    from .services import eligible_members

    members = list(eligible_members(actor, review))
    me = next((m for m in members if getattr(actor, "pk", None) and m.user_id == actor.pk), None)
    voted = set(ReviewVoter.objects.visible_to(actor, Action.SCHEDULE).filter(review=review)
                .values_list("member_id", flat=True))
    selfs = {s.member_id: s for s in SelfAssessment.objects.visible_to(actor, Action.SCHEDULE).filter(review=review)}
    return {"members": members, "me": me, "has_voted": bool(me and me.pk in voted), "voted_count": len(voted),
            "self_assessments": selfs, "my_self": selfs.get(me.pk) if me else None}


def review_tally(actor, review: DemocraticReview) -> list[dict]:
    """Counts per member and grade; only for the committee (RECORD) and only after voting ended."""
    scoping.require(actor, Action.RECORD, review.org)
    if review.status == DemocraticReview.Status.VOTING:
        return []
    from .services import eligible_members

    counts: dict[int, Counter] = defaultdict(Counter)
    for subject_id, grade, n in ReviewBallot.objects.visible_to(actor, Action.RECORD).filter(review=review) \
            .values_list("subject_id", "grade").annotate(n=Count("id")).order_by():
        counts[subject_id][grade] = n
    decided = {g.member_id: g for g in MemberGrade.objects.visible_to(actor, Action.RECORD).filter(review=review)}
    rows = []
    for m in eligible_members(actor, review, Action.RECORD):
        c = counts.get(m.pk, Counter())
        suggestion = max(GRADE_ORDER, key=lambda g: (c.get(g, 0), -GRADE_ORDER.index(g))) if c else Grade.QUALIFIED
        rows.append({"member": m, "counts": [c.get(g, 0) for g in GRADE_ORDER], "total": sum(c.values()),
                     "suggested": suggestion, "decided": decided.get(m.pk)})
    return rows


def member_grades(actor, org: Organisation) -> QuerySet[MemberGrade]:
    """The history of 民主评议 results of a branch's members."""
    return (MemberGrade.objects.visible_to(actor, Action.VIEW).filter(member__branch=org)
            .select_related("member").order_by("member__name_pinyin", "-year"))


GRADE_LABELS = [Grade(g).label for g in GRADE_ORDER]
