"""Chain the entries written before the hash chain existed, oldest first."""

from django.db import migrations


def chain_existing(apps, schema_editor):
    from zhibu.audit import chain

    entries = apps.get_model("audit", "AuditEntry")
    prev = chain.GENESIS
    for entry in entries.objects.order_by("id").iterator(chunk_size=2000):
        entry_hash = chain.digest(entry, prev)
        entries.objects.filter(pk=entry.pk).update(prev_hash=prev, hash=entry_hash)
        prev = entry_hash


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_auditentry_hash_auditentry_prev_hash")]

    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
