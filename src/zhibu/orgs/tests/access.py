from zhibu.orgs.models import RoleAssignment
from zhibu.testing.matrix import Case

VIEWERS_A = {"district", "sec_a", "auditor"}
# Who sees the tree and the roles held (no members, no records): viewers and the system and security administrators.
STRUCTURE = {"district", "auditor", "sysadmin", "secadmin"}
ORG = {"district", "sysadmin"}


def _member_role(tree):
    return [RoleAssignment.objects.get(user=tree.users.member_a, org=tree.a).pk]


def _break(tree):
    from datetime import date

    from zhibu.orgs.models import OrgBreak

    return [
        OrgBreak.objects.unscoped()
        .create(org=tree.a, name="暑假", starts_on=date(2022, 7, 11), ends_on=date(2022, 8, 28))
        .pk
    ]


ACCESS = [
    Case("orgs:index", allowed={"district", "sec_a", "member_a", "sec_b", "auditor", "sysadmin", "secadmin"}),
    Case("orgs:dashboard", args=lambda t: [t.a.code], allowed=VIEWERS_A | {"member_a"}),
    Case("orgs:tree", args=lambda t: [t.district.code], allowed=STRUCTURE),
    Case("orgs:children", args=lambda t: [t.district.code], allowed=STRUCTURE),
    Case("orgs:detail", args=lambda t: [t.a.code], allowed=VIEWERS_A | STRUCTURE),
    Case("orgs:create", args=lambda t: [t.district.code], allowed=ORG),
    Case(
        "orgs:create",
        args=lambda t: [t.district.code],
        method="post",
        allowed=ORG,
        ok_status=(400,),
        label="post-empty",
    ),
    Case("orgs:edit", args=lambda t: [t.a.code], allowed=ORG),
    Case("orgs:move", args=lambda t: [t.a.code], allowed=ORG),
    Case("orgs:dissolve", args=lambda t: [t.b.code], allowed=ORG),
    Case(
        "orgs:role_grant",
        args=lambda t: [t.a.code],
        method="post",
        allowed={"district", "sec_a", "secadmin"},
        ok_status=(400,),
    ),
    Case("orgs:role_revoke", args=_member_role, method="post", allowed={"district", "sec_a", "secadmin"}),
    Case("orgs:breaks", args=lambda t: [t.a.code], allowed=VIEWERS_A),
    Case(
        "orgs:breaks",
        args=lambda t: [t.a.code],
        method="post",
        allowed={"district", "sec_a"},
        ok_status=(400,),
        label="post-empty",
    ),
    Case("orgs:break_remove", args=_break, method="post", allowed={"district", "sec_a"}),
]

_NEW = {"parent": "district-edu", "type": "branch", "code": "m-branch", "name": "矩阵党支部"}
ACCESS += [
    Case("api:orgs_list", allowed={"district", "sec_a", "sec_b", "auditor"}),
    Case("api:orgs_detail", args=lambda t: [t.a.code], allowed=VIEWERS_A),
    Case("api:orgs_create", method="post", data=_NEW, allowed=ORG),
    Case(
        "api:orgs_update", args=lambda t: [t.a.code], method="patch", data={"short_name": "甲"}, allowed=ORG
    ),
    Case(
        "api:orgs_move",
        args=lambda t: [t.a_group.code],
        method="post",
        data={"new_parent": "branch-b"},
        allowed=ORG,
    ),
    Case(
        "api:orgs_dissolve",
        args=lambda t: [t.a_group.code],
        method="post",
        data={"on": "2024-01-01"},
        allowed=ORG,
    ),
]

_ELECTION = {"held_on": "2024-03-01", "posts": [], "confirm": True}
ACCESS += [
    Case("api:orgs_posts", args=lambda t: [t.a.code], allowed=VIEWERS_A),
    # an empty set of posts is refused (422) after the scope check
    Case(
        "api:orgs_elect",
        args=lambda t: [t.a.code],
        method="post",
        data=_ELECTION,
        allowed={"district", "sec_a"},
        ok_status=(422,),
    ),
]
