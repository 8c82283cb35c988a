"""The problem-status endpoint of the API: its body lists the three states, anything else is refused with the
Chinese message before the service runs, and a valid move is saved."""

from __future__ import annotations

import json

from django.urls import reverse

from zhibu.work.models import Problem

from . import factories as wf


def _post(client, problem: Problem, body: dict):
    return client.post(
        reverse("api:work_problem_status", args=[problem.pk]),
        data=json.dumps(body),
        content_type="application/json",
    )


def test_an_unknown_status_is_refused_with_the_states_listed_and_nothing_changes(tree, login):
    problem = wf.problem(tree.a, 2022)
    response = _post(login(tree.users.sec_a), problem, {"status": "closed"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "请求参数不符合要求。",
        "errors": {"status": ["须为以下之一：open、in_progress、done。"]},
    }
    problem.refresh_from_db()
    assert problem.status == Problem.Status.OPEN


def test_a_valid_status_is_saved(tree, login):
    problem = wf.problem(tree.a, 2022)
    response = _post(login(tree.users.sec_a), problem, {"status": "in_progress"})
    assert response.status_code == 200
    problem.refresh_from_db()
    assert problem.status == Problem.Status.IN_PROGRESS


def test_the_schema_lists_the_states():
    from zhibu.api import api

    schema = api.get_openapi_schema()
    body = schema["components"]["schemas"]["StatusIn"]
    status = body["properties"]["status"]
    target = (
        schema["components"]["schemas"][status["$ref"].rsplit("/", 1)[-1]] if "$ref" in status else status
    )
    assert target["enum"] == ["open", "in_progress", "done"]
