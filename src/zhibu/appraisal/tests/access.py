"""Every URL and API operation of the appraisal app against every persona (see zhibu/testing/matrix.py)."""

from zhibu.testing.matrix import Case, anyone_logged_in

from . import helpers as h

WRITER = {"sec_a"}  # REPORT over branch a
IN_ROUND = {"district", "sec_a", "sec_b"}  # supervisor, reporting secretary, appraiser (also reporting)
BRANCH_A = {"district", "sec_a", "member_a", "auditor"}  # SCHEDULE over branch a
VOTERS = {"sec_a", "member_a"}  # members of branch a with accounts


def _round(t):
    return [h.open_round(t).pk]


def _entry_a(t):
    return [h.participant(h.open_round(t), t.a).pk] if h.final_report(t) else []


def _submitted_entry_a(t):
    return [h.participant(h.submitted_round(t), t.a).pk]


def _closed(t):
    return [h.closed_round(t).pk]


def _review(t):
    return [h.review(t).pk]


def _counted_review(t):
    from zhibu.appraisal import services

    return [services.review_count(actor=t.users.sec_a, review=h.review(t)).pk]


def _grades(t):
    members = [t.members.sec_a, t.members.member_a, t.members.a3, t.members.a4]
    return {f"grade_{m.pk}": "qualified" for m in members}


def _api_grades(t):
    members = [t.members.sec_a, t.members.member_a, t.members.a3, t.members.a4]
    return {"grades": {str(m.pk): "qualified" for m in members}}


def _round_payload(t):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    return {
        "year": 2022,
        "title": "接口评议",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
        "branches": ["branch-a"],
        "appraisers": ["sec_b"],
    }


ACCESS = [
    Case("appraisal:rounds", allowed=anyone_logged_in()),
    Case("appraisal:round_new", allowed={"district"}, args=lambda t: [t.district.code]),
    Case(
        "appraisal:round_new",
        allowed={"district"},
        args=lambda t: [t.district.code],
        method="post",
        ok_status=(400,),
        label="empty",
    ),
    Case("appraisal:round_detail", allowed=IN_ROUND, args=_round),
    Case("appraisal:round_submit", allowed=WRITER, method="post", args=_entry_a),
    Case(
        "appraisal:round_rate",
        allowed={"sec_b"},
        method="post",
        args=_submitted_entry_a,
        data={"level": "good", "comment": "好"},
    ),
    Case("appraisal:round_close", allowed={"district"}, method="post", args=_round),
    Case("appraisal:round_xlsx", allowed={"district"}, args=_closed),
    Case("appraisal:reviews_home", allowed=anyone_logged_in()),
    Case("appraisal:reviews", allowed=BRANCH_A, args=lambda t: [t.a.code]),
    Case(
        "appraisal:review_open", allowed=WRITER, method="post", args=lambda t: [t.a.code], data={"year": 2022}
    ),
    Case("appraisal:review_detail", allowed=BRANCH_A, args=_review),
    Case("appraisal:review_self", allowed=VOTERS, method="post", args=_review, data={"text": "认真学习。"}),
    Case("appraisal:review_vote", allowed=VOTERS, args=_review),
    Case("appraisal:review_vote", allowed=VOTERS, args=_review, method="post", data=_grades, label="post"),
    Case("appraisal:review_count", allowed=WRITER, method="post", args=_review),
    Case("appraisal:review_decide", allowed=WRITER, method="post", args=_counted_review, data=_grades),
    Case(
        "api:appraisal_round_open",
        allowed={"district"},
        method="post",
        args=lambda t: [t.district.code],
        data=_round_payload,
    ),
    Case("api:appraisal_round_detail", allowed=IN_ROUND, args=_round),
    Case("api:appraisal_round_submit", allowed=WRITER, method="post", args=_entry_a),
    Case(
        "api:appraisal_round_rate",
        allowed={"sec_b"},
        method="post",
        args=_submitted_entry_a,
        data={"level": "good"},
    ),
    Case(
        "api:appraisal_round_close", allowed={"district"}, method="post", args=_round, data={"findings": {}}
    ),
    Case("api:appraisal_review_detail", allowed=BRANCH_A, args=_review),
    Case("api:appraisal_review_vote", allowed=VOTERS, method="post", args=_review, data=_api_grades),
]
