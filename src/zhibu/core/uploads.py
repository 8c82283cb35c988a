"""Uploaded files, checked strictly, and served safely: the one place that says what a file is.

A file's type is decided from its content alone, never from its name or the browser's content type: the first
bytes must be a known signature AND the whole file must parse as that type (Pillow opens and verifies images,
refusing more pixels than settings.UPLOAD_MAX_IMAGE_PIXELS before decoding any; a PDF has its header and its
end-of-file marker; Word and Excel files are zip packages within the import limits whose content types name
the right main part; an old Word file is an OLE2 container with a WordDocument stream). A file that is also
something else (a JPEG that is also an HTML page) is stored and served as what it was accepted as, with
`X-Content-Type-Options: nosniff`, a sandboxing Content-Security-Policy and a Content-Disposition, so that no
browser renders it as a page.
"""

from __future__ import annotations

import io
import os
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


JPEG = FileType("image/jpeg", ".jpg", "JPEG 照片")
PNG = FileType("image/png", ".png", "PNG 图片")
WEBP = FileType("image/webp", ".webp", "WebP 图片")
GIF = FileType("image/gif", ".gif", "GIF 图片")
PDF = FileType("application/pdf", ".pdf", "PDF 文档")
DOC = FileType("application/msword", ".doc", "Word 文档")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word 文档"
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel 表格")
ALL = (JPEG, PNG, WEBP, GIF, PDF, DOC, DOCX, XLSX)
BY_CONTENT_TYPE = {kind.content_type: kind for kind in ALL}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_MAIN_PART = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_PIL_FORMAT = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", GIF: "GIF"}


class Refused(ValidationError):
    """A file that is not what it must be; the message is Chinese and names what is accepted."""


