import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from zhibu.reports.models import Report

from .helpers import draft_report, meetings

pytestmark = pytest.mark.django_db


def test_report_page_edit_form_and_final_refusal(tree, client):
    report = draft_report(tree)
    client.force_login(tree.users.sec_a)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'name="text__intro"' in page and "刷新数据" in page
    client.post(reverse("reports:finalise", args=[report.pk]))
    refused = client.post(reverse("reports:edit", args=[report.pk]), {"text__intro": "改"})
    assert refused.status_code == 400 and "已定稿，不能修改" in refused.content.decode()
    assert "改" != Report.objects.unscoped().get(pk=report.pk).blocks[2]["text"]


def test_fact_page_lists_the_records(tree, client):
    meetings(tree.a, committee=2, general=0)
    report = draft_report(tree)
    client.force_login(tree.users.district)
    page = client.get(reverse("reports:fact", args=[report.pk, "branch_meetings"])).content.decode()
    assert "组织生活记录 · 2 条" in page and "2022-01-05" in page and "2022-02-05" in page


def test_print_view_and_docx_download(tree, client):
    meetings(tree.a)
    report = draft_report(tree)
    client.force_login(tree.users.sec_a)
    printed = client.get(reverse("reports:print", args=[report.pk])).content.decode()
    assert 'class="gw-title"' in printed and "召开支部会4次" in printed
    download = client.get(reverse("reports:docx", args=[report.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(download.content)).paragraphs)
    assert "召开支部会4次" in text


def test_cli_annual_json_and_docx(tree, tmp_path, capsys):
    meetings(tree.a, committee=17, general=1)
    call_command("report", "annual", "--org", "branch-a", "--year", "2022", "--json")
    payload = json.loads(capsys.readouterr().out)
    figures = {f["key"]: f["value"] for f in payload["figures"]}
    assert figures["branch_meetings"] == 18 and payload["source"] == "由记录自动组装"
    out = tmp_path / "r.docx"
    call_command("report", "annual", "--org", "branch-a", "--year", "2022", "-o", str(out))
    assert "召开支部会18次" in "\n".join(p.text for p in Document(str(out)).paragraphs)


def test_cli_respects_the_users_scope(tree):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在或无权访问"):
        call_command("report", "annual", "--org", "branch-a", "--year", "2022", "--json", "--user", "sec_b")


def test_index_and_org_year_preview(tree, client):
    meetings(tree.a)
    client.force_login(tree.users.sec_a)
    index = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:org_year", args=["branch-a", timezone.localdate().year - 1]) in index
    preview = client.get(reverse("reports:org_year", args=["branch-a", 2022])).content.decode()
    assert "召开支部会4次" in preview and "生成报告草稿" in preview
