from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.orgs import services
from zhibu.orgs.models import Organisation, OrgType, RoleAssignment
from zhibu.orgs.roles import Role


def org_type(code):
    return OrgType.objects.get(code=code)


def test_district_creates_branch_with_audit(tree):
    org = services.org_create(
        actor=tree.users.district,
        parent=tree.district,
        type=org_type("branch"),
        code="branch-c",
        name="丙幼儿园党支部",
        contact_phone="0633-8123456",
    )
    assert org.path.startswith(tree.district.path) and org.depth == 2
    assert AuditEntry.objects.filter(verb="org.create", target_id=str(org.pk)).count() == 1


def test_secretary_cannot_create_under_district(tree):
    with pytest.raises(services.scoping.NotVisible):
        services.org_create(
            actor=tree.users.sec_a, parent=tree.district, type=org_type("branch"), code="branch-c", name="丙"
        )
    assert not Organisation.objects.filter(code="branch-c").exists()


@pytest.mark.parametrize(
    ("parent_attr", "type_code", "message"),
    [
        ("a", "branch", "“党支部”不能设在“党支部”之下"),
        ("district", "group", "“党小组”不能设在“党委”之下"),
    ],
)
def test_type_must_fit_parent(tree, parent_attr, type_code, message):
    with pytest.raises(ValidationError, match=message):
        services.org_create(
            actor=tree.users.district,
            parent=getattr(tree, parent_attr),
            type=org_type(type_code),
            code="new-node",
            name="新组织",
        )
    assert not Organisation.objects.filter(code="new-node").exists()


@pytest.mark.parametrize("code", ["AB", "Bad Code", "-lead", "x"])
def test_bad_code_refused(tree, code):
    with pytest.raises(ValidationError):
        services.org_create(
            actor=tree.users.district, parent=tree.district, type=org_type("branch"), code=code, name="新组织"
        )


def test_duplicate_code_refused(tree):
    with pytest.raises(ValidationError) as info:
        services.org_create(
            actor=tree.users.district,
            parent=tree.district,
            type=org_type("branch"),
            code="branch-a",
            name="重复",
        )
    assert "code" in info.value.message_dict


def test_move_takes_the_subtree_along(tree):
    gb = services.org_create(
        actor=tree.users.district,
        parent=tree.district,
        type=org_type("general-branch"),
        code="gb-one",
        name="某党总支",
    )
    services.org_move(actor=tree.users.district, org=tree.a, new_parent=gb)
    a = Organisation.objects.get(code="branch-a")
    group = Organisation.objects.get(code="branch-a-g1")
    assert a.path.startswith(gb.path) and group.path.startswith(a.path) and group.depth == 4
    # the roles travel with the node, so the secretary still sees the branch and its group
    from zhibu.orgs import scoping

    scoping.forget(tree.users.sec_a)
    assert set(scoping.organisations(tree.users.sec_a).values_list("code", flat=True)) == {
        "branch-a",
        "branch-a-g1",
    }


def test_move_into_own_subtree_refused(tree):
    with pytest.raises(ValidationError):
        services.org_move(actor=tree.users.district, org=tree.a, new_parent=tree.a_group)


def test_move_out_of_scope_is_404(tree):
    with pytest.raises(services.scoping.NotVisible):
        services.org_move(actor=tree.users.district, org=tree.a, new_parent=tree.other)
    assert Organisation.objects.get(code="branch-a").path.startswith(tree.district.path)


def test_dissolve_refused_while_members_remain_then_keeps_history(tree):
    with pytest.raises(ValidationError, match="名党员未转出"):
        services.org_dissolve(actor=tree.users.district, org=tree.b, on=date(2024, 1, 1))
    from zhibu.people.models import Member

    Member.objects.unscoped().filter(branch=tree.b).update(left_on=date(2023, 12, 1))
    assert services.org_dissolve(actor=tree.users.district, org=tree.b, on=date(2024, 1, 1)) == 1
    b = Organisation.objects.get(code="branch-b")
    assert b.dissolved_on == date(2024, 1, 1) and not b.is_active


