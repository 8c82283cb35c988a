"""Roster benchmarks: a 1,000-row .xlsx imported into a fresh database through the import service."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import date, timedelta

from openpyxl import Workbook

from zhibu.testing.benchdb import fresh_database, postgres_available

from . import idnumber
from .columns import COLUMNS

ROWS = 1000
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
_GIVEN = "文慧欣俊颖明华丽娟敏静秀英霞芳燕玲红梅晓建国志强军平刚勇杰涛斌超海波宇鹏辉"


def roster_file(rows: int = ROWS) -> bytes:
    """A roster of `rows` people with valid, distinct ID numbers and consistent milestone dates."""
    headers = [column.header for column in COLUMNS]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("党员名册")
    sheet.append(headers)
    for n in range(rows):
        birth = date(1965, 1, 1) + timedelta(days=(n * 37) % 12000)
        name = _SURNAMES[n % len(_SURNAMES)] + _GIVEN[(n * 7) % len(_GIVEN)] + _GIVEN[(n * 13) % len(_GIVEN)]
        joined = date(2005, 7, 1) + timedelta(days=(n * 11) % 5000)
        full = n % 5 != 0
        cells = {
            "姓名": name,
            "公民身份号码": idnumber.make("371102", birth, n % 1000),
            "民族": "汉族",
            "学历": "大学本科",
            "人员类别": "正式党员" if full else "预备党员",
            "确定积极分子日期": joined - timedelta(days=500),
            "确定发展对象日期": joined - timedelta(days=120),
            "入党日期": joined,
            "转正日期": joined + timedelta(days=366) if full else None,
            "工作岗位": "教师" if n % 3 else "保育员",
            "联系电话": f"139{n:08d}",
            "家庭住址": f"山东省日照市东港区某街道{n % 90 + 1}号",
        }
        if not full:  # a 预备党员 who joined within the last year
            recent = date.today() - timedelta(days=300 - n % 200)
            cells["入党日期"] = recent
            cells["确定积极分子日期"] = recent - timedelta(days=500)
            cells["确定发展对象日期"] = recent - timedelta(days=120)
        sheet.append([cells.get(header) for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import_seconds(kind: str, content: bytes) -> float:
    from zhibu.orgs import scoping
    from zhibu.orgs.models import Organisation, OrgType

    from .importing import member_import

    with fresh_database(kind):
        root = Organisation.add_root(
            code="bench-district", name="基准测试党委", type=OrgType.objects.get(code="committee")
        )
        branch = root.add_child(
            code="bench-branch", name="基准测试党支部", type=OrgType.objects.get(code="branch")
        )
        branch = Organisation.objects.select_related("type").get(pk=branch.pk)
        started = time.perf_counter()
        result = member_import(
            actor=scoping.SYSTEM, branch=branch, file=io.BytesIO(content), filename="bench.xlsx"
        )
        elapsed = time.perf_counter() - started
        if result.created != ROWS:
            raise RuntimeError(f"expected {ROWS} new members, got {result.summary()}")
        return elapsed


def run(full: bool) -> Iterator[tuple[str, float, str]]:
    content = roster_file()
    yield "roster_import_1000_sqlite", _import_seconds("sqlite", content), "s"
    if postgres_available():
        yield "roster_import_1000_postgresql", _import_seconds("postgresql", content), "s"
