from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.orgs import scoping
from zhibu.study import services
from zhibu.study.models import StudyPoints
from zhibu.testing import factories as f

from .helpers import csv_bytes, xlsx_bytes


def _all():
    return sorted(
        StudyPoints.objects.unscoped().values_list("member__name", "on", "day_points", "total_points")
    )


def test_csv_with_today_header_and_extra_columns(tree):
    data = csv_bytes(
        [
            ["序号", "姓名", "部门", "日期", "今日积分", "累计积分", "备注"],
            [1, "张文慧", "教研组", "2022-12-01", 45, 12030, ""],
            [2, "李慧欣", "教研组", "2022/12/01", "38", "9870", "请假半天"],
        ]
    )
    report = services.study_import(actor=tree.users.sec_a, org=tree.a, file=data, filename="12月.csv")
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    assert report.columns == {
        "name": "姓名",
        "date": "日期",
        "day_points": "今日积分",
        "total_points": "累计积分",
    }
    assert report.ignored_columns == ["序号", "部门", "备注"]
    assert report.unmatched == {} and report.ambiguous == {}
    assert _all() == [("张文慧", date(2022, 12, 1), 45, 12030), ("李慧欣", date(2022, 12, 1), 38, 9870)]
    entry = AuditEntry.objects.get(verb="study.import")
    assert entry.org_path == tree.a.path and entry.detail["created"] == 2


def test_xlsx_with_day_header_title_row_and_real_dates(tree):
    data = xlsx_bytes(
        [
            ["姓名", "日期", "当日积分", "总积分"],
            ["陶俊颖", datetime(2022, 12, 2), 41, 8000],
            [" 王 明 ", "2022年12月2日", 33.0, None],
        ],
        title="某幼儿园学习强国积分导出",
    )
    report = services.study_import(actor=tree.users.sec_a, org=tree.a, file=data, filename="export.xlsx")
    assert report.created == 2
    assert report.columns["day_points"] == "当日积分" and report.columns["total_points"] == "总积分"
    assert _all() == [("王明", date(2022, 12, 2), 33, None), ("陶俊颖", date(2022, 12, 2), 41, 8000)]


def test_gb18030_csv_without_total_column(tree):
    data = csv_bytes([["日期", "姓名", "当日积分"], ["20221203", "张文慧", "50"]], encoding="gb18030")
    report = services.study_import(actor=tree.users.sec_a, org=tree.a, file=data, filename="gbk.csv")
    assert report.created == 1
    assert _all() == [("张文慧", date(2022, 12, 3), 50, None)]


def test_missing_columns_is_a_chinese_error_and_nothing_saved(tree):
    data = csv_bytes([["姓名", "学习时长", "得分"], ["张文慧", "30分钟", 40]])
    with pytest.raises(ValidationError) as exc:
        services.study_import(actor=tree.users.sec_a, org=tree.a, file=data, filename="wrong.csv")
    assert exc.value.messages == ["第1行 表头：缺少必填列“日期”“当日积分”。"]
    assert _all() == [] and not AuditEntry.objects.filter(verb="study.import").exists()


def test_unknown_file_without_header_is_an_error(tree):
    data = csv_bytes([["编号", "分数"], ["1", "2"]])
    with pytest.raises(ValidationError) as exc:
        services.study_import(actor=tree.users.sec_a, org=tree.a, file=data, filename="x.csv")
    assert "未找到表头" in exc.value.messages[0] and "编号、分数" in exc.value.messages[0]
    assert _all() == []


