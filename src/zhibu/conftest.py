"""Shared fixtures: a small tree with named personas that every app's tests use.

district-edu (党委)                 district  — 上级管理员
├── branch-a (党支部)               sec_a     — 书记;  member_a — 党员
│   └── branch-a-g1 (党小组)
└── branch-b (党支部)               sec_b     — 书记
other-district (党委)
└── other-branch (党支部)
outsider: no role anywhere;  auditor — 审计管理员 of district-edu
"""

from __future__ import annotations

import shutil
import tempfile
from types import SimpleNamespace

import pytest

from zhibu.core import system
from zhibu.orgs.roles import Role
from zhibu.people.models import PartyPost
from zhibu.testing import factories as f
from zhibu.testing.browser import (  # noqa: F401
    _close_browser_contexts,
    chromium,
    desktop,
    phone,
    plain_http_cookies,
)


def pytest_configure(config):
    system.enter_for_process()  # the test session is system work; requests through the client leave it


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tempfile.mkdtemp(prefix="zhibu-media-")
    settings.MEDIA_ROOT = media
    yield
    shutil.rmtree(media, ignore_errors=True)


@pytest.fixture(autouse=True)
def _seeded_for_transactional_tests(request):
    """A transactional test (browser tests with the live server) starts from a flushed database: put the data
    migrations' seed rows back first (see zhibu.testing.seeds)."""
    marker = request.node.get_closest_marker("django_db")
    if (
        "live_server" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or (marker is not None and marker.kwargs.get("transaction"))
    ):
        from zhibu.testing.seeds import ensure_seeded

        request.getfixturevalue("transactional_db")
        ensure_seeded()


@pytest.fixture
def tree(db):
    district = f.make_org("district-edu", "中共某区教育和体育局委员会", type_code="committee")
    a = f.make_org("branch-a", "甲幼儿园党支部", parent=district)
    a_group = f.make_org("branch-a-g1", "甲幼儿园第一党小组", parent=a, type_code="group")
    b = f.make_org("branch-b", "乙小学党支部", parent=district)
    other = f.make_org("other-district", "中共另一区委员会", type_code="committee")
    other_branch = f.make_org("other-branch", "另一区丙中学党支部", parent=other)

    users = SimpleNamespace(
        district=f.UserFactory(username="district", display_name="区党委管理员"),
        sec_a=f.UserFactory(username="sec_a", display_name="甲书记", phone="13800000001"),
        member_a=f.UserFactory(username="member_a", display_name="甲党员"),
        sec_b=f.UserFactory(username="sec_b", display_name="乙书记"),
        outsider=f.UserFactory(username="outsider", display_name="局外人"),
        auditor=f.UserFactory(username="auditor", display_name="审计员"),
        sysadmin=f.UserFactory(username="sysadmin", display_name="系统管理员"),
        secadmin=f.UserFactory(username="secadmin", display_name="安全管理员"),
    )
    f.grant(users.district, district, Role.SUPERIOR)
    f.grant(users.sec_a, a, Role.SECRETARY)
    f.grant(users.member_a, a, Role.MEMBER)
    f.grant(users.sec_b, b, Role.SECRETARY)
    f.grant(users.auditor, district, Role.AUDITOR)
    f.grant(users.sysadmin, district, Role.SYSADMIN)
    f.grant(users.secadmin, district, Role.SECADMIN)

    members = SimpleNamespace(
        sec_a=f.make_member(a, "张文慧", party_post=PartyPost.SECRETARY, user=users.sec_a),
        member_a=f.make_member(
            a, "李慧欣", party_post=PartyPost.ORGANISER, user=users.member_a, party_group=a_group
        ),
        a3=f.make_member(a, "陶俊颖", party_post=PartyPost.PROPAGANDA, party_group=a_group),
        a4=f.make_member(a, "王明", status="probationary", joined=__import__("datetime").date(2022, 6, 1)),
        b1=f.make_member(b, "赵乙一", party_post=PartyPost.SECRETARY, user=users.sec_b),
        other1=f.make_member(other_branch, "孙丙"),
    )
    return SimpleNamespace(
        district=district,
        a=a,
        a_group=a_group,
        b=b,
        other=other,
        other_branch=other_branch,
        users=users,
        members=members,
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def demo_data(db):
    """The whole demo, built in the test database (slow-ish: use for end-to-end checks)."""
    from zhibu import demo

    return demo.build()
