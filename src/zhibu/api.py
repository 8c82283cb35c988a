"""The REST API at /api/v1/: one NinjaAPI; each app's api.py contributes a `router`.

Fail closed on input: every refusal answers with one error body (`zhibu.core.apischema.ErrorOut`), every
operation declares the refusals it can give, and a NUL character anywhere in the input (which PostgreSQL cannot
store in text) is refused with 422 before any view runs, the same on every database."""

from __future__ import annotations

import json
import re
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError
from ninja.security import HttpBearer, django_auth

from zhibu.accounts.services import token_user
from zhibu.core.apischema import INPUT_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut

NUL = "\x00"
NUL_MESSAGE = "不能含有空字符（\\u0000）。"


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


def _nul_paths(value, path: str = "") -> list[str]:
    """Where in a parsed JSON value a string (or a key) holds a NUL character."""
    if isinstance(value, str):
        return [path or "__all__"] if NUL in value else []
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            found += [name] if NUL in str(key) else _nul_paths(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _nul_paths(item, f"{path}.{index}" if path else str(index))
    return found


class ZhibuAPI(NinjaAPI):
    def create_temporal_response(self, request):
        """Runs after authentication and before the input is read: refuse NUL characters in the path, the query
        and a JSON body, and a JSON body that is not an object (an unreadable body is left to the parser: 400)."""
        fields = ["__path__"] if NUL in request.path_info else []
        fields += [key for key, values in request.GET.lists() if NUL in key or any(NUL in v for v in values)]
        if request.content_type == "application/json" and request.body:
            try:
                body = json.loads(request.body)
            except ValueError:
                body = {}
            if not isinstance(body, dict):  # every body of this API is an object
                raise ValidationError({"__all__": ["请求内容须为 JSON 对象（{...}）。"]})
            fields += _nul_paths(body)
        elif request.content_type == "application/x-www-form-urlencoded":
            fields += [
                key for key, values in request.POST.lists() if NUL in key or any(NUL in v for v in values)
            ]
        if fields:
            raise ValidationError({field: [NUL_MESSAGE] for field in fields})
        return super().create_temporal_response(request)


api = ZhibuAPI(
    title="支部工作台 API",
    version="1",
    description="所有接口与网页使用同一套权限范围与校验。认证：Authorization: Bearer <令牌>（`zhibu token create 用户名`）。",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


def _error(request, status: int, detail: str, errors: dict[str, list[str]] | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    if hasattr(exc, "message_dict"):
        errors = {field: list(msgs) for field, msgs in exc.message_dict.items()}
    else:
        errors = {"__all__": list(exc.messages)}
    return _error(request, 422, "数据校验未通过。", errors)


def _choices(expected: str) -> str:
    """pydantic's English list ("'open', 'in_progress' or 'done'") as a Chinese one (open、in_progress、done)."""
    return "、".join(part.strip().strip("'\"") for part in re.split(r",| or ", expected) if part.strip())


def _input_message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return "必须填写。"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge', ctx.get('gt'))}。"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于 {ctx.get('le', ctx.get('lt'))}。"
    if kind.startswith("int_"):
        return "须为整数。"
    if kind.startswith(("float_", "decimal_")):
        return "须为数字。"
    if kind.startswith("bool_"):
        return "须为 true 或 false。"
    if kind.startswith("datetime_"):
        return "须为日期时间，如 2024-06-01T09:00:00。"
    if kind.startswith("date_"):
        return "须为日期，如 2024-06-01。"
    if kind in ("literal_error", "enum"):
        return f"须为以下之一：{_choices(str(ctx.get('expected', '')))}。"
    if kind in ("string_type", "string_too_long", "string_too_short"):
        return "须为文本。" if kind == "string_type" else "长度不符合要求。"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        return "格式不正确（类型不符）。"
    return "取值无效。"


@api.exception_handler(InputError)
def _input_error(request, exc: InputError):
    """Input that does not match the declared types and ranges (query, path or body)."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ("query", "offset") → "offset"; ("body", "payload", "attendance", 0, "member_id") → "attendance.0.member_id"
        loc = loc[2:] if len(loc) > 1 and loc[0] == "body" and loc[1] == "payload" else loc[1:]
        errors.setdefault(".".join(loc) or "__all__", []).append(_input_message(error))
    return _error(request, 422, "请求参数不符合要求。", errors)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "不存在或无权访问。")


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    return _error(request, 401, "未登录或令牌无效。")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "无权进行此操作。")


HTTP_DETAILS = {
    400: "请求内容无法解析，请发送有效的 JSON。",
    401: "未登录或令牌无效。",
    403: "无权进行此操作。",
    404: "不存在或无权访问。",
    405: "不支持此请求方法。",
    429: "请求过于频繁，请稍后再试。",
}


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, HTTP_DETAILS.get(exc.status_code, str(exc.message)))


@api.exception_handler(MultiPartParserError)
def _unreadable_upload(request, exc):
    return _error(request, 400, "上传内容无法解析，请以 multipart/form-data 发送文件。")


@api.exception_handler(IntegrityError)
def _conflict(request, exc):
    """A write that collides with data saved meanwhile (a unique constraint): nothing was saved."""
    return _error(request, 409, "与已有数据冲突，未保存。请刷新后重试。")


@api.exception_handler(DataError)
def _data_error(request, exc):
    """A value the database cannot hold (a number out of its range, text it cannot store): nothing was saved."""
    return _error(request, 422, "数据超出允许的范围或格式，未保存。")


@api.exception_handler(OverflowError)
def _overflow(request, exc):
    return _error(request, 422, "数值超出允许的范围。")


for _config in apps.get_app_configs():
    if _config.name.startswith("zhibu.") and find_spec(f"{_config.name}.api") is not None:
        _module = import_module(f"{_config.name}.api")
        if hasattr(_module, "router"):
            api.add_router(getattr(_config, "api_prefix", f"/{_config.label}"), _module.router)


def _declare_errors() -> None:
    """Declare the error responses on every operation, with the one error schema (see `apischema`)."""
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                codes = list(READ_ERRORS)
                if operation.models:
                    codes += INPUT_ERRORS
                if set(operation.methods) - {"GET", "HEAD", "OPTIONS"}:
                    codes += WRITE_ERRORS
                for code in codes:
                    operation.response_models.setdefault(code, operation._create_response_model(ErrorOut))


_declare_errors()
