"""What each person's home page shows, read from the owning apps' selectors (nothing here writes).

A branch's people see what the rules still require of it this month and what is overdue (lights, 发展党员
steps, transfers waiting), the meetings coming up, notices not yet read, and one-tap links to record; a
superior sees this month's board totals, the branches red or yellow two or three months running and the
development steps due below; a member sees their next meetings, their attendance and their 党费."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from zhibu.development import selectors as development
from zhibu.dues import selectors as dues
from zhibu.membership import transfers
from zhibu.notices import selectors as notices
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member
from zhibu.records.models import Activity, Attendance
from zhibu.rules import selectors as rules

QUICK_KINDS = [
    ("general-meeting", "支部党员大会"),
    ("committee-meeting", "支部委员会"),
    ("theme-day", "主题党日"),
    ("party-lecture", "党课"),
]


@dataclass
class BranchHome:
    org: Organisation
    owed: list[dict]
    overdue: list[dict]
    development_due: list
    incoming: list
    upcoming: list[Activity]
    unread: list
    quick: list[tuple[str, str]] = field(default_factory=lambda: QUICK_KINDS)
    shown: int = 10


@dataclass
class SuperiorHome:
    org: Organisation
    month: int
    totals: dict
    flagged: list
    development_due: list
    development_total: int
    unread: list


@dataclass
class MemberHome:
    member: Member
    upcoming: list[Activity]
    attendance: dict
    dues: object


def _upcoming(actor, org: Organisation, now, limit: int = 5) -> list[Activity]:
    low, high = org.subtree_bounds()
    return list(
        Activity.objects.visible_to(actor, Action.SCHEDULE)
        .filter(org__path__gte=low, org__path__lte=high, starts_at__gte=now)
        .select_related("kind", "org")
        .order_by("starts_at")[:limit]
    )


def _steps(actor, org: Organisation, today: date) -> list[dict]:
    """发展党员 steps due within 30 days or overdue (with how many days), most urgent first."""
    items, _ = development.due(actor, org, days=30, today=today, limit=10)
    return [
        {
            "case_id": i.case_id,
            "member": i.member,
            "org": i.org,
            "what": i.what,
            "due_by": i.due_by,
            "overdue": i.overdue,
            "days_overdue": -i.days_left if i.overdue and i.days_left is not None else 0,
        }
        for i in items
    ]


def branch_home(actor, org: Organisation, today: date) -> BranchHome:
    scoping.require(actor, Action.RECORD, org)
    owed = [o for o in rules.owed(actor=actor, today=today) if o["org"].pk == org.pk]
    this_month = [o for o in owed if not o["overdue"]]  # still open: its deadline has not passed
    overdue = [o for o in owed if o["overdue"]]
    steps = _steps(actor, org, today)
    incoming = [t for t in transfers.incoming_pending(actor) if t.to_org_id == org.pk]
    unread = [n for n, read in notices.inbox(actor, org) if not read]
    return BranchHome(
        org=org,
        owed=this_month,
        overdue=overdue,
        development_due=steps,
        incoming=incoming,
        upcoming=_upcoming(actor, org, timezone.now()),
        unread=unread,
    )


def superior_home(actor, org: Organisation, today: date) -> SuperiorHome:
    scoping.require(actor, Action.SUPERVISE, org)
    board = rules.board(actor=actor, root=org, year=today.year, today=today, per_page=None)
    letter = {"g": 0, "y": 0, "r": 0, "o": 0, "n": 0}
    for row in board["rows"]:
        code = row.codes[today.month - 1]
        letter[code if code in letter else "n"] += 1
    flagged = sorted((r for r in board["rows"] if r.max_run >= 2), key=lambda r: (-r.max_run, r.code))[:20]
    _, total = development.due(actor, org, days=30, today=today, limit=0)
    steps = _steps(actor, org, today)
    unread = [n for n, read in notices.inbox(actor, org) if not read] if not org.is_branch else []
    return SuperiorHome(
        org=org,
        month=today.month,
        totals={"branches": len(board["rows"]), **letter},
        flagged=flagged,
        development_due=steps,
        development_total=total,
        unread=unread,
    )


def member_home(actor, today: date) -> MemberHome | None:
    member = (
        Member.objects.unscoped().select_related("branch").filter(user_id=getattr(actor, "pk", None)).first()
    )
    if member is None:
        return None
    attendance = (
        Attendance.objects.unscoped()
        .filter(member=member, activity__held_on__year=today.year)
        .aggregate(
            total=Count("id"),
            present=Count("id", filter=Q(presence="present")),
            leave=Count("id", filter=Q(presence="leave")),
        )
    )
    return MemberHome(
        member=member,
        upcoming=_upcoming(actor, member.branch, timezone.now()),
        attendance=attendance,
        dues=dues.member_dues(actor=actor, member=member),
    )
