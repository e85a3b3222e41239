"""In-memory file store: file ids, photo sizes, image dimensions, sample media."""

from __future__ import annotations

import base64
import hashlib
import struct
import zlib
from typing import Any

from sandbox.models import FileRec

# Per kind: the folder Telegram uses in file_path, default extension and MIME type.
KINDS: dict[str, tuple[str, str, str]] = {
    "photo": ("photos", "jpg", "image/jpeg"),
    "document": ("documents", "bin", "application/octet-stream"),
    "voice": ("voice", "oga", "audio/ogg"),
    "audio": ("music", "mp3", "audio/mpeg"),
    "video": ("videos", "mp4", "video/mp4"),
    "animation": ("animations", "mp4", "video/mp4"),
    "sticker": ("stickers", "webp", "image/webp"),
    "video_note": ("video_notes", "mp4", "video/mp4"),
}
PHOTO_SIDES = (90, 320, 800, 1280)


def make_png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A small valid PNG of one colour."""
    row = b"\x00" + bytes(rgb) * width
    raw = row * height

    def chunk(tag: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(tag + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


SAMPLE_PNG = make_png()
SAMPLE_OGG = b"OggS\x00\x02" + b"\x00" * 20 + b"sandbox voice"


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, JPEG, GIF or WebP image, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and data[12:16] == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    return None


class FileStore:
    """Files by file_id and by file_path; ids are unique per stored file and size."""

    def __init__(self) -> None:
        self.by_id: dict[str, FileRec] = {}
        self.by_path: dict[str, FileRec] = {}
        self.photo_sets: dict[str, list[dict[str, Any]]] = {}
        self.issued = 0  # file ids given so far: each new one takes the next number

    def restore_issued(self, issued: int) -> None:
        """Continue numbering after `issued` ids (a history was loaded): ids never repeat."""
        self.issued = max(self.issued, issued)

    def _new_id(self, kind: str) -> str:
        self.issued += 1
        number = self.issued
        tail = base64.urlsafe_b64encode(hashlib.sha1(f"{kind}{number}".encode()).digest())
        return f"SBX{kind[:2].upper()}{number:07d}{tail.decode().rstrip('=')}"

    def add(
        self,
        kind: str,
        data: bytes | None,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        url: str | None = None,
        size: tuple[int, int] | None = None,
    ) -> FileRec:
        """Store bytes (or a URL) and give them a new file_id."""
        folder, ext, default_mime = KINDS.get(kind, KINDS["document"])
        file_id = self._new_id(kind)
        digest = hashlib.sha1(data if data is not None else (url or file_id).encode()).digest()
        unique = "SBXU" + base64.urlsafe_b64encode(digest[:9]).decode()
        if file_name and "." in file_name:
            ext = file_name.rsplit(".", 1)[1][:8] or ext
        rec = FileRec(
            file_id=file_id,
            file_unique_id=unique + (f"_{size[0]}" if size else ""),
            kind=kind,
            data=data,
            file_path=f"{folder}/file_{file_id[-12:]}.{ext}",
            mime_type=mime_type or default_mime,
            file_name=file_name,
            url=url,
            width=size[0] if size else None,
            height=size[1] if size else None,
        )
        self.by_id[file_id] = rec
        self.by_path[rec.file_path] = rec
        return rec

    def get(self, file_id: str) -> FileRec | None:
        """The file with that id, if any."""
        return self.by_id.get(file_id)

    def photo_sizes(self, data: bytes | None, url: str | None = None) -> list[dict[str, Any]]:
        """A PhotoSize array like Telegram's: thumbnails up to the original size."""
        dims = image_size(data) if data else None
        width, height = dims if dims and min(dims) > 0 else (1280, 960)
        longest = max(width, height, 1)
        sides = [s for s in PHOTO_SIDES if s < longest] + [min(longest, 2560)]
        result: list[dict[str, Any]] = []
        for side in sides:
            scale = side / longest
            dims = (max(1, round(width * scale)), max(1, round(height * scale)))
            rec = self.add("photo", data, url=url, size=dims, mime_type="image/jpeg")
            result.append(self.describe(rec, photo=True))
        for size in result:
            self.photo_sets[size["file_id"]] = result
        return result

    def describe(self, rec: FileRec, photo: bool = False) -> dict[str, Any]:
        """The file fields of a PhotoSize/Document/Voice/... object."""
        out: dict[str, Any] = {"file_id": rec.file_id, "file_unique_id": rec.file_unique_id}
        if rec.data is not None:
            out["file_size"] = len(rec.data)
        if photo or rec.width is not None:
            out["width"], out["height"] = rec.width or 0, rec.height or 0
        if not photo:
            if rec.file_name:
                out["file_name"] = rec.file_name
            if rec.mime_type and rec.kind not in ("sticker",):
                out["mime_type"] = rec.mime_type
        return out
