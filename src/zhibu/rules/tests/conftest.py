"""Fixtures of the rules tests: which task backend runs the background work."""

from __future__ import annotations

import pytest
from django.core.cache import cache

IMMEDIATE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _no_enqueue_memory():
    """services.store_later remembers (in the cache) what it enqueued: start every test afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tasks_immediate(settings):
    """Tasks run inside the caller as soon as they are enqueued."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def tasks_dummy(settings):
    """Tasks are only recorded (django_tasks' dummy backend keeps them in `results`)."""
    settings.TASKS = DUMMY
    from django_tasks import default_task_backend

    default_task_backend.clear()
    return default_task_backend
