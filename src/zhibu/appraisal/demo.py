"""Demo data of the appraisal app: the kindergarten's 2022 民主评议党员, decided by the 支委会.

The reports app adds no demo data: the 2022 report is not stored, its page assembles it live from the records, and
the secretary starts the draft with one click. Nothing is finalised automatically.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from .models import DemocraticReview, Grade, MemberGrade, ReviewBallot, ReviewVoter

# The three members the branch's 2022 mutual rating and committee named 优秀 (≤ one third of 12).
EXCELLENT = ("吴丽娟", "冯雨萱", "蒋欣然")


def build(ctx) -> None:
    kg = ctx.orgs["wolongshan-kg"]
    members = [m for m in ctx.members["wolongshan-kg"].values() if m.is_party_member]
    decided = timezone.make_aware(datetime(2022, 12, 28, 16, 0))
    review = DemocraticReview.objects.unscoped().create(
        org=kg,
        year=ctx.year,
        status=DemocraticReview.Status.DECIDED,
        opened_by=ctx.users["secretary"],
        counted_at=decided,
        decided_at=decided,
        decided_by_body="支委会",
    )
    DemocraticReview.objects.unscoped().filter(pk=review.pk).update(
        opened_at=timezone.make_aware(datetime(2022, 12, 20, 9, 0))
    )
    ballots = []
    for voter in members:
        for subject in members:
            if subject.pk != voter.pk:
                grade = Grade.EXCELLENT if subject.name in EXCELLENT else Grade.QUALIFIED
                ballots.append(ReviewBallot(review=review, subject=subject, grade=grade))
    ReviewVoter.objects.unscoped().bulk_create([ReviewVoter(review=review, member=m) for m in members])
    ReviewBallot.objects.unscoped().bulk_create(ballots)
    MemberGrade.objects.unscoped().bulk_create(
        [
            MemberGrade(
                member=m,
                review=review,
                year=ctx.year,
                decided_at=decided,
                grade=Grade.EXCELLENT if m.name in EXCELLENT else Grade.QUALIFIED,
            )
            for m in members
        ]
    )
    ctx.notes.append(
        f"民主评议党员：{kg.name} 2022 年 {len(members)} 名党员参评，评为优秀 {len(EXCELLENT)} 人"
        f"（不超过三分之一）；述职报告由 secretary 在“述职报告”中一键生成草稿。"
    )
