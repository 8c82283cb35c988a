import pytest

from zhibu.orgs import scoping
from zhibu.orgs.roles import Action
from zhibu.people import selectors
from zhibu.people.models import Status
from zhibu.testing import factories as f


def _names(members) -> list[str]:
    return sorted(m.name for m in members)


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("zwh", ["张文慧"]),
        ("ZWH", ["张文慧"]),
        ("z", ["张文慧"]),
        ("wenhui", ["张文慧"]),
        ("zhangwenhui", ["张文慧"]),
        ("lhx", ["李慧欣"]),
        ("hui", ["张文慧", "李慧欣"]),
        ("慧", ["张文慧", "李慧欣"]),
        ("陶俊颖", ["陶俊颖"]),
        ("xyz", []),
    ],
)
def test_search_by_name_pinyin_and_initials(tree, query, names):
    assert _names(selectors.member_list(tree.users.sec_a, tree.a, q=query)) == names


def test_search_by_exact_id_number(tree):
    number = tree.members.a3.id_number
    assert _names(selectors.member_list(tree.users.sec_a, tree.a, q=number.lower())) == ["陶俊颖"]


def test_committee_sees_its_subtree(tree):
    assert _names(selectors.member_list(tree.users.district, tree.district)) == [
        "张文慧",
        "李慧欣",
        "王明",
        "赵乙一",
        "陶俊颖",
    ]


def test_branch_list_and_group_list(tree):
    assert _names(selectors.member_list(tree.users.sec_a, tree.a)) == ["张文慧", "李慧欣", "王明", "陶俊颖"]
    assert _names(selectors.member_list(tree.users.sec_a, tree.a_group)) == ["李慧欣", "陶俊颖"]


def test_filters(tree):
    a = tree.a
    assert _names(selectors.member_list(tree.users.sec_a, a, status=Status.PROBATIONARY)) == ["王明"]
    assert _names(selectors.member_list(tree.users.sec_a, a, group=tree.a_group)) == ["李慧欣", "陶俊颖"]
    f.make_member(a, "钱老师", post="教师")
    assert _names(selectors.member_list(tree.users.sec_a, a, post="教师")) == ["钱老师"]
    assert selectors.posts_in(tree.users.sec_a, a) == ["教师"]


def test_secretary_cannot_list_sibling_branch(tree):
    with pytest.raises(scoping.NotVisible):
        selectors.member_list(tree.users.sec_a, tree.b)


def test_plain_member_sees_only_own_record(tree):
    assert [m.pk for m in selectors.visible(tree.users.member_a)] == [tree.members.member_a.pk]
    assert selectors.member_get(tree.users.member_a, tree.members.member_a.pk).name == "李慧欣"
    with pytest.raises(scoping.NotVisible):
        selectors.member_get(tree.users.member_a, tree.members.a3.pk)
    with pytest.raises(scoping.NotVisible):
        selectors.member_list(tree.users.member_a, tree.a)
    assert selectors.own_member(tree.users.member_a).pk == tree.members.member_a.pk
    assert selectors.own_member(tree.users.district) is None


def test_other_district_is_invisible(tree):
    with pytest.raises(scoping.NotVisible):
        selectors.member_get(tree.users.district, tree.members.other1.pk)


def test_status_counts(tree):
    assert selectors.status_counts(tree.users.sec_a, tree.a) == {
        "applicant": 0,
        "activist": 0,
        "candidate": 0,
        "probationary": 1,
        "full": 3,
    }
    assert selectors.status_counts(tree.users.district, tree.district)["full"] == 4
    with pytest.raises(scoping.NotVisible):
        selectors.status_counts(tree.users.member_a, tree.a)


def test_became_is_one_query(tree, django_assert_num_queries):
    actor = tree.users.district
    scoping.can(actor, Action.VIEW, tree.district)  # load the actor's roles first
    with django_assert_num_queries(1):
        assert selectors.became(actor, tree.district, Status.PROBATIONARY, 2022) == 1
    with django_assert_num_queries(1):
        assert selectors.became(actor, tree.district, Status.PROBATIONARY, 2015) == 4  # other1 is outside
    assert selectors.became(tree.users.sec_a, tree.a, Status.PROBATIONARY, 2015) == 3
    assert selectors.became(actor, tree.district, Status.FULL, 2022) == 0
