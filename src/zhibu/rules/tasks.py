"""Background work of the rules app (django-tasks; `zhibu worker` runs them): storing and re-lighting lights.

Arguments are plain JSON (paths, ids, years). Each task is safe to run twice or side by side: writers take the
branches' lock and upsert (services.store).
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def relight_subtree(root_path: str, years: list[int] | None = None, relight_id: int | None = None) -> int:
    """A requirement changed: re-evaluate every branch under `root_path` (the stored years and this year), then
    clear the board's 计算中 notice (`relight_id`)."""
    written = services.relight(root_path, set(years) if years else None)
    if relight_id is not None:
        services.relight_finished(relight_id)
    return written


@task()
def store_year(root_path: str, year: int) -> int:
    """A page showed `year` computed on the fly for branches with nothing stored: store them."""
    return services.store_missing(root_path, year)


@task()
def relight_records(org_id: int, months: list[list[int]]) -> bool:
    """Records of `org_id` changed while a relight held its branch: bring the months' years up to date."""
    return services.lights_refresh(org_id=org_id, months={(year, month) for year, month in months})


@task()
def relight_branch(branch_id: int) -> bool:
    """The roster of a branch changed while a relight held it: re-evaluate its stored years."""
    branch = services.branch_of(branch_id)
    return branch is None or services.lights_refresh_branch(org=branch)
