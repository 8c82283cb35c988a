from django.urls import reverse

from zhibu.core.context_processors import nav_entries


def test_every_navigation_entry_resolves():
    for entry in nav_entries():
        assert reverse(entry["url"]).startswith("/")


def test_menu_shows_only_what_the_user_may_use(tree, client):
    client.force_login(tree.users.member_a)
    labels = [
        item["label"]
        for item in client.get(reverse("orgs:dashboard", args=[tree.a.code])).context["nav_items"]
    ]
    assert "组织" not in labels  # a plain member has no VIEW anywhere
    client.force_login(tree.users.district)
    labels = [
        item["label"]
        for item in client.get(reverse("orgs:dashboard", args=[tree.a.code])).context["nav_items"]
    ]
    assert "组织" in labels


def test_my_own_pages_are_offered_only_to_users_on_a_roster(tree, client):
    client.force_login(tree.users.district)
    labels = [
        item["label"]
        for item in client.get(reverse("orgs:dashboard", args=[tree.a.code])).context["nav_items"]
    ]
    assert "我的信息" not in labels and "我的活动" not in labels
    client.force_login(tree.users.member_a)
    labels = [
        item["label"]
        for item in client.get(reverse("orgs:dashboard", args=[tree.a.code])).context["nav_items"]
    ]
    assert "我的信息" in labels and "我的活动" in labels
