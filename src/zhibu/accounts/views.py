from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhibu.audit import services as audit
from zhibu.core.web import apply_errors
from zhibu.orgs.scoping import NotVisible

from . import selectors, services
from .forms import LoginForm, PasswordChangeForm, TokenForm
from .middleware import LOGIN_AT


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_attempt(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            login(request, user)
            request.session[LOGIN_AT] = int(time.time())
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                target = ""
            return redirect(target or "core:home")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.log(actor=request.user, verb="logout", target=request.user)
    logout(request)
    return redirect("accounts:login")


@login_required
def password_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("core:home")
    forced = request.user.must_change_password or services.password_expired(request.user)
    return render(
        request,
        "accounts/password.html",
        {"form": form, "forced": forced},
        status=400 if form.errors else 200,
    )


@login_required
def tokens_view(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: create one (shown once), see them all, revoke one."""
    form = TokenForm(request.POST or None)
    raw = ""
    if request.method == "POST" and form.is_valid():
        raw = services.token_create(actor=request.user, user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "raw": raw, "tokens": selectors.own_tokens(request.user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.own_tokens(request.user).filter(pk=pk).first()
    if token is None:
        raise NotVisible("不存在或无权访问。")
    try:
        services.token_revoke(actor=request.user, token=token)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已撤销令牌 {token.prefix}…。")
    return redirect("accounts:tokens")
