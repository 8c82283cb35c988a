"""The audit reads as Chinese sentences: every verb the code writes has a label, details are masked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import zhibu
from zhibu.audit import services as audit
from zhibu.audit import wording

_VERB = re.compile(r"""verb=f?["']([a-z_.{}]+)["']""")


def written_verbs() -> set[str]:
    root = Path(zhibu.__file__).parent
    found = set()
    for path in root.glob("*/**/*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        for verb in _VERB.findall(path.read_text(encoding="utf-8")):
            found.add(verb.replace("{kind.slug}", "publicity"))
    return found


def test_every_verb_the_code_writes_has_a_chinese_label():
    verbs = written_verbs()
    assert len(verbs) > 60
    assert sorted(v for v in verbs if not wording.has_label(v)) == []


def test_labels_compose_from_object_and_action():
    assert wording.label("member.create") == "新增党员"
    assert wording.label("work.publicity.update") == "修改工作纪实"
    assert wording.label("login.succeeded") == "登录成功"


@pytest.mark.django_db
def test_the_page_shows_sentences_with_masked_values(tree, client):
    member = tree.members.a3
    audit.log(
        actor=tree.users.sec_a,
        verb="member.update",
        target=member,
        detail={"phone": ["13812345678", "13987654321"], "name": ["陶俊颖", "陶俊英"]},
    )
    client.force_login(tree.users.auditor)
    page = client.get(reverse("audit:index")).content.decode()
    assert "甲书记修改党员「陶俊颖」" in page
    assert "联系电话：138****5678 → 139****4321" in page
    assert "姓名：陶俊颖 → 陶俊英" in page
    rows = page.split("audit-list")[1]
    assert "13812345678" not in page and "member.update" not in rows


@pytest.mark.django_db
def test_filter_by_verb_from_the_list(tree, client):
    audit.log(actor=tree.users.sec_a, verb="member.update", target=tree.members.a3, detail={})
    audit.log(actor=tree.users.sec_a, verb="activity.record", target=tree.members.a3, org_path=tree.a.path)
    client.force_login(tree.users.auditor)
    page = client.get(reverse("audit:index"), {"verb": "activity.record"}).content.decode()
    assert '<option value="activity.record" selected>登记组织生活记录</option>' in page
    assert "登记组织生活记录" in page and "修改党员" not in page.split("audit-list")[1]


def _sentences(client, auditor) -> list[str]:
    client.force_login(auditor)
    page = client.get(reverse("audit:index")).content.decode()
    return re.findall(r'<div class="card audit-entry">\s*<p class="muted">[^<]*</p>\s*<p>([^<]*)</p>', page)


@pytest.mark.django_db
def test_a_login_names_the_person_once(tree, client):
    from django.test import Client

    from zhibu.testing.factories import PASSWORD

    Client().post(reverse("accounts:login"), {"username": "sec_a", "password": PASSWORD})
    Client().post(reverse("accounts:login"), {"username": "sec_a", "password": "wrong"})
    Client().post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"})
    assert _sentences(client, tree.users.auditor)[:3] == [
        "未知账号登录失败",
        "甲书记登录失败",
        "甲书记登录成功",
    ]


@pytest.mark.django_db
def test_acts_on_ones_own_account_name_the_person_once_and_acts_on_another_name_both(tree, client):
    audit.log(actor=tree.users.sec_a, verb="password.change", target=tree.users.sec_a)
    audit.log(actor=tree.users.sysadmin, verb="password.reset", target=tree.users.sec_a)
    assert _sentences(client, tree.users.auditor)[:2] == ["系统管理员重置密码「甲书记」", "甲书记修改密码"]
