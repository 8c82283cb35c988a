from datetime import date

from zhibu.testing import factories as f
from zhibu.testing.matrix import Case

from .helpers import make_attachment

READERS_A = {"district", "sec_a", "auditor"}  # Action.VIEW on branch A: minutes, attendance, attachments
SCHEDULE_A = READERS_A | {"member_a"}  # plus the plain member, who sees the schedule only
RECORDERS_A = {"sec_a"}


def _activity(tree):
    m = tree.members
    return f.make_activity(
        tree.a,
        "committee-meeting",
        date(2023, 3, 6),
        present=[m.sec_a, m.member_a],
        absent=[m.a3],
        content="会议纪要：研究三月工作。",
    )


def _activity_id(tree):
    return [_activity(tree).pk]


def _attachment_id(tree):
    return [make_attachment(_activity(tree)).pk]


def _api_payload(tree):
    m = tree.members
    return {
        "org": tree.a.code,
        "kind": "committee-meeting",
        "topic": "接口录入的支委会",
        "starts_at": "2023-04-03T14:00:00",
        "ends_at": "2023-04-03T15:30:00",
        "attendance": [
            {"member_id": m.sec_a.pk, "presence": "present"},
            {"member_id": m.member_a.pk, "presence": "present"},
        ],
    }


def _api_update(tree):
    payload = _api_payload(tree)
    payload.pop("org")
    return payload


ACCESS = [
    Case("records:index", allowed={"district", "sec_a", "member_a", "sec_b", "auditor"}),
    Case("records:mine", allowed={"district", "sec_a", "member_a", "sec_b", "auditor"}),
    Case("records:list", args=lambda t: [t.a.code], allowed=SCHEDULE_A),
    Case(
        "records:list",
        args=lambda t: [t.a.code],
        query="kind=committee-meeting&month=2023-03",
        allowed=SCHEDULE_A,
        label="filtered",
    ),
    Case("records:calendar", args=lambda t: [t.a.code], query="month=2023-03", allowed=SCHEDULE_A),
    Case("records:detail", args=_activity_id, allowed=SCHEDULE_A),
    Case("records:create", args=lambda t: [t.a.code], query="kind=committee-meeting", allowed=RECORDERS_A),
    Case(
        "records:create",
        args=lambda t: [t.a.code],
        method="post",
        allowed=RECORDERS_A,
        ok_status=(400,),
        label="post-empty",
    ),
    Case("records:edit", args=_activity_id, allowed=RECORDERS_A),
    Case(
        "records:edit",
        args=_activity_id,
        method="post",
        allowed=RECORDERS_A,
        ok_status=(400,),
        label="post-empty",
    ),
    Case("records:delete", args=_activity_id, method="post", allowed=RECORDERS_A),
    Case("records:attachment_add", args=_activity_id, method="post", allowed=RECORDERS_A, ok_status=(400,)),
    Case("records:attachment", args=_attachment_id, allowed=READERS_A),
    Case("records:attachment_delete", args=_attachment_id, method="post", allowed=RECORDERS_A),
    Case("records:kinds", args=lambda t: [t.a.code], allowed=READERS_A),
    # A branch that records or a committee that supervises may add kinds for its subtree.
    Case(
        "records:kinds",
        args=lambda t: [t.a.code],
        method="post",
        allowed={"sec_a", "district"},
        ok_status=(400,),
        label="post-empty",
    ),
    Case("api:records_list", query="org=branch-a&year=2023", allowed=SCHEDULE_A),
    Case("api:records_detail", args=_activity_id, allowed=SCHEDULE_A),
    Case("api:records_create", method="post", data=_api_payload, allowed=RECORDERS_A),
    Case("api:records_update", args=_activity_id, method="put", data=_api_update, allowed=RECORDERS_A),
    Case("api:records_delete", args=_activity_id, method="delete", allowed=RECORDERS_A),
    Case("api:records_kinds", query="org=branch-a", allowed=SCHEDULE_A),
    # district adds the kind first; sec_a's identical name is then refused as a duplicate (422), not hidden.
    Case(
        "api:records_kind_create",
        method="post",
        data=lambda t: {"org": t.a.code, "name": "读书分享会"},
        allowed={"sec_a", "district"},
        ok_status=(422,),
    ),
]


def _upcoming(tree):
    from django.utils import timezone

    m = tree.members
    return f.make_activity(
        tree.a,
        "general-meeting",
        timezone.localdate() + timezone.timedelta(days=1),
        absent=[m.sec_a, m.member_a],
    )


def _token(tree):
    from zhibu.records.checkin import checkin_open

    return [checkin_open(actor=tree.users.sec_a, activity=_upcoming(tree)).token]


ACCESS += [
    Case("records:checkin_screen", RECORDERS_A, args=lambda t: [_upcoming(t).pk]),
    Case("records:checkin_open", RECORDERS_A, args=lambda t: [_upcoming(t).pk], method="post"),
    Case("records:checkin_close", RECORDERS_A, args=lambda t: [_upcoming(t).pk], method="post"),
    # Only people expected at the meeting (members of branch A with a login) may use its code.
    Case("records:checkin", {"sec_a", "member_a"}, args=_token),
    Case("records:checkin", {"sec_a", "member_a"}, args=_token, method="post", label="sign"),
]
