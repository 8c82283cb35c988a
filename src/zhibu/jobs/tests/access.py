from django.core.files.base import ContentFile

from zhibu.jobs.models import Job, JobState
from zhibu.testing.matrix import Case


def _job_of_sec_a(t):
    job = Job(
        actor=t.users.sec_a,
        org=t.a,
        label="导出党员名册",
        function="zhibu.people.jobs.roster_export",
        state=JobState.DONE,
        progress=100,
        outcome="已导出 4 人（已脱敏）。",
        result_name="名册.xlsx",
    )
    job.result_file.save("access-test.xlsx", ContentFile(b"xlsx"), save=False)
    job.save()
    return [job.pk]


# A job is seen by the person who started it, and only while its organisation is in their scope.
ACCESS = [
    Case("jobs:detail", allowed={"sec_a"}, args=_job_of_sec_a),
    Case("jobs:download", allowed={"sec_a"}, args=_job_of_sec_a),
]
