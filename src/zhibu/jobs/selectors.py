"""Reading jobs: a person sees the jobs they started, within their scope; anything else is a 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from zhibu.orgs.roles import Action

from .models import Job


def job_get(actor, pk: int) -> Job:
    return get_object_or_404(Job.objects.visible_to(actor, Action.VIEW).filter(actor=actor), pk=pk)
