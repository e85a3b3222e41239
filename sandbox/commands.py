"""setMyCommands storage per (scope, language) and Telegram's resolution order."""

from __future__ import annotations

import re
from typing import Any

from sandbox.errors import bad_request

ScopeKey = tuple[str, int | None, int | None]
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
SCOPES = {
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    "chat",
    "chat_administrators",
    "chat_member",
}


def scope_key(scope: Any) -> ScopeKey:
    """Normalise a BotCommandScope object to a hashable key."""
    if scope is None:
        return ("default", None, None)
    if not isinstance(scope, dict) or scope.get("type") not in SCOPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = str(scope["type"])
    chat_id = scope.get("chat_id")
    user_id = scope.get("user_id")
    if kind in ("chat", "chat_administrators", "chat_member"):
        if chat_id is None:
            raise bad_request("chat not found")
        if kind == "chat_member" and user_id is None:
            raise bad_request("user not found")
        return (kind, int(chat_id), int(user_id) if kind == "chat_member" and user_id else None)
    return (kind, None, None)


def validate_language(code: str | None) -> str:
    """'' or a two-letter ISO 639-1 code."""
    if not code:
        return ""
    if not _LANGUAGE.match(code):
        raise bad_request("invalid language code specified")
    return code


def validate_commands(raw: Any) -> list[dict[str, str]]:
    """BotCommand list checks with Telegram's error names."""
    if raw is None:
        raise bad_request('parameter "commands" is required')
    if not isinstance(raw, list) or len(raw) > 100:
        raise bad_request("can't parse commands JSON object")
    result: list[dict[str, str]] = []
    for item in raw:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command = str(item.get("command", "")).strip()
        description = str(item.get("description", "")).strip()
        if command.startswith("/"):
            command = command[1:]
        if not _COMMAND.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        result.append({"command": command, "description": description})
    return result


class CommandStore:
    """Command lists keyed by (scope key, language code)."""

    def __init__(self) -> None:
        self.lists: dict[tuple[ScopeKey, str], list[dict[str, str]]] = {}

    def set(self, key: ScopeKey, language: str, commands: list[dict[str, str]]) -> None:
        """Store (an empty list deletes, as in Telegram)."""
        if commands:
            self.lists[(key, language)] = commands
        else:
            self.lists.pop((key, language), None)

    def get(self, key: ScopeKey, language: str) -> list[dict[str, str]]:
        """Exactly what getMyCommands returns for that scope and language."""
        return list(self.lists.get((key, language), []))

    def resolve(
        self,
        chat_id: int,
        language: str | None,
        private: bool,
        user_id: int | None = None,
        is_admin: bool = False,
    ) -> list[dict[str, str]]:
        """The commands a user sees in a chat, in Telegram's documented precedence."""
        if private:
            scopes: list[ScopeKey] = [
                ("chat", chat_id, None),
                ("all_private_chats", None, None),
                ("default", None, None),
            ]
        else:
            scopes = []
            if user_id is not None:
                scopes.append(("chat_member", chat_id, user_id))
            if is_admin:
                scopes.append(("chat_administrators", chat_id, None))
            scopes.append(("chat", chat_id, None))
            if is_admin:
                scopes.append(("all_chat_administrators", None, None))
            scopes += [("all_group_chats", None, None), ("default", None, None)]
        short = (language or "").split("-")[0].lower()
        languages = [short, ""] if short else [""]
        for scope in scopes:
            for lang in languages:
                found = self.lists.get((scope, lang))
                if found:
                    return list(found)
        return []
