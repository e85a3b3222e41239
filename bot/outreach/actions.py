"""The buttons of outreach: citizens browse /news, officers compose and cancel broadcasts."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from bot.messaging.actions import Action, Token

# A library item's id: lowercase letters, digits and -, at most 40 (`library.items`).
ItemId = Annotated[str, Token(40)]


# Citizens: the /news and /models lists, and the items and announcements in them.
class NewsPage(Action, prefix="news:page"):
    kind: str  # "all" (/news) or a library kind (/models)
    offset: int


class NewsOpen(Action, prefix="news:open"):
    item_id: ItemId


class NewsPost(Action, prefix="news:post"):
    broadcast_id: int


# Officers: a scheduled broadcast in /scheduled.
class BroadcastCancel(Action, prefix="bc:cancel"):
    broadcast_id: int


class AudienceChoice(StrEnum):
    EVERYONE = "all"
    VILLAGES = "vil"
    TOPICS = "top"


# The /post composer: every press names the draft, checked to be the officer's and open.
class PostAction(Action):
    draft_id: int


class PostLibrary(PostAction, prefix="post:lib"):
    offset: int


# Three letters: a draft id (up to 19 digits) and an item id (up to 40) leave no more.
class PostItem(PostAction, prefix="pli"):
    item_id: ItemId


class PostTopic(PostAction, prefix="post:topic"):
    topic_id: str | None  # None: no topic


class PostAudience(PostAction, prefix="post:aud"):
    choice: AudienceChoice


class PostToggle(PostAction):
    option: str  # a village's or a topic's id


class PostToggleVillage(PostToggle, prefix="post:tv"):
    pass


class PostToggleTopic(PostToggle, prefix="post:tt"):
    pass


class PostAudienceDone(PostAction, prefix="post:audok"):
    pass


class PostNow(PostAction, prefix="post:now"):
    pass


class PostLater(PostAction, prefix="post:later"):
    pass


class PostConfirm(PostAction, prefix="post:ok"):
    pass


class PostCancel(PostAction, prefix="post:no"):
    pass
