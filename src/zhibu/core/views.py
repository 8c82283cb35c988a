from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from zhibu.orgs import scoping


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the page for their highest organisation."""
    org = scoping.home_org(request.user)
    if org is None:
        from django.shortcuts import render

        return render(request, "core/no_role.html")
    return redirect("orgs:dashboard", code=org.code)


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
