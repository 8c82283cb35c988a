"""Encrypt the phone numbers stored in clear before accounts_user.phone became an encrypted column, and fill
their keyed digests (for logging in by phone). Raw SQL: the historical field would try to decrypt clear text."""

from django.db import migrations


def encrypt_phones(apps, schema_editor):
    from zhibu.core import crypto

    table = apps.get_model("accounts", "User")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, phone FROM {table} WHERE phone IS NOT NULL AND phone <> ''")
        rows = cursor.fetchall()
        for pk, phone in rows:
            try:
                crypto.decrypt(phone)
                continue  # already encrypted
            except ValueError:
                pass
            cursor.execute(f"UPDATE {table} SET phone = %s, phone_digest = %s WHERE id = %s",
                           [crypto.encrypt(phone), crypto.digest(phone), pk])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_loginthrottle_passwordhistory_delete_loginfailure_and_more")]

    operations = [migrations.RunPython(encrypt_phones, migrations.RunPython.noop)]
