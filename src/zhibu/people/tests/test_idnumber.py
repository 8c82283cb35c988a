from datetime import date

import pytest

from zhibu.people import idnumber


def _with_x() -> str:
    for sequence in range(1, 1000):
        value = idnumber.make("371102", date(1986, 4, 12), sequence)
        if value.endswith("X"):
            return value
    raise AssertionError("no X check character found")


def test_valid_number_gives_birth_date_and_sex():
    parsed = idnumber.parse(idnumber.make("371102", date(1985, 3, 7), 123))
    assert parsed.birth_date == date(1985, 3, 7)
    assert parsed.gender == "1"  # 17th digit 3 is odd: male
    assert idnumber.parse(idnumber.make("371102", date(1985, 3, 7), 124)).gender == "2"


def test_known_checksum():
    # ISO 7064 MOD 11-2 worked by hand: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 on 11010519491231002
    assert idnumber.check_char("11010519491231002") == "X"


def test_lower_case_x_is_accepted_and_upper_cased():
    value = _with_x()
    assert idnumber.parse(value.lower()).value == value
    assert idnumber.parse(f"  {value.lower()} ").value.endswith("X")


def test_bad_checksum_is_refused():
    value = idnumber.make("371102", date(1985, 3, 7), 123)
    wrong = value[:17] + ("0" if value[17] != "0" else "1")
    with pytest.raises(idnumber.IdNumberError, match="^校验位不正确。$"):
        idnumber.parse(wrong)


def test_impossible_birth_date_is_refused():
    first17 = "371102" + "19850230" + "123"  # 30 February
    with pytest.raises(idnumber.IdNumberError, match="出生日期不存在"):
        idnumber.parse(first17 + idnumber.check_char(first17))


def test_future_birth_date_is_refused():
    first17 = "371102" + "20990101" + "123"
    with pytest.raises(idnumber.IdNumberError, match="不在合理范围内"):
        idnumber.parse(first17 + idnumber.check_char(first17))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "不能为空。"),
        ("37110219850307123", "应为 18 位（现为 17 位）。"),
        ("3711021985030712A5", "前 17 位应为数字，最后一位为数字或 X。"),
        ("37110219850307123Y", "前 17 位应为数字，最后一位为数字或 X。"),
    ],
)
def test_malformed_numbers(raw, message):
    with pytest.raises(idnumber.IdNumberError) as exc:
        idnumber.parse(raw)
    assert str(exc.value) == message
