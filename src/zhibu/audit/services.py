"""The one way to write the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from zhibu.core.auditlog import changes
from zhibu.core.middleware import client_ip, current_request

from . import chain
from .models import AuditEntry

__all__ = ["VERB_LABELS", "changes", "log"]

VERB_LABELS = {
    "login.succeeded": "登录成功",
    "login.failed": "登录失败",
    "login.locked": "登录被锁定",
    "logout": "退出登录",
    "password.change": "修改密码",
    "token.create": "创建 API 令牌",
}


def _org_path_of(target: Any) -> str:
    for attr in ("org", "branch", "organisation"):
        org = getattr(target, attr, None)
        if org is not None and hasattr(org, "path"):
            return org.path
    if hasattr(target, "path") and hasattr(target, "depth"):
        return target.path
    return ""


def log(
    *,
    actor,
    verb: str,
    target: models.Model | None = None,
    detail: dict | None = None,
    org_path: str | None = None,
) -> AuditEntry:
    request = current_request.get()
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(str(actor) if actor is not None else "")[:150],
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        org_path=org_path if org_path is not None else (_org_path_of(target) if target is not None else ""),
        detail=_jsonable(detail or {}),
        ip=client_ip(request),
    )
    with transaction.atomic():
        chain.lock()
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry.prev_hash = last or chain.GENESIS
        entry.hash = chain.digest(entry, entry.prev_hash)
        entry.save()
    return entry


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
