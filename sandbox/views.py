"""ChatMessage: a live, typed view of a stored message for tests."""

from __future__ import annotations

from sandbox.models import JSON, MessageRec

_FILE_KINDS = ("document", "voice", "audio", "video", "animation", "sticker", "video_note")


class ChatMessage:
    """A live view of one message (bot's or user's): edits show up as they happen."""

    __slots__ = ("rec",)

    def __init__(self, rec: MessageRec) -> None:
        self.rec = rec

    @property
    def data(self) -> JSON:
        """The current Telegram JSON of the message."""
        return self.rec.data

    @property
    def message_id(self) -> int:
        """The message id."""
        return self.rec.message_id

    @property
    def kind(self) -> str:
        """ "text", "photo", "document", "voice", "location", ..."""
        return self.rec.kind

    @property
    def parse_mode(self) -> str | None:
        """The parse_mode the bot used (None: plain text)."""
        return self.rec.parse_mode

    @property
    def edit_count(self) -> int:
        """How many times the message was edited."""
        return self.rec.edit_count

    @property
    def deleted(self) -> bool:
        """Whether the message was deleted."""
        return self.rec.deleted

    @property
    def from_bot(self) -> bool:
        """Whether the bot sent it."""
        return self.rec.from_bot

    @property
    def text(self) -> str | None:
        """Message text (entities already parsed out)."""
        return self.rec.data.get("text")

    @property
    def caption(self) -> str | None:
        """Media caption."""
        return self.rec.data.get("caption")

    @property
    def content(self) -> str:
        """Text or caption ('' if neither)."""
        return self.text or self.caption or ""

    @property
    def entities(self) -> list[JSON]:
        """Entities of the text or caption."""
        return list(self.rec.data.get("entities") or self.rec.data.get("caption_entities") or [])

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard rows of (text, callback_data or url)."""
        markup = self.rec.data.get("reply_markup") or {}
        return [
            [(b["text"], b.get("callback_data", b.get("url"))) for b in row]
            for row in markup.get("inline_keyboard", [])
        ]

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """Reply keyboard labels sent with this message, if any."""
        markup = self.rec.keyboard
        if not markup or "keyboard" not in markup:
            return None
        return [[b["text"] for b in row] for row in markup["keyboard"]]

    @property
    def keyboard_markup(self) -> JSON | None:
        """The non-inline reply_markup (keyboard, remove_keyboard or force_reply)."""
        return self.rec.keyboard

    @property
    def file_ids(self) -> list[str]:
        """file_ids of the attached media (photo: every size, smallest first)."""
        data = self.rec.data
        ids = [size["file_id"] for size in data.get("photo", [])]
        ids += [data[k]["file_id"] for k in _FILE_KINDS if k in data]
        return ids

    def __repr__(self) -> str:
        flags = "".join(
            [
                " deleted" if self.deleted else "",
                f" edited×{self.edit_count}" if self.edit_count else "",
            ]
        )
        content = self.content if len(self.content) < 80 else self.content[:77] + "..."
        extra = f" buttons={self.buttons}" if self.buttons else ""
        return f"<#{self.message_id} {self.kind}{flags} {content!r}{extra}>"


BotMessage = ChatMessage
