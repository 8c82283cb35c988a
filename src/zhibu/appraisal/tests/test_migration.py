"""Moving the models from `reports` to `appraisal` loses no row: a database that holds rounds and 民主评议 under the
reports app's migrations reads them through the appraisal app after migrating, from the same tables."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from zhibu.appraisal.models import AppraisalRound, DemocraticReview, MemberGrade

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reports", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_rows_survive_the_move(tree):
    old = _migrate(BEFORE)  # appraisal/0001 and reports/0002 unapplied: the state of main before the move
    assert ("appraisal", "appraisalround") not in {
        (m._meta.app_label, m._meta.model_name) for m in old.get_models()
    }
    now = timezone.now()
    old_round = old.get_model("reports", "AppraisalRound")._default_manager.create(
        org_id=tree.district.pk, year=2022, title="旧库里的评议", opens_at=now, closes_at=now, threshold=60
    )
    old_review = old.get_model("reports", "DemocraticReview")._default_manager.create(
        org_id=tree.a.pk, year=2022, opened_at=now
    )
    old.get_model("reports", "MemberGrade")._default_manager.create(
        member_id=tree.members.a3.pk, review_id=old_review.pk, year=2022, grade="excellent", decided_at=now
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert AppraisalRound._meta.db_table == "reports_appraisalround"
    assert AppraisalRound.objects.unscoped().get(pk=old_round.pk).title == "旧库里的评议"
    assert DemocraticReview.objects.unscoped().get(pk=old_review.pk).org == tree.a
    assert MemberGrade.objects.unscoped().get(review_id=old_review.pk).member == tree.members.a3
    # and new rows go to the same tables
    review = DemocraticReview.objects.unscoped().create(org=tree.b, year=2023)
    with connection.cursor() as cursor:
        cursor.execute("SELECT year FROM reports_democraticreview WHERE id = %s", [review.pk])
        assert cursor.fetchone() == (2023,)
