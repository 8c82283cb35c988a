from datetime import date

import pytest
from django.core.exceptions import ValidationError

from zhibu.core import months


def message(text, **kwargs):
    with pytest.raises(ValidationError) as exc:
        months.parse(text, **kwargs)
    return exc.value.message_dict


def test_parse_reads_year_and_month_within_2000_to_2100():
    assert months.parse("2022-09") == date(2022, 9, 1)
    assert months.parse(" 2000-1 ") == date(2000, 1, 1)
    assert months.parse("2100-12") == date(2100, 12, 1)
    assert months.parse("", default=date(2022, 1, 1)) == date(2022, 1, 1)


def test_parse_says_what_is_wrong_in_chinese():
    assert message("2022/09") == {"month": ["月份格式应为 YYYY-MM（如 2022-03），收到：2022/09"]}
    assert message("2022-13") == {"month": ["月份超出范围：2022-13（月份应为 1–12）。"]}
    assert message("1999-12", field="from") == {"from": ["年份超出范围：1999-12（应在 2000–2100 年之间）。"]}
    assert message("2101-01") == {"month": ["年份超出范围：2101-01（应在 2000–2100 年之间）。"]}
    assert message(None) == {"month": ["请填写月份（格式 YYYY-MM，如 2022-03）。"]}


def test_month_arithmetic():
    assert months.add(date(2022, 11, 15), 2) == date(2023, 1, 1)
    assert months.add(date(2022, 1, 1), -1) == date(2021, 12, 1)
    assert months.shift(date(2022, 8, 31), 1) == date(2022, 9, 30)
    assert months.shift(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert months.last_day(date(2022, 2, 10)) == date(2022, 2, 28)
    assert months.between(date(2022, 8, 31), date(2022, 12, 1)) == 4
    assert months.quarter_months(date(2022, 5, 1)) == [date(2022, 4, 1), date(2022, 5, 1), date(2022, 6, 1)]
