"""Code tables (GB/T 3304 民族, GB/T 4658 学历 simplified, 性别 GB/T 2261.1) loaded from data files."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.db import models

_DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def ethnicities() -> list[tuple[str, str]]:
    rows = []
    for line in (_DATA / "ethnicity_gbt3304.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t")
            rows.append((code, name))
    return rows


@lru_cache(maxsize=1)
def ethnicity_codes() -> frozenset[str]:
    return frozenset(code for code, _ in ethnicities())


def ethnicity_name(code: str) -> str:
    return dict(ethnicities()).get(code, "")


def ethnicity_code(name_or_code: str) -> str | None:
    value = (name_or_code or "").strip()
    table = dict(ethnicities())
    if value in table:
        return value
    if value.isdigit() and len(value) == 1 and f"0{value}" in table:
        return f"0{value}"
    for code, name in table.items():
        if value in (name, name.removesuffix("族")):
            return code
    return None


class Gender(models.TextChoices):
    MALE = "1", "男"
    FEMALE = "2", "女"


class Education(models.TextChoices):
    POSTGRADUATE = "10", "研究生"
    BACHELOR = "20", "大学本科"
    COLLEGE = "30", "大学专科"
    SECONDARY = "40", "中专"
    HIGH_SCHOOL = "60", "高中"
    JUNIOR = "70", "初中及以下"
