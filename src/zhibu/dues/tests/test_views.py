import io
from datetime import date
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zhibu.audit.models import AuditEntry
from zhibu.dues.models import DuesBase, DuesPayment
from zhibu.dues.tests.factories import give_base, pay


def test_roll_page_on_a_phone_shows_totals_and_warnings(tree, login):
    give_base(tree.members.a3, date(2022, 1, 1), "10000")
    pay(tree.members.a3, date(2022, 8, 1), "150.00")
    response = login(tree.users.sec_a).get(reverse("dues:roll", args=[tree.a.code]) + "?month=2022-12")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2022年12月党费收缴表" in html
    assert "连续4个月未交 · 提醒" in html
    assert 'data-label="应缴"' in html
    assert "style=" not in html


def test_roll_page_refuses_a_bad_month(tree, login):
    response = login(tree.users.sec_a).get(reverse("dues:roll", args=[tree.a.code]) + "?month=2022-13")
    assert response.status_code == 400
    assert "月份超出范围：2022-13（月份应为 1–12）。" in response.content.decode()


def test_negative_base_on_the_page_is_refused(tree, login):
    response = login(tree.users.sec_a).post(
        reverse("dues:base_set", args=[tree.members.member_a.pk]),
        {
            "base-effective_month": "2022-01",
            "base-income_type": "salaried",
            "base-base": "-3200",
            "base-period": "monthly",
        },
    )
    assert response.status_code == 400
    assert "党费计算基数不能为负数" in response.content.decode()
    assert DuesBase.objects.unscoped().count() == 0


def test_second_payment_on_the_page_is_refused(tree, login):
    m = tree.members.member_a
    give_base(m)
    client = login(tree.users.sec_a)
    url = reverse("dues:payment_record", args=[m.pk])
    data = {"payment-month": "2022-09", "payment-paid_on": "2022-09-05", "payment-period": "monthly"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "payment-amount": "50"})
    assert again.status_code == 400
    assert "不能重复交纳" in again.content.decode()
    assert list(DuesPayment.objects.unscoped().values_list("amount", flat=True)) == [Decimal("32.00")]


def test_member_sees_own_dues_only(tree, login):
    client = login(tree.users.member_a)
    assert client.get(reverse("dues:member", args=[tree.members.member_a.pk])).status_code == 200
    assert client.get(reverse("dues:member", args=[tree.members.a3.pk])).status_code == 404
    assert client.post(reverse("dues:payment_record", args=[tree.members.member_a.pk]), {}).status_code == 404


def test_export_roll_as_xlsx_is_audited(tree, login):
    give_base(tree.members.member_a, date(2022, 1, 1), "5400")
    pay(tree.members.member_a, date(2022, 12, 1), "81.00")
    response = login(tree.users.sec_a).get(reverse("dues:roll_export", args=[tree.a.code]) + "?month=2022-12")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("序号", "党支部", "姓名", "人员类别")
    li = next(r for r in rows if r[2] == "李慧欣")
    assert (li[6], li[7], li[8]) == (81, 81, "2022-12-10")
    assert rows[-1][0] == "合计"
    entry = AuditEntry.objects.get(verb="dues.roll_export")
    assert entry.detail == {"month": "2022-12", "rows": 4}


