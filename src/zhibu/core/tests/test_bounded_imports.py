"""Every import page (roster, study points, dues payments, work records) refuses crafted files through the same
checks, with a Chinese message and nothing written, and reads the file before any write transaction begins."""

import io

import pytest
from django.db import connection
from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.core.tabular import schema as tabular_schema
from zhibu.dues.models import DuesPayment
from zhibu.people.models import Member
from zhibu.study.models import StudyPoints
from zhibu.work.models import Service

from .test_tabular import blank_rows_bomb, string_bomb

PAGES = {
    "roster": lambda tree: reverse("people:import", args=[tree.a.code]),
    "study": lambda tree: reverse("study:import", args=[tree.a.code]),
    "dues": lambda tree: reverse("dues:import", args=[tree.a.code]),
    "work": lambda tree: reverse("work:import", args=[tree.a.code, "service"]),
}


def _counts():
    return (
        Member.objects.unscoped().count(),
        StudyPoints.objects.unscoped().count(),
        DuesPayment.objects.unscoped().count(),
        Service.objects.unscoped().count(),
        AuditEntry.objects.count(),
    )


def _post(client, url, data: bytes, name: str = "bomb.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(url, {"file": upload})


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_huge_shared_string_is_refused_everywhere(tree, login, page):
    client = login(tree.users.sec_a)
    before = _counts()
    response = _post(client, PAGES[page](tree), string_bomb())
    assert response.status_code == 400
    assert "疑似压缩炸弹，已拒绝" in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize("page", sorted(PAGES))
def test_millions_of_blank_rows_are_refused_everywhere(tree, login, page, settings):
    settings.IMPORT_MAX_ROWS = 2000
    client = login(tree.users.sec_a)
    before = _counts()
    response = _post(client, PAGES[page](tree), blank_rows_bomb())
    assert response.status_code == 400
    assert "文件超过 2000 行（空白行也计算在内）" in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize("page", sorted(PAGES))
def test_file_size_limit_holds_everywhere(tree, login, page, settings):
    settings.IMPORT_MAX_BYTES = 2048
    client = login(tree.users.sec_a)
    before = _counts()
    response = _post(client, PAGES[page](tree), "姓名,日期\n".encode() + b"x" * 4096, name="big.csv")
    assert response.status_code == 400
    assert "文件过大：导入文件不能超过 2 KB" in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_file_is_read_before_any_transaction_begins(tree, login, page, monkeypatch):
    """SQLite takes its write lock at BEGIN: a file being parsed must not hold it."""
    client = login(tree.users.sec_a)
    outside = len(connection.atomic_blocks)  # the test's own transaction
    depths = []
    original = tabular_schema.read_sheet

    def spy(*args, **kwargs):
        depths.append(len(connection.atomic_blocks))
        return original(*args, **kwargs)

    monkeypatch.setattr(tabular_schema, "read_sheet", spy)
    _post(client, PAGES[page](tree), "姓名,日期\n甲,2022-01-01\n".encode(), name="a.csv")
    assert depths == [outside]
