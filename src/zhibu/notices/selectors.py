"""Reads for notices: an organisation's inbox, a notice's receivers and who has read it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation, OrgType
from zhibu.orgs.roles import Action

from .models import Notice, NoticeFile, NoticeRead


def _ancestor_paths(org: Organisation) -> list[str]:
    return org.ancestor_paths()


def receivers(notice: Notice) -> QuerySet[Organisation]:
    """The organisations a notice is for: the named ones, or every active organisation below the publisher
    except 党小组."""
    if not notice.whole_subtree:
        return notice.targets.all().select_related("type").order_by("path")
    low, high = notice.org.subtree_bounds()
    return (
        Organisation.objects.filter(path__gt=low, path__lte=high, dissolved_on__isnull=True)
        .exclude(type__level=OrgType.Level.GROUP)
        .select_related("type")
        .order_by("path")
    )


def _for_org(org: Organisation) -> Q:
    return Q(org__path__in=_ancestor_paths(org)) & (Q(whole_subtree=True) | Q(targets=org))


def inbox(actor, org: Organisation) -> list[tuple[Notice, bool]]:
    """Notices published above `org` for it, newest first, with whether `org` has read each."""
    scoping.require(actor, Action.SCHEDULE, org)
    if org.is_group:
        return []
    notices = list(
        Notice.objects.unscoped()
        .filter(_for_org(org))
        .select_related("org")
        .distinct()
        .order_by("-published_at", "-id")[:100]
    )
    read = set(
        NoticeRead.objects.unscoped().filter(org=org, notice__in=notices).values_list("notice_id", flat=True)
    )
    return [(n, n.pk in read) for n in notices]


def received(org: Organisation, ids) -> QuerySet[Notice]:
    """Of the notices `ids`, those published above `org` for it."""
    if org.is_group:
        return Notice.objects.unscoped().none()
    return Notice.objects.unscoped().filter(_for_org(org), pk__in=list(ids)).select_related("org").distinct()


def dated(notice: Notice):
    """The day a notice is about: its deadline, or the day it was published."""
    return notice.deadline or timezone.localdate(notice.published_at)


def unread_count(actor, org: Organisation) -> int:
    return sum(1 for _, read in inbox(actor, org) if not read)


def published(actor, org: Organisation) -> QuerySet[Notice]:
    scoping.require(actor, Action.SUPERVISE, org)
    return Notice.objects.visible_to(actor, Action.SUPERVISE).filter(org=org).order_by("-published_at", "-id")


@dataclass
class Access:
    notice: Notice
    supervises: bool
    reader_org: Organisation | None  # the receiving organisation the actor reads for, if any
    may_mark: bool


def get_notice(actor, pk: int) -> Access:
    """A notice for its publisher's supervisors or for people of a receiving organisation; 404 otherwise."""
    notice = Notice.objects.unscoped().select_related("org").filter(pk=pk).first()
    if notice is None:
        raise scoping.NotVisible("不存在或无权访问。")
    supervises = scoping.can(actor, Action.SUPERVISE, notice.org)
    reader = None
    if supervises:
        # The publisher's staff read for their own organisation only, never for the first branch below them.
        home = scoping.home_org(actor)
        if home is not None and receivers(notice).filter(pk=home.pk).exists():
            reader = home
    else:
        for org in receivers(notice).filter(scoping.q(actor, Action.SCHEDULE, "")):
            reader = org
            break
    if not supervises and reader is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return Access(
        notice=notice,
        supervises=supervises,
        reader_org=reader,
        may_mark=reader is not None and scoping.can(actor, Action.RECORD, reader),
    )


def files_of(notice: Notice) -> list[NoticeFile]:
    return list(NoticeFile.objects.unscoped().filter(notice=notice).order_by("id"))


def read_status(actor, notice: Notice) -> list[tuple[Organisation, NoticeRead | None]]:
    """Every receiver with its reading, for the publisher's supervisors."""
    scoping.require(actor, Action.SUPERVISE, notice.org)
    reads = {
        r.org_id: r for r in NoticeRead.objects.unscoped().filter(notice=notice).select_related("read_by")
    }
    return [(org, reads.get(org.pk)) for org in receivers(notice)]
