"""What the bot sends to an OA follower: plain text within 2,000 characters, an image, query buttons.

Both the application's replies (`request.py`) and the outbox sender
(`channel.py`) send through here, so the two render alike. Buttons become
a template with `oa.query.hide` buttons: pressing one makes the follower
send its payload as text. A button that runs an action carries its
number and its message ("2#417"), kept for each follower's last few
messages (`zalo_oa_choices`), so that text coming back is read as a press
of that very button (`choice`), even under an older message. A number
typed by hand ("2") follows the one rule of every channel without buttons
for everything: the message's actions are the chat's latest list in
`bot.messaging.choices.ChoiceStore`, which `handlers/telegram/choices.py`
reads (a reply without buttons closes it, the outbox's sends leave it
open). A keyboard button carries its own label, as Telegram's do.

Limits checked against public sources: a template's buttons are at most
five (Zalo's consultation-message docs as the SDKs restate them; titles up
to 100 characters, a query payload up to 1,000), so more than five are
listed as numbered lines instead, answered by number the same way. A file
goes as `{"attachment": {"type": "file", "payload": {"token": …}}}` with
the token `upload/file` gave (Zalo's Java SDK, v3/SendFileCSMessage), and
an image as a `media` template whose element names the `attachment_id`
`upload/image` gave (v3/SendImageCSMessage shows the `url` form of it).
"""

from __future__ import annotations

import asyncio
import io
import itertools
import logging
import time
from dataclasses import dataclass
from typing import Any

from bot.core.db import Database
from bot.messaging import markup
from bot.messaging.channels import ZALO_OA_SPEC
from bot.messaging.choices import ChoiceStore
from bot.messaging.files import FileStore, StoredFile
from handlers.telegram.plain_request import keeping
from handlers.zalo_oa.api import IMAGE_LIMIT, TEXT_LIMIT, OAClient

log = logging.getLogger(__name__)

MAX_BUTTONS = 5  # Zalo's consultation template shows at most five buttons
KEPT_LISTS = 20  # the messages with buttons per follower whose buttons still work
EXPIRED = "zalo:expired"  # callback data no feature parses: the router says "no longer valid"
# upload/file takes PDF and Word files of at most 5 MB.
DOCUMENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)
FILE_LIMIT = 5 * 1024 * 1024


@dataclass(frozen=True)
class OAButton:
    """A button: an action (`data`, answered by its number), a link, or a reply text."""

    label: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Choice:
    """A button a follower pressed by sending its number."""

    data: str
    message_id: int


# Message ids the bot's handlers see: Telegram's are numbers, Zalo's are strings.
_message_ids = itertools.count(int(time.time() * 1000))


def next_message_id() -> int:
    return next(_message_ids)


class Outbound:
    """Sends to one follower through the OA client; keeps the numbers of the buttons shown."""

    def __init__(self, client: OAClient, db: Database, files: FileStore) -> None:
        self.client = client
        self.db = db
        self.files = files
        self.choices = ChoiceStore(db, files.clock, ZALO_OA_SPEC.name)  # what a number answers
        self._uploaded: dict[str, str] = {}  # sha256 -> attachment id, for this run
        self._locks: dict[str, asyncio.Lock] = {}

    async def send(
        self,
        user_id: str,
        text: str,
        buttons: list[OAButton] | None = None,
        image: StoredFile | None = None,
        document: StoredFile | None = None,
        *,
        answering: bool = False,
    ) -> int:
        """The image or document first, then the text in parts of at most 2,000 characters,
        buttons on the last. A document the OA cannot carry (not PDF or Word, over 5 MB)
        is left out: its caption goes alone. `answering`: a reply of the application's
        handlers, which closes the chat's open list when it brings none."""
        message_id = next_message_id()
        if image is not None:
            attachment_id = await self._attachment(image)
            await self.client.send(user_id, _media(attachment_id))
        if document is not None and sendable(document):
            token = await self._file_token(document)
            await self.client.send(user_id, _file(token))
        elif document is not None:
            log.warning(
                "Zalo OA cannot send a %s of %d bytes: caption only", document.mime, document.size
            )
        buttons = buttons or []
        if any(b.data is not None for b in buttons):
            await self._remember(user_id, buttons, message_id)
        elif answering and not keeping():
            await self.choices.close(user_id)  # the flow moved on
        if len(buttons) > MAX_BUTTONS:  # listed in the text, which is cut to fit with them
            text, buttons = _listed(text, buttons), []
        parts = _parts(text)
        if buttons and not parts:
            parts = ["…"]  # a template needs a text above its buttons
        for index, part in enumerate(parts):
            if index == len(parts) - 1 and buttons:
                await self.client.send(user_id, _with_buttons(part, buttons, message_id))
            else:
                await self.client.send(user_id, {"text": part})
        return message_id

    async def choice(self, user_id: str, text: str) -> Choice | None:
        """The button a tapped payload ("2#417") presses, on whichever message it was.

        A number typed by hand is no payload: it reaches the application as
        text and answers the latest list (`ChoiceStore`), as on Zalo Bot.
        """
        number, _, shown = text.strip().partition("#")
        if not (number.isdigit() and shown.isdigit()):
            return None
        row = await self.db.fetchone(
            "SELECT data, message_id FROM zalo_oa_choices WHERE user_id = ? AND number = ?"
            " AND message_id = ?",
            (user_id, int(number), int(shown)),
        )
        if row is None:
            return Choice(EXPIRED, int(shown))  # too old to be kept: "no longer valid"
        return Choice(row["data"], int(row["message_id"]))

    async def _remember(self, user_id: str, buttons: list[OAButton], message_id: int) -> None:
        """This message's numbered buttons: the chat's latest list, and, of older
        messages, the last few stay pressable by their payload."""
        actions = [b.data for _n, b in _numbered(buttons) if b.data is not None]
        await self.choices.show(user_id, str(message_id), actions)
        async with self.db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO zalo_oa_choices (user_id, message_id, number, data)"
                " VALUES (?, ?, ?, ?)",
                [
                    (user_id, message_id, number, b.data)
                    for number, b in _numbered(buttons)
                    if b.data is not None
                ],
            )
            await tx.execute(
                "DELETE FROM zalo_oa_choices WHERE user_id = ? AND message_id NOT IN"
                " (SELECT DISTINCT message_id FROM zalo_oa_choices WHERE user_id = ?"
                "  ORDER BY message_id DESC LIMIT ?)",
                (user_id, user_id, KEPT_LISTS),
            )

    async def _attachment(self, image: StoredFile) -> str:
        """Upload a kept image once per run (shrunk under 1 MB when it must be)."""
        known = self._uploaded.get(image.sha256)
        if known is not None:
            return known
        async with self._locks.setdefault(image.sha256, asyncio.Lock()):  # a broadcast's sends wait
            known = self._uploaded.get(image.sha256)
            if known is None:
                data = await self.files.read(image.sha256)
                mime = image.mime if image.mime in ("image/jpeg", "image/png") else "image/jpeg"
                if len(data) > IMAGE_LIMIT:
                    data, mime = await asyncio.to_thread(shrink, data), "image/jpeg"
                name = image.filename or f"{image.sha256[:12]}.jpg"
                known = await self.client.upload_image(data, name, mime)
                self._uploaded[image.sha256] = known
        return known

    async def _file_token(self, document: StoredFile) -> str:
        """Upload a kept PDF or Word file once per run; the token a file message names."""
        key = f"file:{document.sha256}"
        async with self._locks.setdefault(key, asyncio.Lock()):
            known = self._uploaded.get(key)
            if known is None:
                data = await self.files.read(document.sha256)
                name = document.filename or f"{document.sha256[:12]}"
                known = await self.client.upload_file(data, name, document.mime)
                self._uploaded[key] = known
        return known


