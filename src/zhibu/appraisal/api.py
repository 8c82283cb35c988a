"""REST API for 述职评议 rounds and 民主评议党员: the same services and selectors as the pages. Mounted at
/api/v1/reports/ (AppraisalConfig.api_prefix), the paths these operations had in the reports app."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import Router, Schema

from zhibu.core.apischema import Id, Year
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import selectors, services
from .models import AppraisalRound, Grade

router = Router(tags=["述职评议与民主评议"])


# ---- rounds -----------------------------------------------------------------------------------------------


class RoundIn(Schema):
    year: Year
    title: str = ""
    opens_at: datetime
    closes_at: datetime
    branches: list[str]
    appraisers: list[str]
    threshold: int = 60


def _round(access) -> dict:
    r = access.round
    participants = selectors.round_participants(access)
    ratings = selectors.round_ratings(access)
    mine = selectors.my_ratings(access)
    return {
        "id": r.pk,
        "org": r.org.code,
        "year": r.year,
        "title": r.title,
        "status": r.status,
        "opens_at": r.opens_at,
        "closes_at": r.closes_at,
        "threshold": r.threshold,
        "participants": [
            {
                "id": p.pk,
                "org": p.org.code,
                "report": p.report_id,
                "submitted_at": p.submitted_at,
                "counts": p.counts if r.is_closed else None,
                "grade": p.grade if r.is_closed else None,
                "my_rating": mine[p.pk].level if p.pk in mine else None,
                "ratings": [{"level": x.level, "comment": x.comment} for x in ratings.get(p.pk, [])],
            }
            for p in participants
        ],
    }


@router.post("/orgs/{code}/rounds", url_name="appraisal_round_open")
def round_open(request, code: str, payload: RoundIn):
    org = scoping.get_org(request.user, Action.SUPERVISE, code)
    low, high = org.subtree_bounds()
    branches = list(
        scoping.organisations(request.user, Action.SUPERVISE).filter(
            code__in=payload.branches, path__gt=low, path__lte=high
        )
    )
    if len(branches) != len(set(payload.branches)):
        raise ValidationError({"branches": ["所选党支部不在本组织范围内。"]})
    the_round = services.round_open(
        actor=request.user,
        org=org,
        year=payload.year,
        title=payload.title,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        branches=branches,
        appraisers=payload.appraisers,
        threshold=payload.threshold,
    )
    return _round(selectors.round_access(request.user, the_round.pk))


@router.get("/rounds/{int:pk}", url_name="appraisal_round_detail")
def round_detail(request, pk: Id):
    return _round(selectors.round_access(request.user, pk))


@router.post("/rounds/entries/{int:pk}/submit", url_name="appraisal_round_submit")
def round_submit(request, pk: Id):
    participant = selectors.participant_for(request.user, pk, Action.REPORT)
    participant = services.round_submit(actor=request.user, participant=participant)
    return {"id": participant.pk, "report": participant.report_id, "submitted_at": participant.submitted_at}


class RateIn(Schema):
    level: str
    comment: str = ""


@router.post("/rounds/entries/{int:pk}/rate", url_name="appraisal_round_rate")
def round_rate(request, pk: Id, payload: RateIn):
    participant = selectors.participant_for_appraiser(request.user, pk)
    rating = services.round_rate(
        actor=request.user, participant=participant, level=payload.level, comment=payload.comment
    )
    return {"participant": participant.pk, "level": rating.level}


class CloseIn(Schema):
    findings: dict[Id, str] = {}


@router.post("/rounds/{int:pk}/close", url_name="appraisal_round_close")
def round_close(request, pk: Id, payload: CloseIn):
    the_round = AppraisalRound.objects.visible_to(request.user, Action.SUPERVISE).filter(pk=pk).first()
    if the_round is None:
        raise scoping.NotVisible("不存在或无权访问。")
    services.round_close(actor=request.user, the_round=the_round, findings=payload.findings)
    return _round(selectors.round_access(request.user, pk))


# ---- 民主评议党员 -------------------------------------------------------------------------------------------


@router.get("/reviews/{int:pk}", url_name="appraisal_review_detail")
def review_detail(request, pk: Id):
    review = selectors.review_get(request.user, pk)
    state = selectors.review_state(request.user, review)
    tally = (
        selectors.review_tally(request.user, review)
        if scoping.can(request.user, Action.RECORD, review.org)
        else []
    )
    return {
        "id": review.pk,
        "org": review.org.code,
        "year": review.year,
        "status": review.status,
        "members": [{"id": m.pk, "name": m.name} for m in state["members"]],
        "voted": state["voted_count"],
        "has_voted": state["has_voted"],
        "tally": [
            {
                "member": row["member"].pk,
                "counts": dict(zip(selectors.GRADE_LABELS, row["counts"], strict=True)),
            }
            for row in tally
        ],
    }


class VoteIn(Schema):
    grades: dict[Id, Grade]  # member id → one of the four grades, listed in the schema


@router.post("/reviews/{int:pk}/vote", url_name="appraisal_review_vote")
def review_vote(request, pk: Id, payload: VoteIn):
    review = selectors.review_get(request.user, pk)
    services.review_vote(actor=request.user, review=review, grades=payload.grades)
    return {"voted": True}
