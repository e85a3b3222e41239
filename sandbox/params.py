"""Bot API request parameters: JSON, urlencoded, multipart and query string alike."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sandbox.errors import bad_request


@dataclass(frozen=True, slots=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    body: bytes


class Params:
    """Typed access to request parameters; form values arrive as (JSON-encoded) strings."""

    __slots__ = ("files", "raw")

    def __init__(self, raw: dict[str, Any], files: dict[str, Upload] | None = None) -> None:
        self.raw = raw
        self.files = files or {}

    def __contains__(self, name: str) -> bool:
        return name in self.raw or name in self.files

    def has(self, name: str) -> bool:
        """Whether the parameter was given (and is not JSON null)."""
        return self.raw.get(name) is not None or name in self.files

    def text(self, name: str, default: str | None = None) -> str | None:
        """A string parameter (numbers are stringified, as Telegram does)."""
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value, ensure_ascii=False)

    def integer(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter; a non-integer value is a Bad Request."""
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            try:
                as_float = float(str(value))
            except ValueError:
                raise bad_request(f"invalid {name} specified") from None
            return int(as_float)

    def number(self, name: str, default: float | None = None) -> float | None:
        """A float parameter."""
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean parameter ("true"/"1"/true)."""
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return value != 0
        return str(value).strip().lower() in ("true", "1", "yes", "on")

    def obj(self, name: str, what: str | None = None) -> Any:
        """An object/array parameter, given as JSON text in forms or inline in JSON bodies."""
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {what or name} JSON object") from None
        return value

    def chat_id(self, name: str = "chat_id") -> int | str:
        """A chat id: integer or '@username'; missing is "chat_id is empty"."""
        value = self.raw.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if text.startswith("@"):
            return text
        try:
            return int(text)
        except ValueError:
            raise bad_request("chat not found") from None

    def require_int(self, name: str) -> int:
        """A required integer; missing is "<name> is empty"."""
        value = self.integer(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value
