from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import selectors


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """This week's work for whoever is logged in: their branches, the committee they supervise, themselves."""
    actor, today = request.user, timezone.localdate()
    branches = [org for org in selectors.rules.my_branches(actor) if scoping.can(actor, Action.RECORD, org)]
    home = scoping.home_org(actor)
    superior = home if home is not None and scoping.can(actor, Action.SUPERVISE, home) else None
    member = selectors.member_home(actor, today)
    if not branches and superior is None and member is None:
        return render(request, "core/no_role.html")
    return render(
        request,
        "home/index.html",
        {
            "today": today,
            "member": member,
            "home_org": home,
            "branches": [selectors.branch_home(actor, org, today) for org in branches],
            "superior": selectors.superior_home(actor, superior, today) if superior else None,
        },
    )
