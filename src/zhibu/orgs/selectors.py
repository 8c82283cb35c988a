"""Reads on the tree shared by pages, the API and the command line."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet

from . import scoping
from .models import Organisation, RoleAssignment
from .roles import Action


def children(actor, org: Organisation, action: str = Action.VIEW) -> QuerySet[Organisation]:
    """Direct children of an organisation the actor can see (one query)."""
    scoping.require(actor, action, org)
    low, high = scoping.path_bounds(org.path)
    return (Organisation.objects.filter(path__gte=low, path__lte=high, depth=org.depth + 1)
            .select_related("type").order_by("path"))


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
    paths = [org.path[: i * Organisation.steplen] for i in range(1, org.depth)]
    nodes = list(Organisation.objects.filter(path__in=paths).order_by("depth")) if paths else []
    for node in nodes:
        node.linkable = actor is not None and scoping.can(actor, Action.SCHEDULE, node)
    return nodes


def roles_at(actor, org: Organisation) -> QuerySet[RoleAssignment]:
    scoping.require(actor, Action.STRUCTURE, org)
    return RoleAssignment.objects.filter(org=org).select_related("user").order_by("role", "user__username")


def dashboard(actor, org: Organisation, today: date) -> dict:
    """What a branch's (or committee's) home page shows: this month's activities and members by status."""
    from zhibu.people.models import Status
    from zhibu.people.selectors import status_counts
    from zhibu.records.models import Activity

    action = Action.VIEW if scoping.can(actor, Action.VIEW, org) else Action.SCHEDULE
    scoping.require(actor, action, org)
    low, high = scoping.path_bounds(org.path)
    month_start = today.replace(day=1)
    next_month = (month_start.replace(day=28) + timedelta(days=4)).replace(day=1)
    activities = list(
        Activity.objects.visible_to(actor, action)
        .filter(org__path__gte=low, org__path__lte=high, held_on__gte=month_start, held_on__lt=next_month)
        .select_related("kind", "org").order_by("starts_at")[:50])
    counts = []
    if action == Action.VIEW:
        by_status = status_counts(actor, org)  # the roster's own count (a 党小组 counts its group members)
        counts = [(label, by_status[value]) for value, label in Status.choices]
    return {"activities": activities, "status_counts": counts, "month": month_start,
            "child_count": org.numchild, "can_view_members": action == Action.VIEW}
