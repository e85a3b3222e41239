"""Each broadcast also as an OA article sent to all the OA's followers (ZALO_OA_PUBLISH_ARTICLES=1).

```mermaid
flowchart LR
  tick[every few seconds] --> claim{a broadcast sending since<br>the feed opened, not claimed?}
  claim -- no --> wait[wait]
  claim -- "buttons, or not for everyone" --> skip[skipped]
  claim -- yes --> quota{published this month<br>below ZALO_OA_ARTICLE_QUOTA?}
  quota -- no --> q[quota: the officer is told]
  quota -- yes --> create[article/create: token] --> verify[article/verify: id] --> send[oa/message to all followers]
  send --> done[published: the officer is told]
  create & verify & send -- refused --> failed[failed, with Zalo's reason: the officer is told]
```

What the public sources show (Zalo's Java SDK `zaloplatform/zalo-java-sdk`,
its tests CreateNormalArticle, GetArticleId, v3/SendBroadcastMessage; Node
and PHP clients of the same endpoints): `POST /v2.0/article/create` takes
`type: normal`, `title` (≤150), `author` (≤50), `cover` (`cover_type: photo`
with a public `photo_url`), `description` (≤300), `body` items
(`{type: text, content}`), `status: show`, `comment`; it answers a `token`,
as Zalo builds the article later. `POST /v2.0/article/verify` with that token
answers the article's id (`data.id`; one client reads `data.article_id`). A
broadcast is `POST /v2.0/oa/message` with `recipient.target` (empty: every
follower) and a `media` template whose element is `{media_type: article,
attachment_id: <article id>}`; Zalo reviews it (about 30 minutes) before it
goes out. Quotas (Zalo OA's help pages): a follower receives at most 1 (basic
package) to 4 (verified, advanced) or 6 (premium) broadcasts a month and 1 a
day; the OA's own monthly count depends on its package and resets on the day
it was bought. The bot counts by calendar month (ZALO_OA_ARTICLE_QUOTA) and
reports Zalo's own refusal as it comes: no source names its error code.

Nothing here touches the per-citizen outbox: its rows are sent, counted and
reported as ever, whatever becomes of the article.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import textwrap

from bot.core.config import ZaloOASettings
from bot.messaging import markup
from bot.messaging.channels import ZALO_OA_SPEC
from bot.messaging.messages import OutgoingMessage
from bot.outreach.publications import FAILED, PUBLISHED, QUOTA, SKIPPED
from bot.services import Services
from handlers.outreach.admin import tell_publication
from handlers.zalo_oa.api import FAILURES, OAClient, OAError

log = logging.getLogger(__name__)

CHECK_EVERY = 2.0  # seconds between looks for a broadcast to publish
VERIFY_TRIES, VERIFY_PAUSE = 5, 2.0  # Zalo makes the article a moment after the create
TITLE, AUTHOR, DESCRIPTION = 150, 50, 300  # Zalo's limits, in characters


class ArticlePublisher:
    """Publishes each new broadcast as an OA article, one at a time, within the monthly quota."""

    def __init__(self, client: OAClient, services: Services, config: ZaloOASettings) -> None:
        self._client = client
        self._svc = services
        self._config = config
        self._channel = ZALO_OA_SPEC.name

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until `stop` is set; with the setting off, close the feed and return."""
        publications = self._svc.publications
        if not self._config.publish_articles:
            await publications.close_feed(self._channel)
            return
        await publications.open_feed(self._channel)
        while not stop.is_set():
            try:
                while (broadcast_id := await publications.claim_next(self._channel)) is not None:
                    await self.publish(broadcast_id)
            except Exception:  # a bug must not end publishing: the claim shows it failed
                log.exception("publishing OA articles failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), CHECK_EVERY)

    async def publish(self, broadcast_id: int) -> None:
        """Publish one claimed broadcast and tell its author what became of it."""
        broadcast = await self._svc.broadcasts.get(broadcast_id)
        message = broadcast.message if broadcast is not None else None
        # The OA's broadcast reaches every follower: a post for some villages or
        # topics is not for them all, and an invitation to vote (buttons) no article.
        if message is None or message.buttons or broadcast is None or broadcast.audience.ids:
            await self._svc.publications.finish(broadcast_id, self._channel, SKIPPED)
            return
        used = await self._svc.publications.published_this_month(self._channel)
        quota = self._config.article_quota
        if used >= quota:
            state, detail, ref = QUOTA, f"{used}/{quota}", None
        else:
            try:
                ref = await self._published(message)
                state, detail = PUBLISHED, f"{used + 1}/{quota}"
            except FAILURES as exc:
                log.warning("broadcast %d not published as an OA article: %s", broadcast_id, exc)
                state, detail, ref = FAILED, str(exc), None
        await self._svc.publications.finish(broadcast_id, self._channel, state, detail, ref)
        await tell_publication(self._svc, broadcast_id)

    async def _published(self, message: OutgoingMessage) -> str:
        """Create, verify and broadcast the article; its id."""
        token = await self._client.create_article(self.article(message))
        article_id = await self._verified(token)
        await self._client.broadcast_article(article_id)
        return article_id

    async def _verified(self, token: str) -> str:
        """The article's id, asked again a few times while Zalo is still making it."""
        for _attempt in range(VERIFY_TRIES - 1):
            with contextlib.suppress(OAError):
                return await self._client.verify_article(token)
            await asyncio.sleep(VERIFY_PAUSE)
        return await self._client.verify_article(token)  # its refusal is the outcome

    def article(self, message: OutgoingMessage) -> dict[str, object]:
        """The post as a normal article: first line the title, paragraphs the body."""
        text = markup.to_plain(message.text) if message.html else str(message.text)
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()] or ["…"]
        title = " ".join(paragraphs[0].splitlines()[0].split())
        return {
            "type": "normal",
            "title": textwrap.shorten(title, TITLE, placeholder="…"),
            "author": textwrap.shorten(self._svc.settings.commune_name, AUTHOR, placeholder="…"),
            "cover": {
                "cover_type": "photo",
                "photo_url": self._config.article_cover_url,
                "status": "show",
            },
            "description": textwrap.shorten(" ".join(text.split()), DESCRIPTION, placeholder="…"),
            "body": [{"type": "text", "content": p} for p in paragraphs],
            "status": "show",
            "comment": "hide",  # answers come by message, where officers see them
        }
