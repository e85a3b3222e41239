"""Bot API: getMe, webhooks, getUpdates, commands, menu button, chats, files, profile."""

from __future__ import annotations

import re
from typing import Any

from sandbox.commands import scope_key, validate_commands, validate_language
from sandbox.errors import ApiError, bad_request
from sandbox.models import JSON
from sandbox.params import Params
from sandbox.state import SandboxState

WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_pin_messages",
)  # fmt: skip


def get_me(state: SandboxState, p: Params) -> JSON:
    """getMe."""
    return {
        **state.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": not state.privacy_mode,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def accept(state: SandboxState, p: Params) -> bool:
    """logOut, close and other calls that only answer true."""
    return True


def set_webhook(state: SandboxState, p: Params) -> bool:
    """setWebhook: stored; `SandboxServer.deliver_webhook_to` posts the updates."""
    url = p.text("url") or ""
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.text("secret_token") or None
    if secret is not None and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    state.webhook = {"url": url, "has_custom_certificate": False}
    state.webhook_secret = secret if url else None
    if url:
        if p.text("ip_address"):
            state.webhook["ip_address"] = p.text("ip_address")
        state.webhook["max_connections"] = p.integer("max_connections", 40)
        allowed = p.obj("allowed_updates")
        if isinstance(allowed, list):
            state.webhook["allowed_updates"] = allowed
            state.updates.set_allowed(allowed)
    if p.flag("drop_pending_updates"):
        state.updates.pending.clear()
    return True


def delete_webhook(state: SandboxState, p: Params) -> bool:
    """deleteWebhook."""
    state.webhook = {"url": "", "has_custom_certificate": False}
    state.webhook_secret = None
    if p.flag("drop_pending_updates"):
        state.updates.pending.clear()
    return True


def get_webhook_info(state: SandboxState, p: Params) -> JSON:
    """getWebhookInfo."""
    return {**state.webhook, "pending_update_count": len(state.updates.pending)}


async def get_updates(state: SandboxState, p: Params, poller: Any = None) -> list[dict[str, Any]]:
    """getUpdates with offset confirmation, limit and long polling."""
    if state.webhook.get("url"):
        raise ApiError(409, WEBHOOK_CONFLICT)
    allowed = p.obj("allowed_updates")
    if isinstance(allowed, list):
        state.updates.set_allowed([str(a) for a in allowed])
    limit = min(max(p.integer("limit", 100) or 100, 1), 100)
    timeout = max(p.number("timeout", 0.0) or 0.0, 0.0)
    return await state.updates.get(p.integer("offset"), limit, timeout, poller)


def _scope(state: SandboxState, p: Params) -> tuple[Any, str]:
    key = scope_key(p.obj("scope", "BotCommandScope"))
    if key[1] is not None:
        state.find_chat(key[1])
    return key, validate_language(p.text("language_code"))


def set_my_commands(state: SandboxState, p: Params) -> bool:
    """setMyCommands."""
    key, language = _scope(state, p)
    state.commands.set(key, language, validate_commands(p.obj("commands", "commands")))
    return True


def get_my_commands(state: SandboxState, p: Params) -> list[JSON]:
    """getMyCommands: exactly the list stored for that scope and language."""
    key, language = _scope(state, p)
    return [dict(c) for c in state.commands.get(key, language)]


def delete_my_commands(state: SandboxState, p: Params) -> bool:
    """deleteMyCommands."""
    key, language = _scope(state, p)
    state.commands.set(key, language, [])
    return True


def set_chat_menu_button(state: SandboxState, p: Params) -> bool:
    """setChatMenuButton (default button when chat_id is absent)."""
    button = p.obj("menu_button", "menu button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in ("commands", "web_app", "default"):
        raise bad_request("can't parse menu button JSON object")
    if p.has("chat_id"):
        chat = state.find_chat(p.chat_id())
        chat.menu_button = None if button["type"] == "default" else button
    else:
        state.menu_button = {"type": "commands"} if button["type"] == "default" else button
    return True


def get_chat_menu_button(state: SandboxState, p: Params) -> JSON:
    """getChatMenuButton."""
    if p.has("chat_id"):
        chat = state.find_chat(p.chat_id())
        if chat.menu_button is not None:
            return dict(chat.menu_button)
    return dict(state.menu_button)


def get_chat(state: SandboxState, p: Params) -> JSON:
    """getChat: a minimal ChatFullInfo."""
    chat = state.find_chat(p.chat_id())
    return {
        **chat.to_json(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def get_chat_member(state: SandboxState, p: Params) -> JSON:
    """getChatMember: member/kicked/administrator with minimal fields."""
    chat = state.find_chat(p.chat_id())
    user_id = p.require_int("user_id")
    if user_id == state.bot_id:
        user_json: JSON = state.bot_user
        blocked = chat.user is not None and chat.user.blocked
        status = "kicked" if blocked else ("administrator" if user_id in chat.admins else "member")
    else:
        user = state.users.get(user_id)
        if user is None or (chat.user is not None and chat.user.id != user_id):
            raise bad_request("user not found")
        user_json = user.to_json()
        status = "administrator" if user_id in chat.admins else "member"
    member: JSON = {"status": status, "user": user_json}
    if status == "kicked":
        member["until_date"] = 0
    if status == "administrator":
        member.update({"can_be_edited": False, "is_anonymous": False})
        member.update({right: True for right in _ADMIN_RIGHTS})
    return member


def get_file(state: SandboxState, p: Params) -> JSON:
    """getFile: file_path for the download route."""
    rec = state.files.get(p.text("file_id") or "")
    if rec is None:
        raise bad_request("invalid file_id")
    out: JSON = {"file_id": rec.file_id, "file_unique_id": rec.file_unique_id}
    if rec.data is not None:
        out["file_size"] = len(rec.data)
        out["file_path"] = rec.file_path
    return out


def profile_setter(field: str) -> Any:
    """setMyName / setMyDescription / setMyShortDescription."""
    limit = {"name": 64, "description": 512, "short_description": 120}[field]

    def handler(state: SandboxState, p: Params) -> bool:
        value = p.text(field) or ""
        if len(value) > limit:
            raise bad_request(f"{field.upper()}_INVALID")
        state.profile[(field, validate_language(p.text("language_code")))] = value
        return True

    return handler


def profile_getter(field: str) -> Any:
    """getMyName / getMyDescription / getMyShortDescription."""

    def handler(state: SandboxState, p: Params) -> JSON:
        language = validate_language(p.text("language_code"))
        value = state.profile.get((field, language)) or state.profile.get((field, ""), "")
        if field == "name" and not value:
            value = str(state.bot_user["first_name"])
        return {field: value}

    return handler
