from __future__ import annotations

from ninja import Router, Schema

from zhibu.orgs.models import RoleAssignment

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
    return {"username": request.user.username, "name": str(request.user),
            "roles": [{"org": r.org.code, "org_name": r.org.name, "role": r.role, "role_name": r.get_role_display()}
                      for r in roles]}
