"""A message the bot sends on its own initiative, in plain values any channel can render."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    """An inline button: `data` is routed on (namespaced, e.g. `case:accept:42`), or a link."""

    label: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file to send: a channel file id, a path on disk, or a URL."""

    kind: str  # photo | document | voice | video | audio
    ref: str
    filename: str | None = None


@dataclass(frozen=True)
class OutgoingMessage:
    """Text (HTML-formatted when `html`), optional attachment and buttons."""

    text: str
    html: bool = False
    attachment: Attachment | None = None
    buttons: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> OutgoingMessage:
        data: dict[str, Any] = json.loads(text)
        attachment = data.get("attachment")
        return cls(
            text=data["text"],
            html=data.get("html", False),
            attachment=Attachment(**attachment) if attachment else None,
            buttons=tuple(tuple(Button(**b) for b in row) for row in data.get("buttons", ())),
        )
