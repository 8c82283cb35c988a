"""Test data for the appraisal app (written through its services)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhibu.reports.tests.helpers import draft_report, final_report, meetings

from .. import services
from ..models import AppraisalRound, DemocraticReview, RoundAppraiser, RoundParticipant

__all__ = [
    "appraiser",
    "closed_round",
    "draft_report",
    "final_report",
    "meetings",
    "open_round",
    "participant",
    "review",
    "submitted_round",
]


def open_round(
    tree, *, appraisers=("sec_b",), branches=None, opens=-1, closes=24, year: int = 2022, threshold: int = 60
) -> AppraisalRound:
    now = timezone.now()
    return services.round_open(
        actor=tree.users.district,
        org=tree.district,
        year=year,
        title="测试评议",
        opens_at=now + timedelta(hours=opens),
        closes_at=now + timedelta(hours=closes),
        branches=branches or [tree.a, tree.b],
        appraisers=list(appraisers),
        threshold=threshold,
    )


def participant(the_round, org) -> RoundParticipant:
    return RoundParticipant.objects.unscoped().get(round=the_round, org=org)


def submitted_round(tree, **kwargs) -> AppraisalRound:
    """A round over branch a (with a final report submitted) and branch b."""
    final_report(tree)
    the_round = open_round(tree, **kwargs)
    services.round_submit(actor=tree.users.sec_a, participant=participant(the_round, tree.a))
    return the_round


def closed_round(tree) -> AppraisalRound:
    the_round = submitted_round(tree)
    services.round_rate(actor=tree.users.sec_b, participant=participant(the_round, tree.a), level="good")
    return services.round_close(actor=tree.users.district, the_round=the_round)


def appraiser(the_round, user) -> RoundAppraiser:
    return RoundAppraiser.objects.unscoped().get(round=the_round, user=user)


def review(tree, year: int = 2022) -> DemocraticReview:
    return services.review_open(actor=tree.users.sec_a, org=tree.a, year=year)
