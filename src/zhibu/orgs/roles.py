"""What each role may do: the one table in code. Roles are held at an organisation and cover its subtree."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY = "deputy", "副书记"
    ORGANISER = "organiser", "组织委员"
    PROPAGANDA = "propaganda", "宣传委员"
    DISCIPLINE = "discipline", "纪检委员"
    GROUP_LEADER = "group_leader", "党小组长"
    MEMBER = "member", "党员"
    SUPERIOR = "superior", "上级管理员"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计员"


class Action:
    VIEW = "view"  # see the organisation, its members (masked) and its records
    STRUCTURE = "structure"  # see the organisation tree and who holds roles: no members, no records
    SCHEDULE = "schedule"  # see the organisation's schedule of activities (a plain member)
    RECORD = "record"  # record organisational life and work records
    MEMBERS = "members"  # change the roster: add, edit, import members and their status
    PII = "pii"  # see 公民身份号码 and 联系电话 in full
    EXPORT = "export"  # export lists
    ORG = "org"  # create, rename, move, dissolve organisations below
    ROLES = "roles"  # grant and revoke roles
    SUPERVISE = "supervise"  # the superior's view: boards, rules for the subtree, appraisal rounds
    REPORT = "report"  # write and submit the annual report
    AUDIT = "audit"  # read the audit log
    SECURITY = "security"  # grant and revoke the administrator roles, security settings (安全管理员)


_BRANCH_WORK = {Action.VIEW, Action.SCHEDULE, Action.RECORD}
_BRANCH_LEAD = _BRANCH_WORK | {Action.MEMBERS, Action.PII, Action.EXPORT}

_ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.SECRETARY: frozenset(_BRANCH_LEAD | {Action.ROLES, Action.REPORT}),
    Role.DEPUTY: frozenset(_BRANCH_LEAD | {Action.REPORT}),
    Role.ORGANISER: frozenset(_BRANCH_LEAD),
    Role.PROPAGANDA: frozenset(_BRANCH_WORK),
    Role.DISCIPLINE: frozenset(_BRANCH_WORK),
    Role.GROUP_LEADER: frozenset(_BRANCH_WORK),
    Role.MEMBER: frozenset({Action.SCHEDULE}),
    Role.SUPERIOR: frozenset(
        {
            Action.VIEW,
            Action.SCHEDULE,
            Action.MEMBERS,
            Action.PII,
            Action.EXPORT,
            Action.ORG,
            Action.ROLES,
            Action.SUPERVISE,
        }
    ),
    # 三员分立 (等保 2.0 三级): the system administrator keeps the tree and the settings but sees no personal
    # data and no audit; the security administrator keeps roles; the auditor reads the audit and changes nothing.
    Role.SYSADMIN: frozenset({Action.STRUCTURE, Action.ORG}),
    Role.SECADMIN: frozenset({Action.STRUCTURE, Action.ROLES, Action.SECURITY}),
    Role.AUDITOR: frozenset({Action.VIEW, Action.SCHEDULE, Action.AUDIT}),
}

# Whoever sees an organisation sees its place in the tree.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    role: actions | {Action.STRUCTURE} if Action.VIEW in actions else actions
    for role, actions in _ROLE_ACTIONS.items()
}

# The three administrators: one person holds at most one of them, and only a security administrator above
# grants or revokes them.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})

# Roles that make someone a member of the branch committee (支委会), for the quorum of ZB-02.
COMMITTEE_ROLES = frozenset({Role.SECRETARY, Role.DEPUTY, Role.ORGANISER, Role.PROPAGANDA, Role.DISCIPLINE})


# Roles held by people on a branch's roster (as opposed to superior staff, administrators and auditors).
BRANCH_ROLES = COMMITTEE_ROLES | {Role.GROUP_LEADER, Role.MEMBER}


def roles_for(action: str) -> list[str]:
    return [str(role) for role, actions in ROLE_ACTIONS.items() if action in actions]