def test_role_grant_and_revoke(tree):
    services.role_grant(actor=tree.users.sec_a, user=tree.users.outsider, org=tree.a, role=Role.PROPAGANDA)
    assignment = RoleAssignment.objects.get(user=tree.users.outsider)
    with pytest.raises(ValidationError):
        services.role_grant(
            actor=tree.users.sec_a, user=tree.users.outsider, org=tree.a, role=Role.PROPAGANDA
        )
    with pytest.raises(ValidationError, match="只有上级管理员"):
        services.role_grant(actor=tree.users.sec_a, user=tree.users.outsider, org=tree.a, role=Role.SUPERIOR)
    services.role_revoke(actor=tree.users.sec_a, assignment=assignment)
    assert not RoleAssignment.objects.filter(user=tree.users.outsider).exists()


def test_create_form_shows_chinese_errors_and_saves_nothing(tree, client):
    client.force_login(tree.users.district)
    response = client.post(
        reverse("orgs:create", args=[tree.district.code]),
        {
            "type": org_type("branch").pk,
            "code": "Bad Code",
            "name": "",
            "unit_situation": "entity",
            "contact_phone": "12345",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "这个字段是必填项" in body or "必填" in body
    assert Organisation.objects.count() == 6


def test_create_form_creates(tree, client):
    client.force_login(tree.users.district)
    response = client.post(
        reverse("orgs:create", args=[tree.district.code]),
        {
            "type": org_type("branch").pk,
            "code": "branch-c",
            "name": "丙幼儿园党支部",
            "unit_situation": "entity",
            "contact_phone": "0633-8123456",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(code="branch-c").contact_phone == "0633-8123456"


def test_move_form_to_unknown_target(tree, client):
    client.force_login(tree.users.district)
    response = client.post(reverse("orgs:move", args=[tree.a.code]), {"new_parent": "other-district"})
    assert response.status_code == 400
    assert "不在您的管理范围内" in response.content.decode()


def test_tree_page_query_count_does_not_grow_with_children(tree, client, django_assert_max_num_queries):
    from zhibu.testing.factories import make_org

    client.force_login(tree.users.district)
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("orgs:tree", args=[tree.district.code]))
    for i in range(15):
        make_org(f"extra-{i}", f"新增支部{i}", parent=tree.district)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("orgs:tree", args=[tree.district.code]))
    assert response.content.decode().count("新增支部") == 15


def test_api_lists_scope_and_creates(tree, client):
    client.force_login(tree.users.sec_a)
    assert [o["code"] for o in client.get("/api/v1/orgs/").json()] == ["branch-a", "branch-a-g1"]
    assert client.get("/api/v1/orgs/branch-b").status_code == 404
    client.force_login(tree.users.district)
    response = client.post(
        "/api/v1/orgs/",
        {"parent": "district-edu", "type": "branch", "code": "api-branch", "name": "接口新建党支部"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["parent"] == "district-edu"
    bad = client.post(
        "/api/v1/orgs/",
        {"parent": "district-edu", "type": "branch", "code": "API BAD", "name": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "code" in bad.json()["errors"]


def test_dashboard_crumbs_link_only_to_visible_organisations(tree, client):
    client.force_login(tree.users.sec_a)
    body = client.get(reverse("orgs:dashboard", args=[tree.a.code])).content.decode()
    assert 'href="/org/district-edu/"' not in body and tree.district.short_name in body
    client.force_login(tree.users.district)
    body = client.get(reverse("orgs:dashboard", args=[tree.a.code])).content.decode()
    assert 'href="/org/district-edu/"' in body


def test_dashboard_of_a_party_group_counts_its_own_members(tree, client):
    client.force_login(tree.users.sec_a)
    counts = dict(client.get(reverse("orgs:dashboard", args=[tree.a_group.code])).context["status_counts"])
    assert counts["正式党员"] == 2 and counts["预备党员"] == 0  # 李慧欣 and 陶俊颖 sit in the group
    counts = dict(client.get(reverse("orgs:dashboard", args=[tree.a.code])).context["status_counts"])
    assert counts["正式党员"] == 3 and counts["预备党员"] == 1
