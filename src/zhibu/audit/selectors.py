"""Reads of the audit log for auditors: each sees the entries of the organisations they audit and their
subtrees, filtered by verb, person, object and dates."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from .models import AuditEntry


def _scope(actor) -> Q:
    condition = Q(pk__in=[])
    for prefix in scoping.prefixes(actor, Action.AUDIT):
        if len(prefix) <= scoping.ROOT_PATH_LENGTH:
            # An auditor of a whole tree also sees the entries that belong to no organisation: failed logins
            # with an unknown name, commands run by the operator.
            condition |= Q(org_path="")
        low, high = scoping.path_bounds(prefix)
        condition |= Q(org_path__gte=low, org_path__lte=high)
    return condition


def verbs(actor) -> list[str]:
    """The verbs that occur in the actor's audit scope, for the filter's list."""
    return list(AuditEntry.objects.filter(_scope(actor)).order_by().values_list("verb", flat=True).distinct())


def entries(
    actor,
    *,
    verb: str = "",
    who: str = "",
    since: date | None = None,
    until: date | None = None,
    target: str = "",
) -> QuerySet[AuditEntry]:
    """Audit entries of the organisations the actor audits (their subtrees), newest first."""
    qs = AuditEntry.objects.filter(_scope(actor))
    if verb:
        qs = qs.filter(verb=verb)
    if who:
        qs = qs.filter(actor_name__icontains=who)
    if target:
        qs = qs.filter(target_repr__icontains=target)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")
