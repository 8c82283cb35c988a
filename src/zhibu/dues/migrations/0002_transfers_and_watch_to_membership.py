"""Transfers, contacts and periods away now belong to the membership app. Their tables stay as they are
(`dues_transfer`, `dues_contactlog`, `dues_mobilerecord`): only Django's record of which app owns them changes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('dues', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='mobilerecord',
                name='member',
            ),
            migrations.RemoveField(
                model_name='transfer',
                name='from_org',
            ),
            migrations.RemoveField(
                model_name='transfer',
                name='issued_by',
            ),
            migrations.RemoveField(
                model_name='transfer',
                name='member',
            ),
            migrations.RemoveField(
                model_name='transfer',
                name='received_by',
            ),
            migrations.RemoveField(
                model_name='transfer',
                name='to_org',
            ),
            migrations.DeleteModel(
                name='ContactLog',
            ),
            migrations.DeleteModel(
                name='MobileRecord',
            ),
            migrations.DeleteModel(
                name='Transfer',
            ),
            ],
            database_operations=[],
        ),
    ]
