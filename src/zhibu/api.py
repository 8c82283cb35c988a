"""The REST API at /api/v1/: one NinjaAPI; each app's api.py contributes a `router`."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from zhibu.accounts.services import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="支部工作台 API",
    version="1",
    description="所有接口与网页使用同一套权限范围与校验。认证：Authorization: Bearer <令牌>（`zhibu token create 用户名`）。",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    if hasattr(exc, "message_dict"):
        errors = {field: list(msgs) for field, msgs in exc.message_dict.items()}
    else:
        errors = {"__all__": list(exc.messages)}
    return api.create_response(request, {"detail": "数据校验未通过。", "errors": errors}, status=422)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "不存在或无权访问。"}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效。"}, status=401)


for _config in apps.get_app_configs():
    if _config.name.startswith("zhibu.") and find_spec(f"{_config.name}.api") is not None:
        _module = import_module(f"{_config.name}.api")
        if hasattr(_module, "router"):
            api.add_router(getattr(_config, "api_prefix", f"/{_config.label}"), _module.router)
