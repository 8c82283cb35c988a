"""Writes for notices: publish (with attachments) and mark read."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.audit import services as audit
from zhibu.core import filestore
from zhibu.core import uploads as upload_check
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from .models import Notice, NoticeFile, NoticeRead
from .selectors import get_notice

MAX_FILES = 10
MAX_BYTES = 20 * 1024 * 1024
FILE_TYPES = (
    upload_check.PDF,
    upload_check.DOC,
    upload_check.DOCX,
    upload_check.XLSX,
    upload_check.JPEG,
    upload_check.PNG,
    upload_check.WEBP,
)


def notice_publish(
    *,
    actor,
    org: Organisation,
    title: str,
    body: str,
    deadline=None,
    targets: list[Organisation] | None = None,
    uploads=(),
) -> Notice:
    """Publish to `org`'s whole subtree, or to `targets` (each must lie below `org`). Attachments are checked
    by core.uploads (type from content, whole file parsed) before the write transaction begins."""
    scoping.require(actor, Action.SUPERVISE, org)
    targets = list(targets or [])
    low, high = org.subtree_bounds()
    outside = [t.name for t in targets if not (low < t.path <= high)]
    if outside:
        raise ValidationError({"targets": f"只能发给本级以下的党组织：{'、'.join(outside)}不在其中。"})
    if len(uploads) > MAX_FILES:
        raise ValidationError({"files": f"附件最多 {MAX_FILES} 个。"})
    checked = []
    for upload in uploads:
        try:
            data, kind = upload_check.read(
                upload,
                allowed=FILE_TYPES,
                max_bytes=MAX_BYTES,
                what="PDF、Word、Excel 或图片（JPG、PNG、WebP）",
                noun="附件",
            )
        except upload_check.Refused as exc:
            raise ValidationError(
                {"files": f"附件「{upload_check.clean_name(upload.name)}」：{exc.messages[0]}"}
            ) from exc
        checked.append((upload_check.clean_name(upload.name), kind, data))
    with transaction.atomic():
        return _notice_save(
            actor=actor, org=org, title=title, body=body, deadline=deadline, targets=targets, checked=checked
        )


def _notice_save(
    *, actor, org: Organisation, title: str, body: str, deadline, targets: list[Organisation], checked: list
) -> Notice:
    notice = Notice(
        org=org,
        title=title.strip(),
        body=body.strip(),
        deadline=deadline,
        whole_subtree=not targets,
        published_by=actor,
    )
    notice.full_clean()
    notice.save()
    notice.targets.set(targets)
    for name, kind, data in checked:
        item = NoticeFile(notice=notice, name=name, content_type=kind.content_type, size=len(data))
        filestore.save(item.file, f"file{kind.extension}", data)
        item.save()
    audit.log(
        actor=actor,
        verb="notice.publish",
        target=notice,
        detail={"title": notice.title, "targets": [t.code for t in targets], "files": len(checked)},
    )
    return notice


@transaction.atomic
def notice_mark_read(*, actor, pk: int) -> NoticeRead:
    """The actor's receiving organisation has read the notice; marking twice keeps the first reading."""
    access = get_notice(actor, pk)
    if not access.may_mark or access.reader_org is None:  # may_mark implies a receiving organisation
        raise scoping.NotVisible("不存在或无权访问。")
    existing = NoticeRead.objects.unscoped().filter(notice=access.notice, org=access.reader_org).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            read = NoticeRead.objects.unscoped().create(
                notice=access.notice, org=access.reader_org, read_by=actor
            )
    except IntegrityError:  # someone else of the same branch marked it at the same moment
        return NoticeRead.objects.unscoped().get(notice=access.notice, org=access.reader_org)
    audit.log(actor=actor, verb="notice.read", target=access.notice, org_path=access.reader_org.path)
    return read
