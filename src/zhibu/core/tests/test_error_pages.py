"""Error pages are Chinese, in the site's layout, and say the same for missing and out-of-scope things."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

import zhibu


def test_not_found_is_chinese_with_the_menu(tree, client):
    client.force_login(tree.users.sec_a)
    response = client.get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "回到首页" in page and 'class="nav"' in page
    assert "Not Found" not in page


def test_out_of_scope_reads_exactly_like_missing(tree, client):
    client.force_login(tree.users.sec_a)
    missing = client.get(reverse("orgs:dashboard", args=["no-such-org"]))
    hidden = client.get(reverse("orgs:dashboard", args=[tree.b.code]))
    assert missing.status_code == hidden.status_code == 404

    def strip(response) -> str:
        return re.sub(
            r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", response.content.decode()
        )

    assert strip(missing) == strip(hidden)


def test_csrf_failure_explains_in_chinese(tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tree.users.sec_a)
    response = client.post(reverse("accounts:logout"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期或来自其他网站" in page and "Forbidden" not in page


@pytest.mark.urls("zhibu.core.tests.failing_urls")
@override_settings(DEBUG=False)
def test_server_error_page_is_chinese(tree):
    client = Client(raise_request_exception=False)
    client.force_login(tree.users.sec_a)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "系统出错了" in response.content.decode()


def test_templates_have_no_inline_styles_or_scripts():
    """The Content-Security-Policy allows styles and scripts from our own files only: inline ones are dropped
    by the browser, so a page that relies on them breaks silently."""
    offenders = []
    for path in Path(zhibu.__file__).parent.glob("*/templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r'\sstyle="|<style[\s>]|<script>(?!\s*</script>)|\son[a-z]+="|javascript:', text):
            offenders.append(str(path.relative_to(Path(zhibu.__file__).parent)))
    assert offenders == []