def test_a_bad_row_saves_nothing_even_for_good_rows(tree):
    data = csv_bytes(
        [
            ["姓名", "日期", "当日积分"],
            ["张文慧", "2022-12-01", "40"],
            ["李慧欣", "十二月一日", "40"],
            ["陶俊颖", "2022-12-01", "-3"],
            ["王明", "2022-12-01", "12.5"],
        ]
    )
    with pytest.raises(ValidationError) as exc:
        services.study_import(actor=tree.users.sec_a, org=tree.a, file=data, filename="bad.csv")
    assert exc.value.messages == [
        "第3行「日期」：“十二月一日”不是有效日期，请写成 2022-06-01 的格式",
        "第4行「当日积分」：“-3”不能小于 0",
        "第5行「当日积分」：“12.5”不是整数",
    ]
    assert _all() == []


def test_same_person_twice_on_one_day_in_a_file_is_an_error(tree):
    data = csv_bytes(
        [["姓名", "日期", "当日积分"], ["张文慧", "2022-12-01", 40], ["张文慧", "2022-12-01", 41]]
    )
    with pytest.raises(ValidationError) as exc:
        services.study_import(actor=tree.users.sec_a, org=tree.a, file=data, filename="dup.csv")
    assert exc.value.messages == ["第3行：张文慧 在 2022-12-01 的积分与第2行重复"]
    assert _all() == []


def test_old_xls_is_refused_clearly(tree):
    with pytest.raises(ValidationError) as exc:
        services.study_import(
            actor=tree.users.sec_a, org=tree.a, file=b"\xd0\xcf\x11\xe0rest", filename="a.xls"
        )
    assert "另存为 .xlsx 或 .csv" in exc.value.messages[0]


def test_unmatched_and_ambiguous_names_are_reported_and_skipped(tree):
    f.make_member(tree.a, "陶俊颖")  # a second 陶俊颖 in branch A
    data = csv_bytes(
        [
            ["姓名", "日期", "当日积分"],
            ["张文慧", "2022-12-01", 40],
            ["刘外聘", "2022-12-01", 30],  # a teacher who is not on the roster
            ["陶俊颖", "2022-12-01", 35],
            ["赵乙一", "2022-12-01", 20],  # a member of branch B: not matched from A
            ["刘外聘", "2022-12-02", 31],
            ["陶俊颖", "2022-12-02", 36],
        ]
    )
    report = services.study_import(actor=tree.users.sec_a, org=tree.a, file=data, filename="r.csv")
    assert report.created == 1 and report.skipped == 5
    assert report.unmatched == {"刘外聘": [3, 6], "赵乙一": [5]}
    assert report.ambiguous == {"陶俊颖": [4, 7]}
    assert _all() == [("张文慧", date(2022, 12, 1), 40, None)]


def test_member_who_left_before_the_day_is_not_matched(tree):
    member = tree.members.a4
    member.left_on = date(2022, 11, 30)
    member.save()
    data = csv_bytes([["姓名", "日期", "当日积分"], ["王明", "2022-11-30", 10], ["王明", "2022-12-01", 10]])
    report = services.study_import(actor=tree.users.sec_a, org=tree.a, file=data, filename="left.csv")
    assert report.created == 1 and report.unmatched == {"王明": [3]}


def test_reimport_of_the_same_day_updates_never_duplicates(tree):
    first = csv_bytes(
        [
            ["姓名", "日期", "当日积分", "总积分"],
            ["张文慧", "2022-12-01", 40, 100],
            ["李慧欣", "2022-12-01", 30, 90],
        ]
    )
    services.study_import(actor=tree.users.sec_a, org=tree.a, file=first, filename="v1.csv")
    second = csv_bytes(
        [
            ["姓名", "日期", "今日积分", "累计积分"],
            ["张文慧", "2022-12-01", 45, 105],
            ["李慧欣", "2022-12-01", 30, 90],
            ["李慧欣", "2022-12-02", 20, 110],
        ]
    )
    report = services.study_import(actor=tree.users.sec_a, org=tree.a, file=second, filename="v2.csv")
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert _all() == [
        ("张文慧", date(2022, 12, 1), 45, 105),
        ("李慧欣", date(2022, 12, 1), 30, 90),
        ("李慧欣", date(2022, 12, 2), 20, 110),
    ]
    assert StudyPoints.objects.unscoped().get(member=tree.members.sec_a).source_name == "v2.csv"


