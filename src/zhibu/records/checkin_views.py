"""Faces of 扫码签到: the secretary's screen with the code and the live list, and the member's one-tap page."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from zhibu.orgs.roles import Action

from . import checkin, selectors
from .models import CheckinSession


def _session_of(activity) -> CheckinSession | None:
    session = CheckinSession.objects.unscoped().filter(activity=activity).first()
    return session if session is not None and session.is_open else None


@login_required
@require_POST
def checkin_open(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for(request.user, pk, Action.RECORD)
    try:
        checkin.checkin_open(actor=request.user, activity=activity)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("records:detail", pk=pk)
    return redirect("records:checkin_screen", pk=pk)


@login_required
@require_POST
def checkin_close(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for(request.user, pk, Action.RECORD)
    checkin.checkin_close(actor=request.user, activity=activity)
    messages.success(request, "已结束扫码签到。")
    return redirect("records:detail", pk=pk)


@login_required
def checkin_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The code to show on the secretary's phone or the room's screen; the list below refreshes itself."""
    activity = selectors.get_activity_for(request.user, pk, Action.RECORD)
    session = _session_of(activity)
    names = checkin.signed_in(session) if session else []
    context = {"activity": activity, "session": session, "names": names}
    if request.htmx:
        return render(request, "records/_checkin_list.html", context)
    if session is not None:
        url = request.build_absolute_uri(reverse("records:checkin", args=[session.token]))
        context["qr"] = mark_safe(
            segno.make(url, error="m").svg_inline(scale=6, dark="#111", border=2, omitsize=True)
        )
        context["url"] = url
    return render(request, "records/checkin_screen.html", context)


@login_required
def checkin_member(request: HttpRequest, token: str) -> HttpResponse:
    """What a member sees after scanning: the meeting and one button."""
    session = checkin.open_session(token)
    row = checkin.own_row(request.user, session)
    if request.method == "POST":
        row = checkin.checkin_sign(actor=request.user, token=token)
    return render(
        request,
        "records/checkin_member.html",
        {"activity": session.activity, "row": row, "done": row.presence == "present"},
    )
