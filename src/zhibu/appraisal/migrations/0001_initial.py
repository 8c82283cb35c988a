"""The appraisal app takes over the models that were the reports app's (reports/0002_appraisal_moved_out): the
models enter this app's migration state over the existing tables, which keep their reports_… names (db_table).
Nothing is created or copied in the database; on a new database reports/0001_initial made the tables."""

import django.core.validators
import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orgs', '0005_merge_20261129_0026'),
        ('people', '0002_alter_member_phone'),
        ('reports', '0002_appraisal_moved_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables, their rows, constraints and indexes stay as they are.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AppraisalRound',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='述职年度')),
                        ('title', models.CharField(max_length=200, verbose_name='名称')),
                        ('opens_at', models.DateTimeField(verbose_name='评议开始')),
                        ('closes_at', models.DateTimeField(verbose_name='评议截止')),
                        ('threshold', models.PositiveSmallIntegerField(default=60, help_text='累计比例规则：“好”票占比达到该比例定为好；否则“好+较好”达到定为较好；否则“好+较好+一般”达到定为一般；其余为差。', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='定等比例（%）')),
                        ('status', models.CharField(choices=[('open', '进行中'), ('closed', '已结束')], default='open', max_length=8, verbose_name='状态')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='结束时间')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organisation', verbose_name='组织评议的党组织')),
                    ],
                    options={
                        'verbose_name': '述职评议',
                        'verbose_name_plural': '述职评议',
                        'db_table': 'reports_appraisalround',
                        'ordering': ['-year', '-created_at', '-id'],
                    },
                    managers=[
                        ('internal', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='DemocraticReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='年度')),
                        ('status', models.CharField(choices=[('voting', '自评互评中'), ('counted', '已计票'), ('decided', '已定等次')], default='voting', max_length=8, verbose_name='状态')),
                        ('opened_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('counted_at', models.DateTimeField(blank=True, null=True)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('decided_by_body', models.CharField(blank=True, help_text='支委会或党员大会', max_length=20, verbose_name='决定机构')),
                        ('opened_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organisation', verbose_name='党支部')),
                    ],
                    options={
                        'verbose_name': '民主评议党员',
                        'verbose_name_plural': '民主评议党员',
                        'db_table': 'reports_democraticreview',
                        'ordering': ['org', '-year'],
                    },
                    managers=[
                        ('internal', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='MemberGrade',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='年度')),
                        ('grade', models.CharField(choices=[('excellent', '优秀'), ('qualified', '合格'), ('basic', '基本合格'), ('unqualified', '不合格')], max_length=12, verbose_name='评定等次')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                        ('decided_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appraisal_grades', to='people.member')),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='grades', to='appraisal.democraticreview')),
                    ],
                    options={
                        'verbose_name': '民主评议结果',
                        'verbose_name_plural': '民主评议结果',
                        'db_table': 'reports_membergrade',
                        'ordering': ['member', '-year'],
                    },
                    managers=[
                        ('internal', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='ReviewBallot',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('grade', models.CharField(choices=[('excellent', '优秀'), ('qualified', '合格'), ('basic', '基本合格'), ('unqualified', '不合格')], max_length=12, verbose_name='评价')),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ballots', to='appraisal.democraticreview')),
                        ('subject', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.member')),
                    ],
                    options={
                        'verbose_name': '互评票',
                        'db_table': 'reports_reviewballot',
                    },
                    managers=[
                        ('internal', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='ReviewVoter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.member')),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='voters', to='appraisal.democraticreview')),
                    ],
                    options={
                        'verbose_name': '已投票',
                        'db_table': 'reports_reviewvoter',
                    },
                    managers=[
                        ('internal', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='RoundAppraiser',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appraisers', to='appraisal.appraisalround')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '评议人',
                        'db_table': 'reports_roundappraiser',
                    },
                ),
                migrations.CreateModel(
                    name='RoundParticipant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='提交时间')),
                        ('counts', models.JSONField(blank=True, default=dict, verbose_name='各等次票数')),
                        ('grade', models.CharField(blank=True, choices=[('good', '好'), ('fairly_good', '较好'), ('average', '一般'), ('poor', '差')], max_length=12, verbose_name='评议等次')),
                        ('findings', models.TextField(blank=True, verbose_name='评议意见（问题）')),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organisation', verbose_name='党支部')),
                        ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reports.report', verbose_name='述职报告')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='appraisal.appraisalround')),
                        ('secretary', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='述职人')),
                    ],
                    options={
                        'verbose_name': '述职人',
                        'verbose_name_plural': '述职人',
                        'db_table': 'reports_roundparticipant',
                        'ordering': ['round', 'org__path'],
                    },
                    managers=[
                        ('internal', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='RoundRating',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('level', models.CharField(choices=[('good', '好'), ('fairly_good', '较好'), ('average', '一般'), ('poor', '差')], max_length=12, verbose_name='评议等次')),
                        ('comment', models.TextField(blank=True, verbose_name='意见')),
                        ('rated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('appraiser', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='appraisal.roundappraiser')),
                        ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='appraisal.roundparticipant')),
                    ],
                    options={
                        'verbose_name': '评议票',
                        'db_table': 'reports_roundrating',
                    },
                ),
                migrations.CreateModel(
                    name='SelfAssessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='个人自评')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.member')),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='self_assessments', to='appraisal.democraticreview')),
                    ],
                    options={
                        'verbose_name': '个人自评',
                        'db_table': 'reports_selfassessment',
                    },
                    managers=[
                        ('internal', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.AddConstraint(
                    model_name='democraticreview',
                    constraint=models.UniqueConstraint(fields=('org', 'year'), name='review_once_a_year'),
                ),
                migrations.AddConstraint(
                    model_name='membergrade',
                    constraint=models.UniqueConstraint(fields=('member', 'year'), name='member_grade_once_a_year'),
                ),
                migrations.AddConstraint(
                    model_name='reviewvoter',
                    constraint=models.UniqueConstraint(fields=('review', 'member'), name='vote_once'),
                ),
                migrations.AddConstraint(
                    model_name='roundappraiser',
                    constraint=models.UniqueConstraint(fields=('round', 'user'), name='appraiser_once'),
                ),
                migrations.AddConstraint(
                    model_name='roundparticipant',
                    constraint=models.UniqueConstraint(fields=('round', 'org'), name='round_branch_once'),
                ),
                migrations.AddConstraint(
                    model_name='roundrating',
                    constraint=models.UniqueConstraint(fields=('participant', 'appraiser'), name='rating_once'),
                ),
                migrations.AddConstraint(
                    model_name='selfassessment',
                    constraint=models.UniqueConstraint(fields=('review', 'member'), name='self_assessment_once'),
                ),
            ],
        ),
    ]