def sendable(document: StoredFile) -> bool:
    """A PDF or Word file within upload/file's 5 MB: the OA can send it as a file."""
    return document.mime in DOCUMENT_TYPES and document.size <= FILE_LIMIT


def _file(token: str) -> dict[str, Any]:
    return {"attachment": {"type": "file", "payload": {"token": token}}}


def _parts(text: str) -> list[str]:
    """Plain text cut at paragraph, line or sentence ends to Zalo's 2,000 characters."""
    runs = markup.runs_of(text, False)
    return [
        markup.visible(p) for p in markup.split(runs, TEXT_LIMIT, lambda p: len(markup.visible(p)))
    ]


def _numbered(buttons: list[OAButton]) -> list[tuple[int, OAButton]]:
    """Numbers for the buttons that run an action, 1, 2, 3…"""
    actions = [b for b in buttons if b.data is not None]
    return [(number, b) for number, b in enumerate(actions, 1)]


def _listed(text: str, buttons: list[OAButton]) -> str:
    """The text with the buttons as numbered lines (links as a line with the URL)."""
    lines = [f"{n}. {b.label}" for n, b in _numbered(buttons)]
    lines += [f"{b.label}: {b.url}" for b in buttons if b.url]
    return "\n".join([text, "", *lines]) if text else "\n".join(lines)


def _with_buttons(text: str, buttons: list[OAButton], message_id: int) -> dict[str, Any]:
    """A template with query buttons (at most five) under the text."""
    numbers = {id(b): n for n, b in _numbered(buttons)}
    payload = [
        {"title": b.label[:100], "type": "oa.open.url", "payload": {"url": b.url}}
        if b.url
        else {
            "title": b.label[:100],
            "type": "oa.query.hide",
            "payload": f"{numbers[id(b)]}#{message_id}" if b.data is not None else b.label,
        }
        for b in buttons
    ]
    return {"text": text, "attachment": {"type": "template", "payload": {"buttons": payload}}}


def _media(attachment_id: str) -> dict[str, Any]:
    element = {"media_type": "image", "attachment_id": attachment_id}
    return {
        "attachment": {
            "type": "template",
            "payload": {"template_type": "media", "elements": [element]},
        }
    }


def shrink(data: bytes, limit: int = IMAGE_LIMIT) -> bytes:
    """A JPEG of the image under `limit` bytes: smaller and smaller until it fits.

    Pillow comes with matplotlib (the reports' charts).
    """
    from PIL import Image  # only when an image is over the OA's 1 MB

    with Image.open(io.BytesIO(data)) as original:
        image = original.convert("RGB")
    quality, side = 85, max(image.size)
    while True:
        copy = image.copy()
        copy.thumbnail((side, side))
        out = io.BytesIO()
        copy.save(out, "JPEG", quality=quality)
        if out.tell() <= limit or side < 200:
            return out.getvalue()
        side, quality = int(side * 0.8), max(50, quality - 10)
