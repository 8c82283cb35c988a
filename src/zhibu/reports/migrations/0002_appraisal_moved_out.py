"""Appraisal rounds and 民主评议党员 moved to the appraisal app: their models leave the reports app's migration
state only. Their tables (reports_appraisalround, …) and rows stay; appraisal/0001_initial takes them over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables, their rows, constraints and indexes stay as they are.
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='roundparticipant',
                    name='round',
                ),
                migrations.RemoveField(
                    model_name='roundappraiser',
                    name='round',
                ),
                migrations.RemoveField(
                    model_name='democraticreview',
                    name='opened_by',
                ),
                migrations.RemoveField(
                    model_name='democraticreview',
                    name='org',
                ),
                migrations.RemoveField(
                    model_name='reviewvoter',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='reviewballot',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='membergrade',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='selfassessment',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='membergrade',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='reviewballot',
                    name='subject',
                ),
                migrations.RemoveField(
                    model_name='reviewvoter',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='roundappraiser',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='roundrating',
                    name='appraiser',
                ),
                migrations.RemoveField(
                    model_name='roundparticipant',
                    name='org',
                ),
                migrations.RemoveField(
                    model_name='roundparticipant',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='roundparticipant',
                    name='secretary',
                ),
                migrations.RemoveField(
                    model_name='roundrating',
                    name='participant',
                ),
                migrations.RemoveField(
                    model_name='selfassessment',
                    name='member',
                ),
                migrations.DeleteModel(
                    name='AppraisalRound',
                ),
                migrations.DeleteModel(
                    name='DemocraticReview',
                ),
                migrations.DeleteModel(
                    name='MemberGrade',
                ),
                migrations.DeleteModel(
                    name='ReviewBallot',
                ),
                migrations.DeleteModel(
                    name='ReviewVoter',
                ),
                migrations.DeleteModel(
                    name='RoundAppraiser',
                ),
                migrations.DeleteModel(
                    name='RoundParticipant',
                ),
                migrations.DeleteModel(
                    name='RoundRating',
                ),
                migrations.DeleteModel(
                    name='SelfAssessment',
                ),
            ],
        ),
    ]
