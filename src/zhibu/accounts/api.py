from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema

from zhibu.orgs.models import RoleAssignment
from zhibu.orgs.scoping import NotVisible

from . import selectors, services

router = Router(tags=["账号"])


class RoleOut(Schema):
    org: str
    org_name: str
    role: str
    role_name: str


class MeOut(Schema):
    username: str
    name: str
    roles: list[RoleOut]


@router.get("/me", response=MeOut, url_name="accounts_me")
def me(request):
    """The caller and the roles they hold."""
    roles = RoleAssignment.objects.filter(user=request.user).select_related("org")
    return {
        "username": request.user.username,
        "name": str(request.user),
        "roles": [
            {"org": r.org.code, "org_name": r.org.name, "role": r.role, "role_name": r.get_role_display()}
            for r in roles
        ],
    }


class TokenOut(Schema):
    id: int
    prefix: str
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    status: str


@router.get("/tokens", response=list[TokenOut], url_name="accounts_tokens")
def tokens(request):
    """The caller's own API tokens."""
    return list(selectors.own_tokens(request.user))


@router.post("/tokens/{token_id}/revoke", response=TokenOut, url_name="accounts_token_revoke")
def token_revoke(request, token_id: int):
    """Revoke one of the caller's own tokens (another's answers 404)."""
    token = selectors.own_tokens(request.user).filter(pk=token_id).first()
    if token is None:
        raise NotVisible("不存在或无权访问。")
    services.token_revoke(actor=request.user, token=token)
    return token
