"""Uploaded files at rest: encrypted with the data key, readable by the server's user only.

Every stored upload (activity attachments and their thumbnails, development documents, notice files, photos of
a space) and every file a background job produces (an export) is written through `save` and read back through `load`. On disk a file is MAGIC followed by a Fernet
token made with the same key set as the encrypted fields (core.crypto), so `zhibu rotate-key` re-encrypts the
files together with the fields, and a copy of the media directory is no easier to read than the database.
Files are created with mode 0600 and their directories 0700 (the default storage's options in settings.STORAGES,
applied again here in case a deployment overrides them).

Files stored before encryption was introduced have no MAGIC: they are still served as they are, and
`zhibu rotate-key` (or `reseal`) encrypts them in place. An accepted upload never starts with MAGIC (core.uploads
only accepts known signatures), so the two cannot be confused.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

from django.apps import apps
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

from . import crypto

MAGIC = b"ZHIBU-FILE/1\n"
FILE_MODE = 0o600
DIR_MODE = 0o700

# The model fields whose files are stored through this module: `zhibu rotate-key` walks them.
SEALED_FIELDS = (
    ("records.Attachment", "file"),
    ("records.Attachment", "thumbnail"),
    ("development.Document", "file"),
    ("notices.NoticeFile", "file"),
    ("work.SpacePhoto", "file"),
    ("jobs.Job", "result_file"),  # exports made in the background
)


def seal(data: bytes) -> bytes:
    return MAGIC + crypto.encrypt_bytes(data)


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(MAGIC)


def unseal(blob: bytes) -> bytes:
    """The plain content: decrypted, or as it is for a file written before encryption."""
    if is_sealed(blob):
        return crypto.decrypt_bytes(blob[len(MAGIC) :])
    return blob


def _restrict(storage, name: str) -> None:
    try:
        path = storage.path(name)
    except NotImplementedError:  # a storage without local paths keeps its own permissions
        return
    os.chmod(path, FILE_MODE)
    os.chmod(os.path.dirname(path), DIR_MODE)


def save(field_file: FieldFile, name: str, data: bytes) -> str:
    """Encrypt `data` and store it as the field's file (the model is not saved); return the stored name."""
    field_file.save(name, ContentFile(seal(data)), save=False)
    _restrict(field_file.storage, field_file.name)
    return field_file.name


def load(field_file: FieldFile) -> bytes:
    """The plain content of a stored file; FileNotFoundError if it is gone, ValueError under a wrong key."""
    with field_file.storage.open(field_file.name, "rb") as handle:
        return unseal(handle.read())


def reseal(storage, name: str, *, clear_only: bool = False) -> bool:
    """Re-encrypt one stored file under the current key (encrypting it if it was stored in clear), replacing it
    atomically; False if it was missing (or, with `clear_only`, already encrypted). The old keys
    (ZHIBU_DATA_KEY_OLD) must still be set."""
    try:
        path = storage.path(name)
        with open(path, "rb") as handle:
            blob = handle.read()
    except FileNotFoundError:
        return False
    if clear_only and is_sealed(blob):
        return False
    fresh = MAGIC + (
        crypto.rotate_bytes(blob[len(MAGIC) :]) if is_sealed(blob) else crypto.encrypt_bytes(blob)
    )
    directory = os.path.dirname(path)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".reseal-")  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(fresh)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    os.chmod(directory, DIR_MODE)
    return True


def sealed_files() -> Iterator[tuple[str, object, str]]:
    """(model label, storage, name) of every stored upload, for rotation."""
    for label, field_name in SEALED_FIELDS:
        model = apps.get_model(label)
        field = model._meta.get_field(field_name)
        names = (
            model._base_manager.exclude(**{field_name: ""})
            .values_list(field_name, flat=True)
            .order_by("pk")
            .iterator(chunk_size=500)
        )
        for name in names:
            if name:
                yield model._meta.label_lower, field.storage, name
