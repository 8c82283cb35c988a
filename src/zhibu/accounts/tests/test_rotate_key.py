"""Data-key rotation: the old key stays readable until `zhibu rotate-key` has re-encrypted everything."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhibu.accounts.models import User
from zhibu.audit.models import AuditEntry
from zhibu.people.models import Member

NEW = "a-new-data-key-of-enough-length-0123456789"


def test_rotate_key_re_encrypts_with_the_new_key(tree, settings):
    old = settings.DATA_KEY
    number = Member._base_manager.get(pk=tree.members.a3.pk).id_number
    settings.DATA_KEY, settings.DATA_KEYS_OLD = NEW, [old]
    assert Member._base_manager.get(pk=tree.members.a3.pk).id_number == number  # the old key still reads
    out = io.StringIO()
    call_command("rotate_key", stdout=out)
    assert out.getvalue().startswith("已用新密钥重新加密 ")
    settings.DATA_KEYS_OLD = []  # the old key is gone
    assert Member._base_manager.get(pk=tree.members.a3.pk).id_number == number
    assert User.objects.get(pk=tree.users.sec_a.pk).phone == "13800000001"
    from zhibu.core.crypto import digest

    assert User.objects.filter(phone_digest=digest("13800000001")).get() == tree.users.sec_a
    assert AuditEntry.objects.filter(verb="key.rotate").count() == 1


def test_without_the_old_key_nothing_decrypts(tree, settings):
    settings.DATA_KEY, settings.DATA_KEYS_OLD = NEW, []
    with pytest.raises(ValueError, match="数据密钥不匹配"):
        Member._base_manager.get(pk=tree.members.a3.pk).id_number  # noqa: B018


def test_rotate_key_without_an_old_key_says_so(tree):
    with pytest.raises(CommandError, match="没有需要轮换的旧密钥"):
        call_command("rotate_key")
