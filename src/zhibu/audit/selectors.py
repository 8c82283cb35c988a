from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from .models import AuditEntry


def entries(actor, *, verb: str = "", who: str = "", since: date | None = None, until: date | None = None,
            target: str = "") -> QuerySet[AuditEntry]:
    """Audit entries of the organisations the actor audits (their subtrees), newest first."""
    condition = Q(pk__in=[])
    for prefix in scoping.prefixes(actor, Action.AUDIT):
        low, high = scoping.path_bounds(prefix)
        condition |= Q(org_path__gte=low, org_path__lte=high)
    qs = AuditEntry.objects.filter(condition)
    if verb:
        qs = qs.filter(verb__startswith=verb)
    if who:
        qs = qs.filter(actor_name__icontains=who)
    if target:
        qs = qs.filter(target_repr__icontains=target)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")
