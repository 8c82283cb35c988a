from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from zhibu.orgs import scoping


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the page that says what to do this week (the home app)."""
    org = scoping.home_org(request.user)
    if org is None:
        from django.shortcuts import render

        return render(request, "core/no_role.html")
    return redirect("home:index")


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
