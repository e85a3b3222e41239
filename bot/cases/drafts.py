"""The case flows kept in the conversation store: their names, and the form as JSON.

A person's /feedback form, or a text an officer or a citizen is about to
type for a case, is a conversation (`bot.messaging.conversations`), so a
restart loses nothing typed.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bot.cases.model import Contact, Draft, FileRef, Kind, Location, Topic
from bot.messaging.channels import Recipient
from bot.messaging.conversations import ConversationStore

INTAKE = "intake"
OFFICER = "officer"
TRACK = "track"


def draft_to_data(draft: Draft) -> dict[str, Any]:
    return asdict(draft)


def draft_from_data(data: dict[str, Any]) -> Draft:
    """Rebuild a form from its stored JSON; unknown values fall back to the start."""
    loc = data.get("location")
    contact = data.get("contact")
    return Draft(
        step=str(data.get("step", "kind")),
        kind=Kind(data["kind"]) if data.get("kind") else None,
        topic=Topic(data["topic"]) if data.get("topic") else None,
        village_id=data.get("village_id"),
        description=str(data.get("description", "")),
        location=Location(loc["latitude"], loc["longitude"]) if loc else None,
        files=tuple(file_from_data(f) for f in data.get("files", ())),
        contact=Contact(contact["name"], contact["phone"]) if contact else None,
        anonymous=bool(data.get("anonymous", False)),
        consent=bool(data.get("consent", False)),
    )


def file_to_data(file: FileRef) -> dict[str, Any]:
    return asdict(file)


def file_from_data(data: dict[str, Any]) -> FileRef:
    """A file kept in a draft; drafts from before the store have no size."""
    return FileRef(data["kind"], data["ref"], data.get("filename"), int(data.get("size", 0)))


async def erase_draft_contacts(store: ConversationStore, who: Recipient) -> None:
    """Forget a name and phone typed into a form not yet sent (/mydata)."""
    data = await store.get(who, INTAKE)
    if data is not None and data.get("contact"):
        data["contact"] = None
        await store.put(who, INTAKE, data)
