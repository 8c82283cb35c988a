"""Account policy on every page: an absolute session lifetime besides the idle one, and a forced password change
(initial, reset or expired passwords) before anything else."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

LOGIN_AT = "zhibu_login_at"


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            started = request.session.setdefault(LOGIN_AT, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if self._must_change(user) and not self._exempt(request.path):
                return redirect("accounts:password")
        return self.get_response(request)

    @staticmethod
    def _must_change(user) -> bool:
        from .services import password_expired

        return user.must_change_password or password_expired(user)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = (reverse("accounts:password"), reverse("accounts:logout"), settings.STATIC_URL, "/api/")
        return path.startswith(allowed)
