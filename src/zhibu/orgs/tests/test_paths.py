from zhibu.orgs.models import Organisation, TermRule
from zhibu.orgs.selectors import nearest


def test_path_helpers(tree):
    group, branch, top = tree.a_group, tree.a, tree.district
    assert group.ancestor_paths() == [top.path, branch.path]
    assert group.ancestor_paths(include_self=True) == [top.path, branch.path, group.path]
    assert Organisation.path_chain(group.path) == [top.path, branch.path, group.path]
    assert Organisation.path_chain(group.path, include_self=False) == [top.path, branch.path]
    assert Organisation.parent_path_of(group.path) == branch.path
    assert Organisation.path_at_depth(group.path, 1) == top.path
    assert top.ancestor_paths() == []


def test_branch_of_a_group_a_branch_and_a_committee(tree, django_assert_num_queries):
    assert tree.a.branch == tree.a
    with django_assert_num_queries(1):
        assert tree.a_group.branch == tree.a
        assert tree.a_group.branch == tree.a  # kept after the first look-up
    assert tree.district.branch is None


def test_nearest_setting_is_own_then_the_closest_above(tree):
    assert nearest(TermRule, tree.a_group) is None
    high = TermRule.objects.unscoped().create(org=tree.district, term_years=5, max_delay_months=12)
    assert nearest(TermRule, tree.a_group) == high
    own = TermRule.objects.unscoped().create(org=tree.a, term_years=3, max_delay_months=6)
    assert nearest(TermRule, tree.a_group) == own
    assert nearest(TermRule, tree.b) == high
    assert nearest(TermRule, tree.a, term_years=5) == high
