from __future__ import annotations

import pytest

from zhibu.core.scoped import UnscopedQuery
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member


def codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


def test_superior_sees_whole_subtree_and_nothing_outside(tree):
    assert codes(scoping.organisations(tree.users.district)) == {
        "district-edu",
        "branch-a",
        "branch-a-g1",
        "branch-b",
    }


def test_secretary_sees_own_branch_and_its_groups_only(tree):
    assert codes(scoping.organisations(tree.users.sec_a)) == {"branch-a", "branch-a-g1"}


def test_plain_member_has_schedule_but_not_view(tree):
    assert codes(scoping.organisations(tree.users.member_a, Action.SCHEDULE)) == {"branch-a", "branch-a-g1"}
    assert codes(scoping.organisations(tree.users.member_a, Action.VIEW)) == set()


def test_outsider_sees_nothing(tree):
    assert codes(scoping.organisations(tree.users.outsider)) == set()
    assert list(Member.objects.visible_to(tree.users.outsider, Action.VIEW)) == []


def test_members_scoped_by_branch(tree):
    names = set(Member.objects.visible_to(tree.users.sec_b, Action.VIEW).values_list("name", flat=True))
    assert names == {"赵乙一"}


def test_unscoped_query_is_an_error(tree):
    with pytest.raises(UnscopedQuery):
        Member.objects.filter(name="张文慧").count()


def test_require_raises_404_for_sibling_branch(tree):
    with pytest.raises(scoping.NotVisible):
        scoping.require(tree.users.sec_a, Action.VIEW, tree.b)


def test_subtree_range_is_one_query(tree, django_assert_num_queries):
    user = tree.users.district
    scoping.prefixes(user, Action.VIEW)  # role rows are read once per actor
    with django_assert_num_queries(1):
        assert len(list(scoping.organisations(user))) == 4


def test_prefix_bounds_do_not_leak_into_sibling_with_longer_path(tree):
    low, high = scoping.path_bounds(tree.a.path)
    inside = Organisation.objects.filter(path__gte=low, path__lte=high)
    assert codes(inside) == {"branch-a", "branch-a-g1"}