def _book(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["公民身份号码", "姓名", "所属月份", "实缴金额", "交纳日期", "说明"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "dues.xlsx"
    return buffer


def test_import_is_all_or_nothing_with_row_errors(tree, login):
    m = tree.members
    give_base(m.member_a)
    give_base(m.a3)
    pay(m.a3, date(2022, 9, 1))
    client = login(tree.users.sec_a)
    url = reverse("dues:import", args=[tree.a.code])
    bad = _book(
        [
            [m.member_a.id_number, "李慧欣", "2022-09", "32", "2022-09-10", ""],
            [m.a3.id_number, "陶俊颖", "2022-09", "32", "2022-09-10", ""],
            [m.b1.id_number, "赵乙一", "2022-09", "32", "2022-09-10", ""],
            [m.member_a.id_number, "李慧欣", "2022-13", "-1", "2022-10-10", ""],
        ]
    )
    response = client.post(url, {"file": bad})
    html = response.content.decode()
    assert response.status_code == 400
    assert "陶俊颖2022年9月的党费已经交过" in html
    assert "不是本组织的党员" in html
    assert "“2022-13”不是有效月份" in html and "金额不能为负数" in html
    assert DuesPayment.objects.unscoped().count() == 1
    good = _book(
        [
            [m.member_a.id_number, "李慧欣", "2022-09", "32", "2022-09-10", ""],
            [m.member_a.id_number, "李慧欣", "2022-10", "32.00", date(2022, 10, 10), "现金"],
        ]
    )
    assert client.post(url, {"file": good}).status_code == 302
    assert sorted(
        DuesPayment.objects.unscoped().filter(member=m.member_a).values_list("month", "source")
    ) == [(date(2022, 9, 1), "import"), (date(2022, 10, 1), "import")]
    assert AuditEntry.objects.get(verb="dues.import").detail["rows"] == 2


def test_import_reads_a_gbk_csv_with_a_title_row_and_chinese_dates(tree, login):
    m = tree.members
    give_base(m.member_a)
    lines = [
        "甲幼儿园党支部党费交纳登记",
        "身份证号码,姓名,所属月份,实缴金额（元）,交纳日期,备注",
        f"{m.member_a.id_number},李慧欣,2022年9月,￥32.00,2022年9月10日,现金",
        f"{m.member_a.id_number},李慧欣,2022.10,32,2022/10/9,",
        ",,,,,",
    ]
    upload = io.BytesIO("\r\n".join(lines).encode("gbk"))
    upload.name = "党费.csv"
    response = login(tree.users.sec_a).post(reverse("dues:import", args=[tree.a.code]), {"file": upload})
    assert response.status_code == 302
    assert sorted(
        DuesPayment.objects.unscoped()
        .filter(member=m.member_a)
        .values_list("month", "amount", "paid_on", "note")
    ) == [
        (date(2022, 9, 1), Decimal("32.00"), date(2022, 9, 10), "现金"),
        (date(2022, 10, 1), Decimal("32.00"), date(2022, 10, 9), ""),
    ]


def test_api_payment_and_duplicate(tree, client):
    give_base(tree.members.member_a)
    client.force_login(tree.users.sec_a)
    url = reverse("api:dues_payment_record", args=[tree.members.member_a.pk])
    body = {"month": "2022-09", "paid_on": "2022-09-05"}
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 200
    assert first.json()[0]["due"] == "32.00"
    second = client.post(url, body, content_type="application/json")
    assert second.status_code == 422
    assert "不能重复交纳" in second.json()["errors"]["month"][0]
    roll = client.get(reverse("api:dues_roll", args=[tree.a.code]) + "?month=2022-09").json()
    assert (roll["paid_total"], roll["paid_count"]) == ("32.00", 1)


def test_api_negative_base_refused(tree, client):
    client.force_login(tree.users.sec_a)
    response = client.post(
        reverse("api:dues_base_set", args=[tree.members.member_a.pk]),
        {"effective_month": "2022-01", "income_type": "salaried", "base": "-1"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert DuesBase.objects.unscoped().count() == 0


def test_cli_exports_the_roll(tree, tmp_path):
    give_base(tree.members.member_a)
    target = tmp_path / "roll.xlsx"
    call_command(
        "dues", "roll", "--org", "branch-a", "--month", "2022-09", "-o", str(target), "--user", "sec_a"
    )
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][0] == "甲幼儿园党支部 2022年9月党费收缴表"
    assert AuditEntry.objects.filter(verb="dues.roll_export").count() == 1


def test_cli_refuses_an_org_outside_scope(tree, tmp_path):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="党组织不存在或无权访问"):
        call_command(
            "dues",
            "roll",
            "--org",
            "branch-a",
            "--month",
            "2022-09",
            "-o",
            str(tmp_path / "x.xlsx"),
            "--user",
            "sec_b",
        )
    assert not (tmp_path / "x.xlsx").exists()
