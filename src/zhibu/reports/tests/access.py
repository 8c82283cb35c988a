"""Every URL and API operation of the reports app against every persona (see zhibu/testing/matrix.py)."""

from zhibu.testing.matrix import Case, anyone_logged_in

from . import helpers as h

VIEWERS = {"district", "sec_a", "auditor"}  # VIEW over branch a
WRITER = {"sec_a"}  # REPORT over branch a
IN_ROUND = {"district", "sec_a", "sec_b"}  # supervisor, reporting secretary, appraiser (also reporting)
BRANCH_A = {"district", "sec_a", "member_a", "auditor"}  # SCHEDULE over branch a
VOTERS = {"sec_a", "member_a"}  # members of branch a with accounts


def _draft(t):
    return [h.draft_report(t).pk]


def _final(t):
    return [h.final_report(t).pk]


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
    from zhibu.reports import services

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
    return {"year": 2022, "title": "接口评议", "opens_at": now.isoformat(),
            "closes_at": (now + timedelta(days=1)).isoformat(), "branches": ["branch-a"], "appraisers": ["sec_b"]}


ACCESS = [
    Case("reports:index", allowed=anyone_logged_in()),
    Case("reports:org_year", allowed=VIEWERS, args=lambda t: [t.a.code, 2022]),
    Case("reports:subtree_zip", allowed={"district", "auditor"}, args=lambda t: [t.district.code, 2022],
         method="post"),
    Case("reports:start", allowed=WRITER, method="post", args=lambda t: [t.a.code, 2022]),
    Case("reports:detail", allowed=VIEWERS, args=_draft),
    Case("reports:edit", allowed=WRITER, method="post", args=_draft, data={"text__intro": "我们的开头。"}),
    Case("reports:refresh", allowed=WRITER, method="post", args=_draft),
    Case("reports:finalise", allowed=WRITER, method="post", args=_draft),
    Case("reports:fact", allowed=VIEWERS, args=lambda t: [h.draft_report(t).pk, "new_probationary"]),
    Case("reports:docx", allowed=VIEWERS, args=_final),
    Case("reports:print", allowed=VIEWERS, args=_final),
    Case("reports:rounds", allowed=anyone_logged_in()),
    Case("reports:round_new", allowed={"district"}, args=lambda t: [t.district.code]),
    Case("reports:round_new", allowed={"district"}, args=lambda t: [t.district.code], method="post",
         ok_status=(400,), label="empty"),
    Case("reports:round_detail", allowed=IN_ROUND, args=_round),
    Case("reports:round_submit", allowed=WRITER, method="post", args=_entry_a),
    Case("reports:round_rate", allowed={"sec_b"}, method="post", args=_submitted_entry_a,
         data={"level": "good", "comment": "好"}),
    Case("reports:round_close", allowed={"district"}, method="post", args=_round),
    Case("reports:round_xlsx", allowed={"district"}, args=_closed),
    Case("reports:reviews_home", allowed=anyone_logged_in()),
    Case("reports:reviews", allowed=BRANCH_A, args=lambda t: [t.a.code]),
    Case("reports:review_open", allowed=WRITER, method="post", args=lambda t: [t.a.code], data={"year": 2022}),
    Case("reports:review_detail", allowed=BRANCH_A, args=_review),
    Case("reports:review_self", allowed=VOTERS, method="post", args=_review, data={"text": "认真学习。"}),
    Case("reports:review_vote", allowed=VOTERS, args=_review),
    Case("reports:review_vote", allowed=VOTERS, args=_review, method="post", data=_grades, label="post"),
    Case("reports:review_count", allowed=WRITER, method="post", args=_review),
    Case("reports:review_decide", allowed=WRITER, method="post", args=_counted_review, data=_grades),
    Case("api:reports_preview", allowed=VIEWERS, args=lambda t: [t.a.code, 2022]),
    Case("api:reports_list", allowed=VIEWERS, args=lambda t: [t.a.code]),
    Case("api:reports_start", allowed=WRITER, method="post", args=lambda t: [t.a.code, 2022]),
    Case("api:reports_detail", allowed=VIEWERS, args=_draft),
    Case("api:reports_edit", allowed=WRITER, method="post", args=_draft, data={"texts": {"intro": "开头。"}}),
    Case("api:reports_refresh", allowed=WRITER, method="post", args=_draft),
    Case("api:reports_finalise", allowed=WRITER, method="post", args=_draft),
    Case("api:reports_round_open", allowed={"district"}, method="post", args=lambda t: [t.district.code],
         data=_round_payload),
    Case("api:reports_round_detail", allowed=IN_ROUND, args=_round),
    Case("api:reports_round_submit", allowed=WRITER, method="post", args=_entry_a),
    Case("api:reports_round_rate", allowed={"sec_b"}, method="post", args=_submitted_entry_a,
         data={"level": "good"}),
    Case("api:reports_round_close", allowed={"district"}, method="post", args=_round, data={"findings": {}}),
    Case("api:reports_review_detail", allowed=BRANCH_A, args=_review),
    Case("api:reports_review_vote", allowed=VOTERS, method="post", args=_review, data=_api_grades),
]
