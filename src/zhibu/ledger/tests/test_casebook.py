"""The 发展党员 纪实 of a case and the 党费收缴台账 of a year, from the demo's records."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.urls import reverse
from docx import Document as Docx
from openpyxl import load_workbook

from zhibu.development.models import Case, StepRecord, Vote
from zhibu.dues.models import DuesPayment
from zhibu.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def _login(client, name):
    client.force_login(get_user_model()._default_manager.get(username=name))


def test_case_book_lists_every_step_and_its_vote(demo_data, client):
    vote = Vote.objects.unscoped().select_related("record__case").order_by("id").first()
    case = vote.record.case
    _login(client, "district")
    page = client.get(reverse("ledger:case_book", args=[case.pk])).content.decode()
    for record in StepRecord.objects.unscoped().filter(case=case):
        assert f"<h2>{record.name}</h2>" in page
        assert f"日期：{record.on:%Y年%m月%d日}" in page
    assert (
        f"表决：应到会有表决权党员{vote.expected}人，实到{vote.present}人，书面意见{vote.written}份；"
        f"赞成{vote.yes}票，反对{vote.no}票，弃权{vote.abstain}票。"
    ) in page
    response = client.get(reverse("ledger:case_book", args=[case.pk]), {"as": "docx"})
    texts = [p.text for p in Docx(io.BytesIO(response.content)).paragraphs]
    assert texts[0] == f"发展党员工作纪实：{case.member.name}"


def test_case_book_is_out_of_reach_outside_the_scope(demo_data, client):
    case = Case.objects.unscoped().exclude(org__code="wolongshan-kg").first()
    _login(client, "secretary")
    assert client.get(reverse("ledger:case_book", args=[case.pk])).status_code == 404


def test_dues_ledger_totals_equal_the_payments(demo_data, client):
    org = Organisation.objects.get(code="wolongshan-kg")
    _login(client, "secretary")
    response = client.get(reverse("ledger:dues_ledger", args=[org.code]), {"year": 2022})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "卧龙山街道中心幼儿园党支部2022年党费收缴台账（单位：元）"
    assert rows[1][:3] == ("党支部", "姓名", "1月") and rows[1][-1] == "合计"
    body = rows[2:]
    paid = DuesPayment.objects.unscoped().filter(org=org, month__year=2022)
    assert len(body) == paid.values("member").distinct().count() > 0
    assert Decimal(str(round(sum(r[-1] for r in body), 2))) == paid.aggregate(s=Sum("amount"))["s"]


def test_dues_ledger_refuses_a_bad_year(demo_data, client):
    _login(client, "secretary")
    response = client.get(reverse("ledger:dues_ledger", args=["wolongshan-kg"]), {"year": "abc"})
    assert response.status_code == 400
