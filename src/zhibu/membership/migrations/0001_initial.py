"""The models moved from the dues app, on their existing tables: state only, no database operation."""

import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('dues', '0002_transfers_and_watch_to_membership'),
        ('orgs', '0005_merge_20261129_0026'),
        ('people', '0002_alter_member_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ContactLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('contacted_on', models.DateField(verbose_name='联系日期')),
                        ('way', models.CharField(blank=True, max_length=50, verbose_name='联系方式')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='情况')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='people.member', verbose_name='党员')),
                        ('recorded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '联系记录',
                        'verbose_name_plural': '联系记录',
                        'db_table': 'dues_contactlog',
                        'ordering': ['-contacted_on', '-id'],
                        'indexes': [models.Index(fields=['member', 'contacted_on'], name='dues_contact_member_on')],
                    },
                    managers=[
                        ('internal', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='MobileRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('destination', models.CharField(max_length=200, verbose_name='外出流向')),
                        ('host_org', models.CharField(blank=True, max_length=200, verbose_name='流入地党组织')),
                        ('card_number', models.CharField(blank=True, max_length=50, verbose_name='流动党员活动证编号')),
                        ('card_issued_on', models.DateField(blank=True, null=True, verbose_name='活动证发放日期')),
                        ('left_on', models.DateField(verbose_name='外出日期')),
                        ('returned_on', models.DateField(blank=True, null=True, verbose_name='返回日期')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mobile_records', to='people.member', verbose_name='党员')),
                    ],
                    options={
                        'verbose_name': '流动党员登记',
                        'verbose_name_plural': '流动党员登记',
                        'db_table': 'dues_mobilerecord',
                        'ordering': ['-left_on', '-id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('returned_on__isnull', True), ('returned_on__gte', models.F('left_on')), _connector='OR'), name='dues_mobile_period', violation_error_message='返回日期不能早于外出日期。')],
                    },
                    managers=[
                        ('internal', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='Transfer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('member_name', models.CharField(max_length=50, verbose_name='姓名')),
                        ('kind', models.CharField(choices=[('internal', '系统内转接'), ('out', '转出到系统外'), ('in', '从系统外转入')], max_length=10, verbose_name='类型')),
                        ('outside_org', models.CharField(blank=True, max_length=200, verbose_name='系统外党组织')),
                        ('serial', models.CharField(blank=True, max_length=50, verbose_name='介绍信编号')),
                        ('channel', models.CharField(choices=[('paper', '纸质介绍信'), ('online', '全国党员管理信息系统')], default='paper', max_length=10, verbose_name='方式')),
                        ('reason', models.CharField(blank=True, max_length=200, verbose_name='转接原因')),
                        ('dues_paid_to', models.DateField(blank=True, null=True, verbose_name='党费交至')),
                        ('issued_on', models.DateField(verbose_name='开具日期')),
                        ('valid_until', models.DateField(verbose_name='有效期至')),
                        ('received_on', models.DateField(blank=True, null=True, verbose_name='接收日期')),
                        ('status', models.CharField(choices=[('issued', '转出未接收'), ('received', '已接收'), ('cancelled', '已撤回')], default='issued', max_length=10, verbose_name='状态')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('from_org', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='transfers_out', to='orgs.organisation', verbose_name='转出党组织')),
                        ('issued_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='transfers', to='people.member', verbose_name='党员')),
                        ('received_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('to_org', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='transfers_in', to='orgs.organisation', verbose_name='接收党组织')),
                    ],
                    options={
                        'verbose_name': '组织关系转接',
                        'verbose_name_plural': '组织关系转接',
                        'db_table': 'dues_transfer',
                        'ordering': ['-issued_on', '-id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('from_org', models.F('to_org')), _negated=True), name='dues_transfer_not_to_self', violation_error_message='不能把组织关系转到本支部。'), models.UniqueConstraint(condition=models.Q(('status', 'issued')), fields=('member',), name='dues_one_open_transfer', violation_error_message='该党员已有一份尚未接收的组织关系介绍信。'), models.CheckConstraint(condition=models.Q(('valid_until__gte', models.F('issued_on'))), name='dues_transfer_validity', violation_error_message='有效期不能早于开具日期。')],
                    },
                    managers=[
                        ('internal', django.db.models.manager.Manager()),
                    ],
                ),
            ],
            database_operations=[],
        ),
    ]
