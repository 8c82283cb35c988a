from zhibu.orgs.models import RoleAssignment
from zhibu.testing.matrix import Case

VIEWERS_A = {"district", "sec_a", "auditor"}


def _member_role(tree):
    return [RoleAssignment.objects.get(user=tree.users.member_a, org=tree.a).pk]


def _break(tree):
    from datetime import date

    from zhibu.orgs.models import OrgBreak

    return [OrgBreak.objects.unscoped().create(org=tree.a, name="暑假", starts_on=date(2022, 7, 11),
                                                ends_on=date(2022, 8, 28)).pk]


ACCESS = [
    Case("orgs:index", allowed={"district", "sec_a", "member_a", "sec_b", "auditor"}),
    Case("orgs:dashboard", args=lambda t: [t.a.code], allowed=VIEWERS_A | {"member_a"}),
    Case("orgs:tree", args=lambda t: [t.district.code], allowed={"district", "auditor"}),
    Case("orgs:children", args=lambda t: [t.district.code], allowed={"district", "auditor"}),
    Case("orgs:detail", args=lambda t: [t.a.code], allowed=VIEWERS_A),
    Case("orgs:create", args=lambda t: [t.district.code], allowed={"district"}),
    Case("orgs:create", args=lambda t: [t.district.code], method="post", allowed={"district"}, ok_status=(400,),
         label="post-empty"),
    Case("orgs:edit", args=lambda t: [t.a.code], allowed={"district"}),
    Case("orgs:move", args=lambda t: [t.a.code], allowed={"district"}),
    Case("orgs:dissolve", args=lambda t: [t.b.code], allowed={"district"}),
    Case("orgs:role_grant", args=lambda t: [t.a.code], method="post", allowed={"district", "sec_a"},
         ok_status=(400,)),
    Case("orgs:role_revoke", args=_member_role, method="post", allowed={"district", "sec_a"}),
    Case("orgs:breaks", args=lambda t: [t.a.code], allowed=VIEWERS_A),
    Case("orgs:breaks", args=lambda t: [t.a.code], method="post", allowed={"district", "sec_a"}, ok_status=(400,),
         label="post-empty"),
    Case("orgs:break_remove", args=_break, method="post", allowed={"district", "sec_a"}),
]

_NEW = {"parent": "district-edu", "type": "branch", "code": "m-branch", "name": "矩阵党支部"}
ACCESS += [
    Case("api:orgs_list", allowed={"district", "sec_a", "sec_b", "auditor"}),
    Case("api:orgs_detail", args=lambda t: [t.a.code], allowed=VIEWERS_A),
    Case("api:orgs_create", method="post", data=_NEW, allowed={"district"}),
    Case("api:orgs_update", args=lambda t: [t.a.code], method="patch", data={"short_name": "甲"},
         allowed={"district"}),
    Case("api:orgs_move", args=lambda t: [t.a_group.code], method="post", data={"new_parent": "branch-b"},
         allowed={"district"}),
    Case("api:orgs_dissolve", args=lambda t: [t.a_group.code], method="post", data={"on": "2024-01-01"},
         allowed={"district"}),
]

_ELECTION = {"held_on": "2024-03-01", "posts": [], "confirm": True}
ACCESS += [
    Case("api:orgs_posts", args=lambda t: [t.a.code], allowed=VIEWERS_A),
    # an empty set of posts is refused (422) after the scope check
    Case("api:orgs_elect", args=lambda t: [t.a.code], method="post", data=_ELECTION, allowed={"district", "sec_a"},
         ok_status=(422,)),
]
