from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from zhibu.audit import services as audit
from zhibu.core import crypto, filestore
from zhibu.core.command import ZhibuCommand

# Keyed digests computed from an encrypted field: recomputed under the new key.
DIGESTS = {"people.member": {"id_digest": "id_number"}, "accounts.user": {"phone_digest": "phone"}}


class Command(ZhibuCommand):
    help = (
        "轮换数据密钥：先把新密钥设为 ZHIBU_DATA_KEY、旧密钥放入 ZHIBU_DATA_KEY_OLD，再运行 zhibu rotate-key；"
        "全部个人信息用新密钥重新加密、检索摘要重新计算（一个事务内完成），再逐个重新加密上传的文件"
        "（此前未加密的文件一并加密），之后即可删去旧密钥。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--encrypt-files",
            action="store_true",
            help="只加密升级前以明文保存的上传文件（用当前密钥，不需要旧密钥）",
        )

    def handle(self, *args, **options):
        if options["encrypt_files"]:
            files = sum(
                1
                for _label, storage, name in filestore.sealed_files()
                if filestore.reseal(storage, name, clear_only=True)
            )
            audit.log(
                actor=self.actor(options),
                verb="key.rotate_files",
                detail={"files": files, "clear_only": True},
            )
            self.stdout.write(f"已加密 {files} 个此前以明文保存的文件。")
            return
        if not settings.DATA_KEYS_OLD:
            raise CommandError(
                "没有需要轮换的旧密钥：请把旧密钥写入 ZHIBU_DATA_KEY_OLD，新密钥写入 ZHIBU_DATA_KEY"
                "（只加密以明文保存的旧文件请用 --encrypt-files）。"
            )
        counts = {}
        with transaction.atomic():
            for model in apps.get_models():
                fields = [f.name for f in model._meta.fields if isinstance(f, crypto.EncryptedTextField)]
                if not fields:
                    continue
                digests = DIGESTS.get(model._meta.label_lower, {})
                manager = model._base_manager
                count = 0
                for row in manager.only("pk", *fields).iterator(chunk_size=500):
                    values = {name: getattr(row, name) for name in fields}
                    values.update(
                        {d: crypto.digest(values[src]) if values[src] else None for d, src in digests.items()}
                    )
                    manager.filter(pk=row.pk).update(**values)
                    count += 1
                counts[model._meta.label_lower] = count
            audit.log(actor=self.actor(options), verb="key.rotate", detail=counts)
        total = sum(counts.values())
        # Files are replaced one by one, each atomically; until the old key is dropped every file stays
        # readable, so an interrupted run is simply run again.
        files = sum(
            1 for _label, storage, name in filestore.sealed_files() if filestore.reseal(storage, name)
        )
        audit.log(actor=self.actor(options), verb="key.rotate_files", detail={"files": files})
        self.stdout.write(
            f"已用新密钥重新加密 {total} 条记录、{files} 个文件；确认无误后可删去 ZHIBU_DATA_KEY_OLD。"
        )
