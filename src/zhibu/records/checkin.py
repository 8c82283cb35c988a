"""扫码签到: the secretary opens a meeting's sign-in and shows a QR code; a member of the meeting's organisation
scans it, logs in once and taps 签到, and is marked present. No location, no photo, no time online is kept.

The code stays valid until half an hour after the meeting's end, or until the secretary closes it."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action
from zhibu.people.models import Member

from . import services
from .models import Activity, Attendance, CheckinSession

GRACE = timedelta(minutes=30)
Presence = Attendance.Presence


@transaction.atomic
def checkin_open(*, actor, activity: Activity) -> CheckinSession:
    """Open (or reopen) sign-in for a meeting that has not yet ended; each opening makes a new code."""
    scoping.require(actor, Action.RECORD, activity.org)
    expires = activity.ends_at + GRACE
    if timezone.now() >= expires:
        raise ValidationError("会议已经结束，不能再扫码签到；请在记录中直接登记出勤。")
    session, _ = CheckinSession.objects.unscoped().update_or_create(
        activity=activity,
        defaults={
            "token": secrets.token_urlsafe(32),
            "opened_at": timezone.now(),
            "opened_by": actor,
            "expires_at": expires,
            "closed_at": None,
        },
    )
    audit.log(actor=actor, verb="activity.checkin_open", target=activity)
    return session


@transaction.atomic
def checkin_close(*, actor, activity: Activity) -> None:
    scoping.require(actor, Action.RECORD, activity.org)
    CheckinSession.objects.unscoped().filter(activity=activity, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )
    audit.log(actor=actor, verb="activity.checkin_close", target=activity)


def open_session(token: str) -> CheckinSession:
    """The open sign-in behind a code, or 404 (unknown, closed or expired codes look alike)."""
    session = (
        CheckinSession.objects.unscoped()
        .select_related("activity", "activity__org", "activity__kind")
        .filter(token=token, closed_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if session is None:
        raise scoping.NotVisible("签到码无效或已过期。")
    return session


def own_row(actor, session: CheckinSession) -> Attendance:
    """The actor's own attendance row at the meeting: only people expected at it (members of the meeting's
    organisation on its date) have one; anyone else gets 404."""
    member = Member.objects.unscoped().filter(user_id=getattr(actor, "pk", None)).first()
    row = (
        Attendance.objects.unscoped()
        .select_related("member")
        .filter(activity=session.activity, member=member)
        .first()
        if member is not None
        else None
    )
    if row is None:
        raise scoping.NotVisible("签到码无效或已过期。")
    return row


@transaction.atomic
def checkin_sign(*, actor, token: str) -> Attendance:
    """Mark the actor present at the meeting behind `token`. Signing twice changes nothing."""
    session = open_session(token)
    activity = (
        Activity.objects.unscoped().select_for_update().select_related("kind").get(pk=session.activity_id)
    )
    row = own_row(actor, session)
    if row.presence == Presence.PRESENT:
        return row
    row.presence, row.reason = Presence.PRESENT, ""
    row.save(update_fields=["presence", "reason"])
    rows = list(Attendance.objects.unscoped().select_related("member").filter(activity=activity))
    services._count(activity, rows)
    activity.save(update_fields=["expected_count", "present_count", "committee_size", "committee_present"])
    audit.log(actor=actor, verb="activity.checkin", target=activity, detail={"member": row.member.name})
    services._refresh_lights(activity.org_id, {services._month(activity.held_on)})
    return row


def signed_in(session: CheckinSession) -> list[str]:
    """Names of those present, in the order of the roster, for the secretary's screen."""
    return list(
        Attendance.objects.unscoped()
        .filter(activity=session.activity, presence=Presence.PRESENT)
        .order_by("member__name_pinyin")
        .values_list("member__name", flat=True)
    )
