"""Chinese formatting helpers: dates in numerals, months, Chinese character counts."""

from __future__ import annotations

import re
from datetime import date

_DIGITS = "〇一二三四五六七八九"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def date_cn(value: date) -> str:
    """2023年3月1日 (GB/T 9704 成文日期: Arabic numerals, no padding)."""
    return f"{value.year}年{value.month}月{value.day}日"


def year_month_chinese_numerals(value: date) -> str:
    """二〇二三年三月, the way the seed report dates itself."""
    year = "".join(_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{number_chinese(value.month)}月"


def number_chinese(n: int) -> str:
    """1..99 in Chinese numerals (十二, 二十一)."""
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return _DIGITS[n] if n else "〇"
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def han_count(text: str) -> int:
    """How many Chinese characters a text holds (what "近20000字" counts)."""
    return len(_HAN.findall(text or ""))


def month_label(year: int, month: int) -> str:
    return f"{year}年{month}月"
