"""Starting background jobs and running them: `start()` records the job and enqueues it; the worker runs
`tasks.run_job`, which calls the job's function and keeps the record true.

A job function is a plain function `f(*, progress: Progress, **arguments) -> str | JobFile` living in its own app; its
arguments are JSON. It raises to fail: the job is retried (up to `max_attempts`), then marked failed with the
error on its page and in the audit — never dropped silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from zhibu.audit import services as audit
from zhibu.core import filestore, system
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from .models import Job, JobState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobFile:
    """What a job function returns when its result is a file to download from the job page."""

    outcome: str
    name: str
    content: bytes


class Progress:
    """Handed to a job function as `progress`: who started the job, where, and a way to report how far it is
    (`progress(40)`)."""

    def __init__(self, job: Job):
        self.job = job

    @property
    def actor(self):
        return self.job.actor if self.job.actor_id else scoping.SYSTEM

    @property
    def org(self) -> Organisation | None:
        return self.job.org

    def __call__(self, percent: int) -> None:
        percent = max(0, min(100, int(percent)))
        Job.objects.unscoped().filter(pk=self.job.pk).update(progress=percent)
        self.job.progress = percent


def _enqueue(job: Job) -> None:
    from .tasks import run_job

    def send() -> None:
        result = run_job.enqueue(job.pk)
        Job.objects.unscoped().filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(send)


@transaction.atomic
def start(
    *, actor, org: Organisation | None, label: str, task: str, max_attempts: int = 3, **arguments
) -> Job:
    """Record a job and put it on the queue once the transaction commits. `task` is the dotted path of the job
    function; `arguments` are passed to it as keywords (JSON values only)."""
    if org is not None:
        scoping.require(actor, Action.VIEW, org)
    import_string(task)  # a wrong path fails here, in the request, not later in the worker
    job = Job(
        actor=actor if getattr(actor, "pk", None) else None,
        org=org,
        label=label,
        function=task,
        arguments=arguments,
        max_attempts=max_attempts,
    )
    job.full_clean()
    job.save()
    audit.log(
        actor=actor,
        verb="job.start",
        target=job,
        detail={"label": label},
        org_path=org.path if org is not None else "",
    )
    _enqueue(job)
    return job


def run(job_id: int) -> str:
    """One attempt at a job (called by the worker through tasks.run_job)."""
    job = Job.objects.unscoped().get(pk=job_id)
    if job.finished:
        return job.state
    job.attempts += 1
    job.state = JobState.RUNNING
    job.save(update_fields=["attempts", "state"])
    try:
        with system.system_work():  # background work, even when an immediate queue runs it inside a request
            result = import_string(job.function)(progress=Progress(job), **job.arguments)
    except Exception as exc:
        _failed(job, exc)
        raise
    job.progress = 100
    job.state = JobState.DONE
    job.error = ""
    job.finished_at = timezone.now()
    if isinstance(result, JobFile):
        job.outcome = result.outcome
        job.result_name = result.name
        filestore.save(job.result_file, f"{job.pk}-{result.name}", result.content)  # encrypted, 0600
    else:
        job.outcome = str(result or "")
    job.save()
    return job.state


def _failed(job: Job, exc: Exception) -> None:
    message = str(exc) or exc.__class__.__name__
    logger.exception("job %s (%s) attempt %s failed", job.pk, job.function, job.attempts)
    job.error = message
    if job.attempts < job.max_attempts:
        job.state = JobState.RETRYING
        job.save(update_fields=["state", "error"])
        _enqueue(job)
        return
    job.state = JobState.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "finished_at"])
    audit.log(
        actor=job.actor,
        verb="job.fail",
        target=job,
        detail={"label": job.label, "attempts": job.attempts, "error": message},
        org_path=job.org.path if job.org else "",
    )
