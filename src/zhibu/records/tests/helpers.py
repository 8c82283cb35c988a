"""Test helpers of the records app: small real files and records made through the service."""

from __future__ import annotations

import io
from datetime import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from zhibu.records import services
from zhibu.records.models import Activity, Attachment
from zhibu.testing import factories as f


def png_bytes(size: tuple[int, int] = (800, 600), color: str = "red") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (640, 480)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, "JPEG")
    return out.getvalue()


def docx_bytes() -> bytes:
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def at(year: int, month: int, day: int, hour: int = 14, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def upload(data: bytes, name: str) -> ContentFile:
    return ContentFile(data, name=name)


def record(
    tree,
    *,
    org=None,
    kind: str = "committee-meeting",
    start: datetime | None = None,
    hours: int = 2,
    attendance=None,
    **fields,
) -> Activity:
    """A record made by branch A's secretary through the service."""
    start = start or at(2023, 3, 6)
    values = {"topic": "三月支委会", "location": "三楼党员活动室"}
    values.update(fields)
    return services.activity_record(
        actor=tree.users.sec_a,
        org=org or tree.a,
        kind=f.kind(kind),
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=hours),
        attendance=attendance or {},
        **values,
    )


def make_attachment(activity: Activity) -> Attachment:
    """An image attachment written directly (test data, no audit)."""
    attachment = Attachment(activity=activity, name="合影.png", content_type="image/png", size=10)
    attachment.file.save("test.png", ContentFile(png_bytes((40, 30))), save=False)
    attachment.thumbnail.save("test-thumb.jpg", ContentFile(jpeg_bytes((40, 30))), save=False)
    attachment.save()
    return attachment
