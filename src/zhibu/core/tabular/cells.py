"""Reading one cell as people type it: typed converters that raise CellError with a Chinese reason.

A reason never repeats the column name or the row number; the caller adds both ("第5行「入党日期」：…").
Values are normalised where that cannot change meaning: NFKC for numbers, codes, dates and headers (full-width
digits and letters become ASCII), stray and full-width spaces trimmed everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese and names neither the row nor the column."""


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[\s\u3000\xa0]+")


def is_blank(value) -> bool:
    return value is None or (
        isinstance(value, str) and not value.translate(_INVISIBLE).strip(" \t\r\n\u3000\xa0")
    )


def text(value) -> str:
    """Free text: trimmed, inner runs of spaces made one; an integral number written without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return _SPACES.sub(" ", str(value).translate(_INVISIBLE)).strip()


def code(value) -> str:
    """A code, number or identifier: NFKC (full-width to ASCII) and no spaces at all."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text(value)))


def header(value) -> str:
    """A column header for matching: NFKC, no spaces, no required-marks or trailing colon, no unit in brackets."""
    raw = code(value).strip("*:")
    return re.sub(r"\([^()]*\)$", "", raw) or raw


_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
FLOAT_ID = (
    "单元格是数字格式，Excel 已把号码改成了科学计数法或舍去了末几位（如 1.10105E+17），号码已无法还原；"
    "请把该列设为文本格式后重新填写号码。"
)


def identifier(value) -> str:
    """A long number kept as text (公民身份号码, bank account): refused if Excel turned it into a float."""
    if isinstance(value, float):
        raise CellError(FLOAT_ID)
    raw = code(value).upper()
    if _SCIENTIFIC.match(raw):
        raise CellError(FLOAT_ID)
    return raw


def integer(value, *, minimum: int | None = 0, suffixes: tuple[str, ...] = ()) -> int | None:
    """A whole number from a number cell or from text ("12", "１２", "1,200", "12分" when "分" is a suffix)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"“{text(value)}”不是整数。")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"“{value:g}”不是整数。")
        number = int(value)
    else:
        raw = code(value).replace(",", "")
        for suffix in suffixes:
            raw = raw.removesuffix(suffix)
        try:
            as_decimal = Decimal(raw)
        except InvalidOperation:
            raise CellError(f"“{text(value)}”不是整数。") from None
        if not as_decimal.is_finite() or as_decimal != as_decimal.to_integral_value():
            raise CellError(f"“{text(value)}”不是整数。")
        number = int(as_decimal)
    if minimum is not None and number < minimum:
        raise CellError(f"“{number}”不能小于 {minimum}。")
    return number


def amount(value, *, places: int = 2) -> Decimal | None:
    """Money: a number cell or text such as "32", "32.00", "¥32.00", "32元", "1,200.50"; not negative."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("不是数字。")
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        raw = code(value).replace(",", "").lstrip("¥￥").removesuffix("元")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise CellError("不是数字。") from None
    if not number.is_finite():
        raise CellError("不是数字。")
    if number < 0:
        raise CellError("金额不能为负数。")
    return number.quantize(Decimal(1).scaleb(-places))


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_EXCEL_EPOCH = date(1899, 12, 30)
# A plain number in a date column is read as Excel's day count only in this range (1927-10-11 to 2119-01-10).
_SERIAL = (10_000, 80_000)
DATE_HINT = "请写成 2022-06-01 的格式"


def a_date(value) -> date | None:
    """A date from a date cell, an Excel day count, or text: 2019-07-01, 2019/7/1, 2019.07.01, 2019年7月1日,
    20190701 (full-width digits and spaces allowed)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL[0] <= value < _SERIAL[1] and float(value).is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(value))
        value = text(value)
    raw = code(value)
    match = _DATE.match(raw) or _COMPACT.match(raw)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError(f"“{text(value)}”不是有效日期，{DATE_HINT}。")


def a_month(value) -> date | None:
    """The first day of a month from a date cell or text: 2022-09, 2022/9, 2022.09, 2022年9月, 202209, or a
    full date (its month)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    raw = code(value)
    match = _MONTH.match(raw) or _COMPACT_MONTH.match(raw)
    if match and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1)
    try:
        day = a_date(value)
    except CellError:
        day = None
    if day is not None:
        return date(day.year, day.month, 1)
    raise CellError(f"“{text(value)}”不是有效月份，请写成 2022-09 或 2022年9月 的格式。")


_YES = {"是", "Y", "YES", "TRUE", "1", "√", "有"}
_NO = {"否", "N", "NO", "FALSE", "0", "×", "无"}


def yes_no(value) -> bool | None:
    if value is True or value is False:
        return value
    if is_blank(value):
        return None
    raw = code(value).upper()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError(f"“{text(value)}”应填“是”或“否”。")


def choice(
    choices: Iterable[tuple[str, str]], *, aliases: dict[str, str] | None = None
) -> Callable[[object], str]:
    """A converter for a coded column: the label (as shown) or the stored value; "" for a blank cell."""
    pairs = list(choices)
    by_label = {code(label): value for value, label in pairs}
    by_label.update({code(k): v for k, v in (aliases or {}).items()})
    values = {value for value, _ in pairs}
    shown = "、".join(str(label) for _, label in pairs)

    def read(value) -> str:
        raw = code(value)
        if not raw:
            return ""
        if raw in by_label:
            return by_label[raw]
        if raw in values:
            return raw
        raise CellError(f"“{text(value)}”不是可选值，应为：{shown}。")

    return read