def by_signature(data: bytes) -> FileType | None:
    """The type the first bytes claim (a zip package claims DOCX until its parts are read), or None. Only a
    first guess: `identify` also checks that the whole file is that type."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(_OLE2):
        return DOC
    if data.startswith(b"PK\x03\x04"):
        return DOCX  # or XLSX: the package decides
    return None


def _image_ok(data: bytes, kind: FileType) -> None:
    from PIL import Image, UnidentifiedImageError

    limit = settings.UPLOAD_MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = limit  # Pillow's own decompression-bomb check uses the same limit
    try:
        with warnings.catch_warnings():
            # Pillow warns between the limit and twice it; the size check below refuses those itself.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        with probe:
            if probe.format != _PIL_FORMAT[kind]:
                raise Refused("图片内容与其格式不符，无法识别。")
            width, height = probe.size
            if width * height > limit:
                raise Refused(
                    f"图片像素过多（{width}×{height}），最多 {limit // 10_000} 万像素，请缩小后再上传。"
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # the whole image decodes
    except Refused:
        raise
    except Image.DecompressionBombError as exc:
        raise Refused(f"图片像素过多，最多 {limit // 10_000} 万像素，请缩小后再上传。") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Refused("图片已损坏或无法识别，请重新拍摄或导出后上传。") from exc


def _pdf_ok(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise Refused("PDF 文件不完整（缺少文件结尾），请重新导出后上传。")


def _package_kind(data: bytes, wanted: Iterable[FileType], refused: str) -> FileType:
    from zhibu.core.tabular.reading import Limits, TooLarge, check_zip

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                check_zip(archive, Limits.from_settings())
            except TooLarge as exc:
                raise Refused(exc.messages[0]) from exc
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                raise Refused(refused)
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            if archive.testzip() is not None:
                raise Refused("文件已损坏，请重新保存后上传。")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, KeyError, OSError) as exc:
        raise Refused(refused) from exc
    for kind in (DOCX, XLSX):
        if kind in wanted and _MAIN_PART[kind] in types:
            return kind
    raise Refused(refused)


def identify(data: bytes, allowed: Iterable[FileType], *, what: str = "") -> FileType:
    """The file's type, from its content, checked by parsing it all; Refused if it is none of `allowed`.
    `what` names the accepted files in the refusal (by default the types' labels)."""
    allowed = tuple(allowed)
    accepted = what or "、".join(dict.fromkeys(kind.label for kind in allowed))
    refused = f"不支持此文件：只能上传{accepted}。系统按文件内容判断类型，改扩展名无效。"
    if not data:
        raise Refused("文件是空的。")
    kind = by_signature(data)
    if kind is DOCX:
        if not any(k in allowed for k in (DOCX, XLSX)):
            raise Refused(refused)
        return _package_kind(data, allowed, refused)
    if kind is None or kind not in allowed:
        raise Refused(refused)
    if kind.is_image:
        _image_ok(data, kind)
    elif kind is PDF:
        _pdf_ok(data)
    elif kind is DOC and _WORD_STREAM not in data:
        raise Refused(refused)  # an Excel or PowerPoint file in the same container
    return kind


def _size_text(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit / 1024:g} KB"


def read(
    upload, *, allowed: Iterable[FileType], max_bytes: int, what: str = "", noun: str = "文件"
) -> tuple[bytes, FileType]:
    """The upload's bytes and its checked type; refused over `max_bytes` without reading further.
    `noun` names the file in the size message ("单个附件不能超过 20 MB")."""
    if upload is None:
        raise Refused("请选择要上传的文件。")
    too_big = f"文件过大：{noun}不能超过 {_size_text(max_bytes)}。"
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise Refused(too_big)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Refused(too_big)
    return data, identify(data, allowed, what=what)


def clean_name(name: str, kind: FileType | None = None) -> str:
    """A file name safe to show and to offer for download: no path, no control characters, at most 200
    characters; with `kind`, its extension is the one the content proved."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if kind is not None:
        stem = base.rsplit(".", 1)[0] if "." in base else base
        base = (stem or "附件")[:190] + kind.extension
    return base[:200] or "附件"


def served_type(stored: str) -> str:
    """The content type to serve a stored file with: only a type this module accepts, else a download."""
    return stored if stored in BY_CONTENT_TYPE else "application/octet-stream"


def harden(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def sniffed_type(data: bytes, stored: str) -> str:
    """The type to serve stored content as: the one recorded at upload (decided from the content by `identify`)
    only when the content's own signature still agrees with it; otherwise a download of unknown type. The
    browser's type is never consulted, neither at upload nor here."""
    recorded = BY_CONTENT_TYPE.get(stored)
    found = by_signature(data)
    if recorded is None or found is None:
        return "application/octet-stream"
    if found is DOCX:  # a zip package: the part list at upload told DOCX from XLSX
        return recorded.content_type if recorded in (DOCX, XLSX) else "application/octet-stream"
    return recorded.content_type if found is recorded else "application/octet-stream"


def serve(field_file, *, content_type: str, filename: str, inline: bool = False) -> FileResponse:
    """Serve a stored upload (core.filestore): decrypted, typed by its content, inline only for an image or a PDF
    (and only when asked), everything else as an attachment; 404 if the file is gone."""
    from django.http import Http404

    from .filestore import load

    try:
        data = load(field_file)
    except FileNotFoundError as exc:
        raise Http404("文件不存在。") from exc
    return file_response(
        io.BytesIO(data), content_type=sniffed_type(data, content_type), filename=filename, inline=inline
    )


def file_response(handle, *, content_type: str, filename: str, inline: bool = False) -> FileResponse:
    """Serve a stored upload: the type decided here, inline only for images and PDF, never sniffed."""
    kind = served_type(content_type)
    inline = inline and (kind.startswith("image/") or kind == PDF.content_type)
    response = FileResponse(handle, content_type=kind, as_attachment=not inline, filename=filename)
    if inline and "Content-Disposition" not in response:
        response["Content-Disposition"] = "inline"
    return harden(response)