def test_secretary_of_b_cannot_import_into_a(tree):
    data = csv_bytes([["姓名", "日期", "当日积分"], ["张文慧", "2022-12-01", 40]])
    with pytest.raises(scoping.NotVisible):
        services.study_import(actor=tree.users.sec_b, org=tree.a, file=data, filename="x.csv")
    assert _all() == []


def test_import_at_a_committee_is_refused(tree):
    data = csv_bytes([["姓名", "日期", "当日积分"], ["张文慧", "2022-12-01", 40]])
    with pytest.raises(ValidationError) as exc:
        services.study_import(actor=scoping.SYSTEM, org=tree.district, file=data, filename="x.csv")
    assert "请在党支部一级导入" in exc.value.messages[0]


def test_import_page_shows_the_report(tree, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(tree.users.sec_a)
    data = csv_bytes(
        [["姓名", "日期", "今日积分"], ["张文慧", "2022-12-01", 40], ["无此人", "2022-12-01", 1]]
    )
    response = client.post(
        reverse("study:import", args=[tree.a.code]),
        {"file": SimpleUploadedFile("points.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "导入结果：points.csv" in text and "无此人（第3行）" in text
    assert _all() == [("张文慧", date(2022, 12, 1), 40, None)]


def test_import_page_bad_columns_is_400_and_nothing_saved(tree, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(tree.users.sec_a)
    data = csv_bytes([["名字", "时间", "分"], ["张文慧", "2022-12-01", 40]])
    response = client.post(
        reverse("study:import", args=[tree.a.code]),
        {"file": SimpleUploadedFile("points.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 400
    assert "未找到表头" in response.content.decode()
    assert _all() == []


def test_api_upload(tree, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(tree.users.sec_a)
    data = xlsx_bytes([["姓名", "日期", "当日积分"], ["张文慧", "2022-12-01", 40]])
    response = client.post(
        reverse("api:study_import", args=[tree.a.code]), {"file": SimpleUploadedFile("p.xlsx", data)}
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1 and response.json()["last_day"] == "2022-12-01"
    bad = client.post(
        reverse("api:study_import", args=[tree.a.code]),
        {"file": SimpleUploadedFile("p.csv", csv_bytes([["x"], ["y"]]))},
    )
    assert bad.status_code == 422 and "未找到表头" in bad.json()["errors"]["__all__"][0]


def test_cli_import(tree, tmp_path, capsys):
    path = tmp_path / "points.csv"
    path.write_bytes(
        csv_bytes([["姓名", "日期", "当日积分"], ["张文慧", "2022-12-01", 40], ["某某", "2022-12-01", 3]])
    )
    call_command("import_study", str(path), "--org", tree.a.code)
    out = capsys.readouterr().out
    assert "新增 1" in out and "未匹配：某某（第3行）" in out
    path.write_bytes(csv_bytes([["名字"], ["张文慧"]]))
    with pytest.raises(CommandError) as exc:
        call_command("import_study", str(path), "--org", tree.a.code)
    assert "未找到表头" in str(exc.value)
    with pytest.raises(CommandError):
        call_command("import_study", str(path), "--org", tree.a.code, "--user", "sec_b")
    assert _all() == [("张文慧", date(2022, 12, 1), 40, None)]


def test_excel_serial_dates_and_compact_dates(tree):
    data = xlsx_bytes([["姓名", "日期", "当日积分"], ["张文慧", 44896, 40], ["李慧欣", 20221202, 30]])
    services.study_import(actor=tree.users.sec_a, org=tree.a, file=data, filename="serial.xlsx")
    assert _all() == [("张文慧", date(2022, 12, 1), 40, None), ("李慧欣", date(2022, 12, 2), 30, None)]
