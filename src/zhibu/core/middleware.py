"""Security headers, a per-request context the audit log reads, and one log line a request."""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from . import system

current_request: ContextVar[HttpRequest | None] = ContextVar("zhibu_request", default=None)

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class NoSystemWorkMiddleware:
    """A web request is never system work, even in a server started from the command line (core.system)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with system.web_request():
            return self.get_response(request)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


request_log = logging.getLogger("zhibu.requests")


class RequestLogMiddleware:
    """Logs `METHOD /path STATUS 12.3ms` for every request. The query string is left out: it can carry personal
    data (a name searched in the roster, a phone number)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            request_log.info(
                "%s %s %s %.1fms",
                request.method,
                request.path,
                status,
                elapsed_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round(elapsed_ms, 1),
                },
            )


SEEN_AT = "zhibu_seen_at"


def seen_at_login(sender, request, user, **kwargs) -> None:
    """A login is the session's first sighting: saved with the login itself, so its first page writes nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_AT] = int(time.time())


class SessionIdleMiddleware:
    """The idle timeout without a database write on every request.

    A signed-in session records when it was last seen, at most once every SESSION_TOUCH_SECONDS: only that request
    saves the session, which also renews its expiry in the store (SESSION_COOKIE_AGE from then). A session not seen
    for SESSION_COOKIE_AGE seconds is signed out here as well — so the idle timeout holds to within
    SESSION_TOUCH_SECONDS, never later. The absolute lifetime is accounts.middleware's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            seen = session.get(SEEN_AT)
            if seen is not None and now - seen > settings.SESSION_COOKIE_AGE:
                from django.contrib.auth import logout
                from django.shortcuts import redirect
                from django.urls import reverse

                logout(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if seen is None or now - seen >= settings.SESSION_TOUCH_SECONDS:
                session[SEEN_AT] = now
        return self.get_response(request)
