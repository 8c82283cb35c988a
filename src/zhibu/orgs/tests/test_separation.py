"""三员分立: the system administrator, the security administrator and the auditor, each to their own duty."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.audit import selectors as audit_selectors
from zhibu.orgs import scoping, services
from zhibu.orgs.models import RoleAssignment
from zhibu.orgs.roles import Action, Role


def _roles(user) -> set[tuple[str, str]]:
    return set(RoleAssignment.objects.filter(user=user).values_list("org__code", "role"))


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSADMIN, Role.SECADMIN])
def test_superior_cannot_grant_itself_an_administrator_role(tree, role):
    before = _roles(tree.users.district)
    with pytest.raises(ValidationError, match="不能为自己授予角色"):
        services.role_grant(actor=tree.users.district, user=tree.users.district, org=tree.district, role=role)
    assert _roles(tree.users.district) == before


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSADMIN])
def test_superior_cannot_grant_an_administrator_role_to_another(tree, role):
    with pytest.raises(ValidationError, match="只有上级安全管理员"):
        services.role_grant(actor=tree.users.district, user=tree.users.outsider, org=tree.district, role=role)
    assert _roles(tree.users.outsider) == set()


def test_sysadmin_cannot_grant_itself_superior(tree):
    with pytest.raises(scoping.NotVisible):
        services.role_grant(
            actor=tree.users.sysadmin, user=tree.users.sysadmin, org=tree.district, role=Role.SUPERIOR
        )
    assert _roles(tree.users.sysadmin) == {("district-edu", Role.SYSADMIN)}


def test_sysadmin_cannot_reveal_an_id_number(tree, client):
    client.force_login(tree.users.sysadmin)
    member = tree.members.a3
    assert client.post(reverse("people:reveal", args=[member.pk])).status_code == 404
    assert client.get(reverse("people:detail", args=[member.pk])).status_code == 404
    assert not scoping.can(tree.users.sysadmin, Action.PII, tree.a)
    assert not scoping.can(tree.users.sysadmin, Action.AUDIT, tree.a)


def test_sysadmin_cannot_revoke_the_auditors_role(tree):
    assignment = RoleAssignment.objects.get(user=tree.users.auditor)
    with pytest.raises(scoping.NotVisible):
        services.role_revoke(actor=tree.users.sysadmin, assignment=assignment)
    assert _roles(tree.users.auditor) == {("district-edu", Role.AUDITOR)}


def test_superior_cannot_revoke_the_auditors_role(tree):
    assignment = RoleAssignment.objects.get(user=tree.users.auditor)
    with pytest.raises(ValidationError, match="只有上级安全管理员可以撤销“审计员”角色"):
        services.role_revoke(actor=tree.users.district, assignment=assignment)
    assert _roles(tree.users.auditor) == {("district-edu", Role.AUDITOR)}


def test_secretary_cannot_revoke_the_superiors_role(tree):
    assignment = RoleAssignment.objects.get(user=tree.users.district)
    with pytest.raises(scoping.NotVisible):
        services.role_revoke(actor=tree.users.sec_a, assignment=assignment)
    assert _roles(tree.users.district) == {("district-edu", Role.SUPERIOR)}


def test_nobody_revokes_their_own_role(tree):
    for user in (tree.users.secadmin, tree.users.sec_a):
        assignment = RoleAssignment.objects.get(user=user)
        with pytest.raises(ValidationError, match="不能撤销自己的角色"):
            services.role_revoke(actor=user, assignment=assignment)
        assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_secadmin_cannot_grant_itself_a_role(tree):
    with pytest.raises(ValidationError, match="不能为自己授予角色"):
        services.role_grant(
            actor=tree.users.secadmin, user=tree.users.secadmin, org=tree.a, role=Role.SECRETARY
        )
    assert _roles(tree.users.secadmin) == {("district-edu", Role.SECADMIN)}


def test_secadmin_grants_and_revokes_the_auditor(tree):
    assignment = services.role_grant(
        actor=tree.users.secadmin, user=tree.users.outsider, org=tree.a, role=Role.AUDITOR
    )
    assert _roles(tree.users.outsider) == {("branch-a", Role.AUDITOR)}
    services.role_revoke(actor=tree.users.secadmin, assignment=assignment)
    assert _roles(tree.users.outsider) == set()


@pytest.mark.parametrize(
    "held, wanted",
    [(Role.SYSADMIN, Role.AUDITOR), (Role.AUDITOR, Role.SECADMIN), (Role.SECADMIN, Role.SYSADMIN)],
)
def test_the_three_administrators_are_mutually_exclusive(tree, held, wanted):
    user = {
        Role.SYSADMIN: tree.users.sysadmin,
        Role.AUDITOR: tree.users.auditor,
        Role.SECADMIN: tree.users.secadmin,
    }[held]
    actor = tree.users.secadmin if user != tree.users.secadmin else None
    if actor is None:  # the security administrator's own roles come from the operator (the system actor)
        actor = scoping.SYSTEM
    with pytest.raises(ValidationError, match="不能由同一人兼任"):
        services.role_grant(actor=actor, user=user, org=tree.b, role=wanted)
    assert _roles(user) == {("district-edu", held)}


def test_every_grant_is_audited_and_visible_to_the_auditor_above(tree):
    services.role_grant(actor=tree.users.secadmin, user=tree.users.outsider, org=tree.b, role=Role.SYSADMIN)
    entries = list(audit_selectors.entries(tree.users.auditor, verb="role.grant"))
    assert [(e.actor_id, e.org_path, e.detail) for e in entries] == [
        (tree.users.secadmin.pk, tree.b.path, {"user": "outsider", "role": "sysadmin"})
    ]


def test_secretary_still_grants_branch_roles(tree):
    services.role_grant(actor=tree.users.sec_a, user=tree.users.outsider, org=tree.a, role=Role.PROPAGANDA)
    assert _roles(tree.users.outsider) == {("branch-a", Role.PROPAGANDA)}
