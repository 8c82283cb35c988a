"""公民身份号码 (GB 11643-1999): checksum, birth date and sex."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


class IdNumberError(ValueError):
    pass


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: date
    gender: str  # "1" male, "2" female (GB/T 2261.1)


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse(raw: str) -> IdNumber:
    """Check a number and return it upper-cased with its birth date and sex.

    Messages do not repeat the field's name: a form shows them beside the field, an import report prefixes
    the column header ("第3行 公民身份号码：校验位不正确").
    """
    value = (raw or "").strip().upper()
    if not value:
        raise IdNumberError("不能为空。")
    if len(value) != 18:
        raise IdNumberError(f"应为 18 位（现为 {len(value)} 位）。")
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise IdNumberError("前 17 位应为数字，最后一位为数字或 X。")
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise IdNumberError("其中的出生日期不存在。") from exc
    if birth.year < 1900 or birth > date.today():
        raise IdNumberError("其中的出生日期不在合理范围内。")
    if check_char(value[:17]) != value[17]:
        raise IdNumberError("校验位不正确。")
    return IdNumber(value=value, birth_date=birth, gender="1" if int(value[16]) % 2 else "2")


def make(area: str, birth: date, sequence: int) -> str:
    """Build a valid number (for demo data and tests): area code, birth date, 3-digit sequence."""
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
