"""The system actor acts in commands and background work only; a web request can never borrow it."""

from __future__ import annotations

import threading

import pytest
from django.test import RequestFactory

from zhibu.core import system
from zhibu.core.middleware import NoSystemWorkMiddleware
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action
from zhibu.people.models import Member


def _in_a_fresh_thread(work):
    """Run `work` in a new thread (a server's request thread starts with no system work)."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = work()
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return outcome


def test_the_test_session_is_system_work(tree):
    assert system.allowed()
    assert scoping.prefixes(scoping.SYSTEM, Action.VIEW) == [""]
    assert (
        Member.objects.visible_to(scoping.SYSTEM, Action.VIEW).count()
        == Member.objects.unscoped().count()
        == 6
    )


def test_a_request_leaves_system_work_for_its_duration(tree):
    seen = {}

    def view(request):
        seen["allowed"] = system.allowed()
        with pytest.raises(scoping.SystemActorRefused):
            scoping.prefixes(scoping.SYSTEM, Action.VIEW)
        with pytest.raises(scoping.SystemActorRefused):
            list(Member.objects.visible_to(scoping.SYSTEM, Action.VIEW))
        return "answered"

    assert NoSystemWorkMiddleware(view)(RequestFactory().get("/")) == "answered"
    assert seen == {"allowed": False}
    assert system.allowed()  # back to the session's system work afterwards


def test_a_new_thread_is_not_system_work_until_it_says_so(tree):
    refused = _in_a_fresh_thread(lambda: scoping.prefixes(scoping.SYSTEM, Action.VIEW))
    assert isinstance(refused["error"], scoping.SystemActorRefused)
    assert "网页请求" in str(refused["error"])

    def background():
        with system.system_work():
            return scoping.prefixes(scoping.SYSTEM, Action.VIEW)

    assert _in_a_fresh_thread(background) == {"value": [""]}


def test_a_figure_over_rows_the_viewer_cannot_read_borrows_system_work_only_for_its_block(tree):
    def figure():
        with scoping.system_figures():
            inside = scoping.prefixes(scoping.SYSTEM, Action.VIEW)
        try:
            scoping.prefixes(scoping.SYSTEM, Action.VIEW)
        except scoping.SystemActorRefused:
            return inside, "refused after"
        return inside, "allowed after"

    assert _in_a_fresh_thread(figure) == {"value": ([""], "refused after")}


def test_home_org_and_actions_of_the_system_are_refused_in_a_request(tree):
    def view(request):
        for ask in (
            lambda: scoping.home_org(scoping.SYSTEM),
            lambda: scoping.actions_at(scoping.SYSTEM, tree.a),
            lambda: scoping.can(scoping.SYSTEM, Action.VIEW, tree.a),
        ):
            with pytest.raises(scoping.SystemActorRefused):
                ask()
        return "answered"

    assert NoSystemWorkMiddleware(view)(RequestFactory().get("/")) == "answered"


def test_the_middleware_comes_first():
    from django.conf import settings

    assert settings.MIDDLEWARE[0] == "zhibu.core.middleware.NoSystemWorkMiddleware"


# ---------------------------------------------------------------------------------------------- one's own records


def test_own_member_is_the_record_linked_to_the_account(tree):
    user = tree.users.member_a
    scoping.forget(user)
    assert scoping.own_member(user) == tree.members.member_a
    assert scoping.is_own(user, tree.members.member_a)
    assert not scoping.is_own(user, tree.members.b1)
    assert list(Member.objects.own(user)) == [tree.members.member_a]


def test_own_member_is_read_once_per_actor(tree, django_assert_num_queries):
    user = tree.users.member_a
    scoping.forget(user)
    with django_assert_num_queries(1):
        scoping.own_member(user)
        scoping.own_member(user)


def test_nobody_and_the_system_own_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    for actor in (AnonymousUser(), scoping.SYSTEM, tree.users.outsider):
        assert scoping.own_member(actor) is None
        assert list(Member.objects.own(actor)) == []
        assert not scoping.is_own(actor, tree.members.member_a)


def test_an_inactive_account_owns_nothing(tree):
    user = tree.users.member_a
    user.is_active = False
    assert scoping.own_member(user) is None
    assert list(Member.objects.own(user)) == []


def test_a_missing_actor_is_refused_not_widened(tree):
    for ask in (
        lambda: scoping.own_member(None),
        lambda: scoping.own_q(None),
        lambda: scoping.is_own(None, tree.members.member_a),
        lambda: list(Member.objects.own(None)),
    ):
        with pytest.raises(scoping.MissingActor):
            ask()
