"""Reads on the tree shared by pages, the API and the command line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from zhibu.core import hooks, months
from zhibu.core.cn import date_cn

from . import scoping
from .models import Election, Organisation, OrgBreak, Post, PostKind, RoleAssignment, TermRule
from .roles import Action
from .roster import roster


def children(actor, org: Organisation, action: str = Action.VIEW) -> QuerySet[Organisation]:
    """Direct children of an organisation the actor can see (one query)."""
    scoping.require(actor, action, org)
    low, high = scoping.path_bounds(org.path)
    return (
        Organisation.objects.filter(path__gte=low, path__lte=high, depth=org.depth + 1)
        .select_related("type")
        .order_by("path")
    )


def subtree(actor, org: Organisation, action: str = Action.VIEW, max_depth: int | None = None):
    """The organisation and everything below it in tree order, as one indexed range query."""
    scoping.require(actor, action, org)
    low, high = scoping.path_bounds(org.path)
    qs = Organisation.objects.filter(path__gte=low, path__lte=high).select_related("type").order_by("path")
    if max_depth is not None:
        qs = qs.filter(depth__lte=org.depth + max_depth)
    return qs


def ancestors(org: Organisation, actor=None) -> list[Organisation]:
    """The organisations above, top first; each marked `linkable` when the actor may open its page."""
    paths = org.ancestor_paths()
    nodes = list(Organisation.objects.filter(path__in=paths).order_by("depth")) if paths else []
    for node in nodes:
        node.linkable = actor is not None and scoping.can(actor, Action.SCHEDULE, node)
    return nodes


def roles_at(actor, org: Organisation) -> QuerySet[RoleAssignment]:
    scoping.require(actor, Action.STRUCTURE, org)
    return RoleAssignment.objects.filter(org=org).select_related("user").order_by("role", "user__username")


def dashboard(actor, org: Organisation, today: date) -> dict:
    """What a branch's (or committee's) home page shows: this month's activities (from the records app) and
    members by status (from the roster). Those apps sit above orgs and contribute through core.hooks."""
    action = Action.VIEW if scoping.can(actor, Action.VIEW, org) else Action.SCHEDULE
    scoping.require(actor, action, org)
    month_start = months.first(today)
    next_month = months.add(month_start, 1)
    data = {
        "activities": [],
        "status_counts": [],
        "month": month_start,
        "child_count": org.numchild,
        "can_view_members": action == Action.VIEW,
    }
    for part in hooks.answers(hooks.ORG_DASHBOARD, actor, action, org, month_start, next_month):
        data.update(part)
    return data


def breaks_for(actor, org: Organisation) -> dict:
    """The 假期 that apply to `org`: its own, and those of the organisations above it (they bind it, so anyone
    who sees the organisation sees them, as with a superior's requirements)."""
    scoping.require(actor, Action.VIEW, org)
    ancestors_paths = org.ancestor_paths()
    own = list(OrgBreak.objects.visible_to(actor, Action.VIEW).filter(org=org))
    inherited = list(OrgBreak.objects.unscoped().filter(org__path__in=ancestors_paths).select_related("org"))
    return {"own": own, "inherited": inherited}


# ---------------------------------------------------------------------------------------------- posts and terms
# No scoping in these reads: they serve the rules engine, reports and services, which check the actor's scope for
# the organisation first (the same contract as rules.engine).

COMMITTEE_AT = 7  # 正式党员 from which a branch elects a 支部委员会 (《中国共产党支部工作条例（试行）》)
COMMITTEE_MIN = 3
CONDUCT = "《中国共产党支部工作条例（试行）》"


@dataclass(frozen=True)
class Holder:
    member_id: int
    name: str
    post: str
    started_on: date | None
    ended_on: date | None

    @property
    def post_label(self) -> str:
        return PostKind(self.post).label


def _dated(org: Organisation) -> bool:
    return Post.objects.unscoped().filter(org=org).exists()


def post_holders(org: Organisation, *, on: date) -> list[Holder]:
    """Who held the branch's posts on the day, 书记 first. Where no post has been recorded with dates yet, the
    roster's 党内职务 (undated, so today's holders) stands in."""
    order = {value: i for i, value in enumerate(PostKind.values)}
    if _dated(org):
        rows = (
            Post.objects.unscoped()
            .filter(org=org, started_on__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
            .values_list("member_id", "member__name", "post", "started_on", "ended_on")
        )
        holders = [Holder(*row) for row in rows]
    else:
        undated = roster().undated_posts(org, PostKind.values)
        holders = [Holder(pk, name, post, None, None) for pk, name, post in undated]
    return sorted(holders, key=lambda h: (order[h.post], h.member_id))


def secretary_on(org: Organisation, *, on: date) -> Holder | None:
    return next((h for h in post_holders(org, on=on) if h.post == PostKind.SECRETARY), None)


def secretary_test(org: Organisation) -> Callable[[int | None, date], bool]:
    """A check `(member id, day) → was the branch's 书记 that day`, loading the posts once."""
    if _dated(org):
        spans = list(
            Post.objects.unscoped()
            .filter(org=org, post=PostKind.SECRETARY)
            .values_list("member_id", "started_on", "ended_on")
        )
        return lambda member_id, day: any(
            m == member_id and s <= day and (e is None or e >= day) for m, s, e in spans
        )
    current = roster().holder_ids(org, PostKind.SECRETARY)
    return lambda member_id, day: member_id in current


def secretary_tests(root_path: str) -> Callable[[int, int | None, date], bool]:
    """For every branch under `root_path` at once: `(branch id, member id, day) → was that member the branch's 书记
    that day`, in two queries whatever the number of branches (dated posts; the roster's undated 党内职务 for
    branches with no post recorded yet)."""
    low, high = scoping.path_bounds(root_path)
    spans: dict[int, list[tuple[int, date, date | None]]] = {}
    dated: set[int] = set()
    for org_id, member_id, post, started, ended in (
        Post.objects.unscoped()
        .filter(org__path__gte=low, org__path__lte=high)
        .values_list("org_id", "member_id", "post", "started_on", "ended_on")
    ):
        dated.add(org_id)
        if post == PostKind.SECRETARY:
            spans.setdefault(org_id, []).append((member_id, started, ended))
    current = roster().holders_in(low, high, PostKind.SECRETARY)

    def test(branch_id: int, member_id: int | None, day: date) -> bool:
        if member_id is None:
            return False
        if branch_id in dated:
            return any(
                m == member_id and s <= day and (e is None or e >= day)
                for m, s, e in spans.get(branch_id, ())
            )
        return (branch_id, member_id) in current

    return test


def full_members_on(org: Organisation, on: date) -> list[tuple[int, str, date | None]]:
    """The branch's 正式党员 on the day: (member id, name, 转正日期), from the roster's status history."""
    return roster().full_members_on(org, on)


def election_on(org: Organisation, on: date) -> Election | None:
    return Election.objects.unscoped().filter(org=org, held_on__lte=on).order_by("-held_on", "-id").first()


def has_committee(org: Organisation, *, on: date) -> bool:
    """Whether the branch has a 支部委员会 on the day: as its last 换届 decided; before any is recorded, when it has
    7 or more 正式党员 and at least 3 committee posts on the roster."""
    return org.pk in committee_branches(org.path, on=on)


def committee_branches(root_path: str, *, on: date) -> set[int]:
    """The branches under (and including) `root_path` that have a 支部委员会 on the day, in three queries."""
    low, high = scoping.path_bounds(root_path)
    decided: dict[int, bool] = {}
    for org_id, flag in (
        Election.objects.unscoped()
        .filter(org__path__gte=low, org__path__lte=high, held_on__lte=on)
        .order_by("org_id", "held_on", "id")
        .values_list("org_id", "has_committee")
    ):
        decided[org_id] = flag  # the last one wins
    full, posts = roster().committee_counts(low, high, on, PostKind.values)
    result = {org_id for org_id, flag in decided.items() if flag}
    result |= {
        branch_id
        for branch_id, count in full.items()
        if branch_id not in decided and count >= COMMITTEE_AT and posts.get(branch_id, 0) >= COMMITTEE_MIN
    }
    return result


def nearest(model, org: Organisation, *, field: str = "org", **filters):
    """The row of `model` (filtered by `filters`) that `org` itself or its nearest organisation above sets — "the
    nearest ancestor's setting" — or None when none does. `field` names the model's organisation."""
    manager = model.objects
    rows = manager.unscoped() if hasattr(manager, "unscoped") else manager.all()
    return (
        rows.filter(**{f"{field}__path__in": org.ancestor_paths(include_self=True)}, **filters)
        .order_by(f"-{field}__depth")
        .first()
    )


def term_rule(org: Organisation) -> TermRule | None:
    """The organisation's own term rule or its nearest ancestor's."""
    return nearest(TermRule, org)


def term_years(org: Organisation) -> tuple[int, int]:
    """(years per term, months a 换届 may be delayed with approval)."""
    rule = term_rule(org)
    return (rule.term_years, rule.max_delay_months) if rule else (3, 12)


@dataclass(frozen=True)
class TermState:
    election: Election | None
    ends_on: date | None
    remind_from: date | None
    state: str  # none / running / due_soon / overdue / delayed
    text: str


def term_state(org: Organisation, *, on: date) -> TermState:
    """Where the branch's term stands on the day; a reminder starts six months before it ends."""
    election = election_on(org, on)
    if election is None:
        return TermState(None, None, None, "none", "尚未记录换届选举。")
    ends = election.term_ends_on
    remind = months.shift(ends, -6)
    cited = f"{CONDUCT}；《中国共产党章程》第三十一条"
    if on > ends:
        return TermState(
            election,
            ends,
            remind,
            "overdue",
            f"本届任期已于{date_cn(ends)}届满，应按期换届；确需延期的须报上级党组织批准（{cited}）。",
        )
    if on >= remind:
        return TermState(
            election,
            ends,
            remind,
            "due_soon",
            f"本届任期将于{date_cn(ends)}届满，请做好换届准备（{cited}）。",
        )
    return TermState(
        election, ends, remind, "running", f"本届任期至{date_cn(ends)}（每届{election.term_years}年）。"
    )
