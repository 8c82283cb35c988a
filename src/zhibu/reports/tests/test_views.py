"""The reports page offers every year there is something to report on."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from zhibu.testing import factories as f

pytestmark = pytest.mark.django_db


def test_index_offers_every_year_with_records_or_a_report(tree, client):
    f.make_activity(tree.a, "general-meeting", date(2021, 3, 1), present=[tree.members.sec_a])
    f.make_activity(tree.a, "general-meeting", date(2023, 3, 1), present=[tree.members.sec_a])
    client.force_login(tree.users.sec_a)
    page = client.get(reverse("reports:index")).content.decode()
    last = timezone.localdate().year - 1
    assert page.index(f"{last}年度述职报告") < page.index("2023年度述职报告") < page.index("2021年度述职报告")
    assert "2022年度述职报告" not in page
