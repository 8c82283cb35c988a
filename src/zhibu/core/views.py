from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from . import access

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the page that says what to do this week (the home app)."""
    org = access.scoping().home_org(request.user)
    if org is None:
        from django.shortcuts import render

        return render(request, "core/no_role.html")
    return redirect("home:index")


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The load balancer's probe: 200 when the database answers, 503 when it does not. No login, no data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("healthz: database unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})
