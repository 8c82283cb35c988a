"""Jobs: started by a person, run by `zhibu worker` from the database queue, followed on a scoped page;
a failing job is retried, then shown as failed and audited."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from zhibu.audit.models import AuditEntry
from zhibu.jobs import services as jobs
from zhibu.jobs.models import Job, JobState

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def always_fails(*, progress):
    progress(30)
    raise RuntimeError("报告模板缺失")


def halfway(*, progress):
    progress(50)
    return "做完了一半又做完了另一半。"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def _worker() -> None:
    call_command("worker", "--batch", "--interval", "0", stdout=io.StringIO(), verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_subtree_reports_run_through_the_database_queue_and_the_worker(tree, database_queue, client):
    job = jobs.start(
        actor=tree.users.district,
        org=tree.district,
        label="打包述职报告",
        task="zhibu.reports.jobs.subtree_reports_zip",
        year=2022,
    )
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == (JobState.QUEUED, 0, 0)
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "READY"

    _worker()

    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == (JobState.DONE, 100, 1)
    assert job.outcome == "已生成 2 个党支部的 2022 年度述职报告。"
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "SUCCESSFUL"
    client.force_login(tree.users.district)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "已生成 2 个党支部的 2022 年度述职报告。" in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    download = client.get(reverse("jobs:download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist() == ["branch-a-2022-述职报告.docx", "branch-b-2022-述职报告.docx"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_retried_then_shown_failed_and_audited(tree, database_queue, client):
    job = jobs.start(
        actor=tree.users.sec_a,
        org=tree.a,
        label="必然失败的任务",
        task="zhibu.jobs.tests.test_jobs.always_fails",
        max_attempts=3,
    )

    _worker()

    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (JobState.FAILED, 3, "报告模板缺失")
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "FAILED", "FAILED"]
    entry = AuditEntry.objects.get(verb="job.fail")
    assert (entry.actor, entry.target_id, entry.org_path) == (tree.users.sec_a, str(job.pk), tree.a.path)
    assert entry.detail == {"label": "必然失败的任务", "attempts": 3, "error": "报告模板缺失"}
    client.force_login(tree.users.sec_a)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "任务在尝试 3 次后失败：报告模板缺失" in page


@pytest.mark.django_db(transaction=True)
def test_the_roster_export_runs_as_a_job_from_the_roster_page(tree, database_queue, client):
    client.force_login(tree.users.district)
    response = client.post(reverse("people:export_job", args=[tree.district.code]))
    job = Job.objects.unscoped().get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    _worker()
    job.refresh_from_db()
    assert (job.state, job.outcome, job.result_name) == (
        JobState.DONE,
        "已导出 5 人（已脱敏）。",
        "district-edu-党员名册.xlsx",
    )


def test_a_running_job_page_polls_and_shows_progress(tree, client):
    job = Job.objects.unscoped().create(
        actor=tree.users.sec_a,
        org=tree.a,
        label="导出党员名册",
        function="x.y",
        state=JobState.RUNNING,
        progress=40,
        attempts=1,
    )
    client.force_login(tree.users.sec_a)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("jobs:detail", args=[job.pk])}" hx-trigger="every 2s"' in page
    assert '<progress max="100" value="40">' in page
    assert "进行中" in page
    partial = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<section")


def test_progress_is_recorded_immediately(tree, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(
            actor=tree.users.sec_a, org=tree.a, label="半程", task="zhibu.jobs.tests.test_jobs.halfway"
        )
    job.refresh_from_db()
    assert (job.state, job.progress, job.outcome) == (JobState.DONE, 100, "做完了一半又做完了另一半。")


@pytest.mark.parametrize("persona", ["sec_b", "district", "outsider"])
def test_someone_else_gets_404_for_a_job(tree, client, persona):
    job = Job.objects.unscoped().create(
        actor=tree.users.sec_a, org=tree.a, label="导出党员名册", function="x.y"
    )
    client.force_login(getattr(tree.users, persona))
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_starting_outside_the_scope_changes_nothing(tree):
    from django.http import Http404

    with pytest.raises(Http404):
        jobs.start(
            actor=tree.users.sec_b, org=tree.a, label="越权", task="zhibu.jobs.tests.test_jobs.halfway"
        )
    assert Job.objects.unscoped().count() == 0
    assert not AuditEntry.objects.filter(verb="job.start").exists()
