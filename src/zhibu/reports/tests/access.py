"""Every URL and API operation of the reports app against every persona (see zhibu/testing/matrix.py)."""

from zhibu.testing.matrix import Case, anyone_logged_in

from . import helpers as h

VIEWERS = {"district", "sec_a", "auditor"}  # VIEW over branch a
WRITER = {"sec_a"}  # REPORT over branch a


def _draft(t):
    return [h.draft_report(t).pk]


def _final(t):
    return [h.final_report(t).pk]


ACCESS = [
    Case("reports:index", allowed=anyone_logged_in()),
    Case("reports:org_year", allowed=VIEWERS, args=lambda t: [t.a.code, 2022]),
    Case(
        "reports:subtree_zip",
        allowed={"district", "auditor"},
        args=lambda t: [t.district.code, 2022],
        method="post",
    ),
    Case("reports:start", allowed=WRITER, method="post", args=lambda t: [t.a.code, 2022]),
    Case("reports:detail", allowed=VIEWERS, args=_draft),
    Case("reports:edit", allowed=WRITER, method="post", args=_draft, data={"text__intro": "我们的开头。"}),
    Case("reports:refresh", allowed=WRITER, method="post", args=_draft),
    Case("reports:finalise", allowed=WRITER, method="post", args=_draft),
    Case("reports:fact", allowed=VIEWERS, args=lambda t: [h.draft_report(t).pk, "new_probationary"]),
    Case("reports:docx", allowed=VIEWERS, args=_final),
    Case("reports:print", allowed=VIEWERS, args=_final),
    Case("api:reports_preview", allowed=VIEWERS, args=lambda t: [t.a.code, 2022]),
    Case("api:reports_list", allowed=VIEWERS, args=lambda t: [t.a.code]),
    Case("api:reports_start", allowed=WRITER, method="post", args=lambda t: [t.a.code, 2022]),
    Case("api:reports_detail", allowed=VIEWERS, args=_draft),
    Case("api:reports_edit", allowed=WRITER, method="post", args=_draft, data={"texts": {"intro": "开头。"}}),
    Case("api:reports_refresh", allowed=WRITER, method="post", args=_draft),
    Case("api:reports_finalise", allowed=WRITER, method="post", args=_draft),
]
