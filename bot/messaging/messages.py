"""A message the bot sends on its own initiative, in plain values any channel can render."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from markupsafe import Markup

from bot.messaging.actions import Action, InvalidAction, parse_action

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Button:
    """An inline button: a typed action routed on when pressed, or a link."""

    label: str
    action: Action | None = None
    url: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file to send: one the bot keeps (`file:<sha256>`, bot.messaging.files), a path, a URL.

    A bare string is a Telegram file id stored before the bot kept its own files.
    """

    kind: str  # photo | document | voice | video | audio
    ref: str
    filename: str | None = None


@dataclass(frozen=True)
class OutgoingMessage:
    """Text, optional attachment and buttons; each channel renders it within its limits.

    `html` says the text is the bot's markup (`bot.messaging.markup`), which a
    `Markup` text always is; otherwise it is plain text, shown as typed (as
    outbox rows written before the markup were).
    """

    text: str
    html: bool = False
    attachment: Attachment | None = None
    buttons: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if isinstance(self.text, Markup) and not self.html:
            object.__setattr__(self, "html", True)

    def to_json(self) -> str:
        data = {
            "text": self.text,
            "html": self.html,
            "attachment": asdict(self.attachment) if self.attachment else None,
            "buttons": [[_button_json(b) for b in row] for row in self.buttons],
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> OutgoingMessage:
        data: dict[str, Any] = json.loads(text)
        attachment = data.get("attachment")
        rows = (tuple(filter(None, map(_button_from_json, row))) for row in data.get("buttons", ()))
        return cls(
            text=data["text"],
            html=data.get("html", False),
            attachment=Attachment(**attachment) if attachment else None,
            buttons=tuple(row for row in rows if row),
        )


# A stored button keeps its action packed under "data": rows written before
# actions existed hold the same strings, and parse the same way.
def _button_json(button: Button) -> dict[str, str | None]:
    data = button.action.pack() if button.action else None
    return {"label": button.label, "data": data, "url": button.url}


def _button_from_json(stored: dict[str, Any]) -> Button | None:
    """The stored button, or None (logged) when its data names no action any more."""
    if not stored.get("data"):
        return Button(stored["label"], url=stored.get("url"))
    try:
        return Button(stored["label"], parse_action(stored["data"]), stored.get("url"))
    except InvalidAction:
        log.warning("dropped a stored button whose action is unknown: %r", stored["data"])
        return None
