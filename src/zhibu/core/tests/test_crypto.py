from __future__ import annotations

from django.db import connection

from zhibu.core import crypto
from zhibu.core.cn import date_cn, han_count, number_chinese, year_month_chinese_numerals


def test_personal_data_is_ciphertext_in_the_database(tree):
    member = tree.members.sec_a
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM people_member WHERE id = %s", [member.pk])
        stored = cursor.fetchone()[0]
    assert member.id_number not in stored and stored.startswith("gAAAA")
    assert crypto.decrypt(stored) == member.id_number


def test_digest_is_stable_and_case_insensitive():
    assert crypto.digest("37110219800101123x") == crypto.digest("37110219800101123X ")


def test_masks():
    assert crypto.mask_id_number("37110219800101123X") == "3711**********123X"
    assert crypto.mask_phone("13812345678") == "138****5678"
    assert crypto.mask_phone("0633-8123456") == "0633-8****56"


def test_chinese_formatting():
    from datetime import date

    assert year_month_chinese_numerals(date(2023, 3, 1)) == "二〇二三年三月"
    assert year_month_chinese_numerals(date(2022, 12, 1)) == "二〇二二年十二月"
    assert date_cn(date(2026, 7, 1)) == "2026年7月1日"
    assert [number_chinese(n) for n in (1, 10, 12, 20, 21)] == ["一", "十", "十二", "二十", "二十一"]
    assert han_count("学习 Party 二十大，abc！") == 5
