"""Writes on the organisation tree and on roles. Every function checks scope first and audits once."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from zhibu.audit import services as audit

from . import scoping
from .models import Organisation, OrgType, RoleAssignment
from .roles import ADMIN_ROLES, Action, Role

EDITABLE_FIELDS = ("name", "short_name", "secretary_name", "contact_name", "contact_phone", "founded_on",
                   "unit_situation", "unit_names")


def _snapshot(org: Organisation) -> dict:
    return {field: getattr(org, field) for field in (*EDITABLE_FIELDS, "code")}


@transaction.atomic
def org_create(*, actor, parent: Organisation | None, type: OrgType, code: str, name: str, **fields) -> Organisation:
    if parent is None:
        if not scoping.can_create_root(actor):
            raise scoping.NotVisible()
    else:
        scoping.require(actor, Action.ORG, parent)
        if not parent.is_active:
            raise ValidationError("上级组织已撤销，不能在其下新建组织。")
    if not type.may_sit_under(parent.type if parent else None):
        raise ValidationError({"type": f"“{type.name}”不能设在“{parent.type.name if parent else '顶层'}”之下。"})
    node = Organisation(type=type, code=code, name=name, **fields)
    node.full_clean(exclude=["path", "depth", "numchild"])
    org = Organisation.objects.add_child(parent, instance=node) if parent else Organisation.objects.add_root(instance=node)
    audit.log(actor=actor, verb="org.create", target=org, detail=_snapshot(org))
    return org


@transaction.atomic
def org_update(*, actor, org: Organisation, **fields) -> Organisation:
    scoping.require(actor, Action.ORG, Organisation.objects.get_parent(org) or org)
    before = _snapshot(org)
    for field, value in fields.items():
        if field not in EDITABLE_FIELDS:
            raise ValueError(f"field {field} cannot be edited here")
        setattr(org, field, value)
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.save()
    audit.log(actor=actor, verb="org.update", target=org, detail=audit.changes(before, _snapshot(org)))
    return org


@transaction.atomic
def org_move(*, actor, org: Organisation, new_parent: Organisation) -> Organisation:
    """Move an organisation with its whole subtree under a new parent (both inside the actor's scope)."""
    parent = Organisation.objects.get_parent(org)
    scoping.require(actor, Action.ORG, parent or org)
    scoping.require(actor, Action.ORG, new_parent)
    if parent is None:
        raise ValidationError("顶层组织不能移动。")
    if new_parent.path.startswith(org.path):
        raise ValidationError({"new_parent": "不能移动到自身或自己的下级组织之下。"})
    if not new_parent.is_active:
        raise ValidationError({"new_parent": "目标组织已撤销。"})
    if not org.type.may_sit_under(new_parent.type):
        raise ValidationError({"new_parent": f"“{org.type.name}”不能设在“{new_parent.type.name}”之下。"})
    old_parent_name = parent.name
    Organisation.objects.move(org, new_parent, "sorted-child")
    org = Organisation.objects.get(pk=org.pk)
    audit.log(actor=actor, verb="org.move", target=org, detail={"from": old_parent_name, "to": new_parent.name})
    return org


@transaction.atomic
def org_dissolve(*, actor, org: Organisation, on: date, reason: str = "") -> int:
    """Mark an organisation and its subtree dissolved. Nothing is deleted: history stays readable."""
    scoping.require(actor, Action.ORG, Organisation.objects.get_parent(org) or org)
    if not org.is_active:
        raise ValidationError("该组织已撤销。")
    if org.founded_on and on < org.founded_on:
        raise ValidationError({"on": "撤销日期不能早于成立日期。"})
    low, high = scoping.path_bounds(org.path)
    from zhibu.people.models import Member

    active_members = Member.objects.unscoped().filter(branch__path__gte=low, branch__path__lte=high,
                                                      left_on__isnull=True).count()
    if active_members:
        raise ValidationError(f"该组织及下级仍有 {active_members} 名党员未转出，请先办理组织关系转接。")
    count = Organisation.objects.filter(path__gte=low, path__lte=high, dissolved_on__isnull=True).update(dissolved_on=on)
    audit.log(actor=actor, verb="org.dissolve", target=org, detail={"on": on.isoformat(), "reason": reason,
                                                                     "count": count})
    return count


def _require_duty(actor, role: str, org: Organisation, *, revoke: bool = False) -> None:
    """三员分立: who may grant or revoke which role. Nobody changes their own roles; the administrators' roles
    belong to the security administrator above; a superior's role to a superior or security administrator."""
    verb = "撤销" if revoke else "授予"
    if role in ADMIN_ROLES and not scoping.can(actor, Action.SECURITY, org):
        raise ValidationError({"role": f"只有上级安全管理员可以{verb}“{Role(role).label}”角色"
                                       "（三员分立：系统管理员、安全管理员、审计员职责分离）。"})
    if role == Role.SUPERIOR and not (scoping.can(actor, Action.SECURITY, org) or scoping.can(actor, Action.ORG, org)
                                      and scoping.can(actor, Action.ROLES, org)):
        raise ValidationError({"role": f"只有上级管理员或安全管理员可以{verb}“上级管理员”角色。"})


@transaction.atomic
def role_grant(*, actor, user, org: Organisation, role: str) -> RoleAssignment:
    scoping.require(actor, Action.ROLES, org)
    if role not in Role.values:
        raise ValidationError({"role": "未知角色。"})
    if user.pk == getattr(actor, "pk", None):
        raise ValidationError({"username": "不能为自己授予角色，请由上级管理员办理。"})
    _require_duty(actor, role, org)
    if role in ADMIN_ROLES:
        held = set(RoleAssignment.objects.filter(user=user, role__in=ADMIN_ROLES).exclude(role=role)
                   .values_list("role", flat=True))
        if held:
            names = "、".join(Role(r).label for r in sorted(held))
            raise ValidationError({"role": f"该用户已担任{names}，系统管理员、安全管理员、审计员不能由同一人兼任。"})
    assignment, created = RoleAssignment.objects.get_or_create(user=user, org=org, role=role,
                                                               defaults={"granted_by": getattr(actor, "pk", None)
                                                                         and actor})
    if not created:
        raise ValidationError("该用户已在此组织担任这一角色。")
    audit.log(actor=actor, verb="role.grant", target=org, detail={"user": user.username, "role": role})
    scoping.forget(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    scoping.require(actor, Action.ROLES, assignment.org)
    if assignment.user_id == getattr(actor, "pk", None):
        raise ValidationError("不能撤销自己的角色，请由上级管理员办理。")
    _require_duty(actor, assignment.role, assignment.org, revoke=True)
    detail = {"user": assignment.user.username, "role": assignment.role}
    org = assignment.org
    assignment.delete()
    audit.log(actor=actor, verb="role.revoke", target=org, detail=detail)
