"""A thin client for the OA Open API v3 (httpx), and its one error classifier.

Zalo answers errors with HTTP 200 and `{"error": <negative>, "message": ...}`;
`OAError` carries the code. A call refused with -216 (invalid access token)
gets one refresh (`TokenKeeper.refreshed`) and one retry.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx

from bot.messaging.channels import ZALO_OA_SPEC
from bot.messaging.notify import DeliveryError, Verdict
from handlers.zalo_oa.tokens import ReauthorisationNeeded, TokenKeeper, TokenUnavailable

log = logging.getLogger(__name__)

INVALID_TOKEN = -216
OUTSIDE_WINDOW = -230  # the user has not interacted with the OA in the last 7 days
RATE_LIMIT = -32
BAD_PARAMETER = -201
NOT_FOLLOWING = -213  # the user does not follow the OA (or has unfollowed it)
TEXT_LIMIT = ZALO_OA_SPEC.text_limit  # 2,000 characters a consultation message
IMAGE_LIMIT = 1024 * 1024  # upload/image takes at most 1 MB


class OAError(Exception):
    """Zalo refused the call: `code` is its (negative) error number."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"Zalo OA error {code}: {message}")
        self.code = code
        self.message = message


def classify(exc: BaseException) -> DeliveryError:
    """What the outbox sender makes of a failed OA call: the channel's one error classifier.

    | the OA answers                              | verdict                        |
    |---------------------------------------------|--------------------------------|
    | -216 invalid token, still after a refresh   | DOWN                           |
    | no token pair / refresh token refused       | DOWN (re-authorise the OA)     |
    | -230 no interaction in the last 7 days      | OUTSIDE_WINDOW                 |
    | -213 the user does not follow the OA        | REFUSED                        |
    | -32 rate limit                              | RETRY (no retry_after: see below) |
    | -201 bad parameter, other error codes       | FAILED                         |
    | HTTP 401, 403, 404 (a wrong ZALO_OA_API_URL)| DOWN                           |
    | HTTP other 4xx                              | FAILED                         |
    | HTTP 5xx, timeouts, lost connections        | RETRY                          |
    | OAuth server unreachable during a refresh   | RETRY                          |
    """
    if isinstance(exc, OAError):
        if exc.code == INVALID_TOKEN:
            return DeliveryError(str(exc), Verdict.DOWN)
        # Not blocked: the row ends `outside`, a notification waits for the
        # citizen's next message (bot/messaging/window.py).
        if exc.code == OUTSIDE_WINDOW:
            return DeliveryError(str(exc), Verdict.OUTSIDE_WINDOW)
        if exc.code == NOT_FOLLOWING:
            return DeliveryError(str(exc), Verdict.REFUSED)
        if exc.code == RATE_LIMIT:
            # Not retry_after: that pauses the whole sender, Telegram's rows too.
            return DeliveryError(str(exc), Verdict.RETRY)
        return DeliveryError(str(exc), Verdict.FAILED)
    if isinstance(exc, ReauthorisationNeeded):
        return DeliveryError(str(exc), Verdict.DOWN)
    if isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code < 500:
        status = exc.response.status_code  # 404: a wrong ZALO_OA_API_URL; 401/403: refused
        verdict = Verdict.DOWN if status in (401, 403, 404) else Verdict.FAILED
        return DeliveryError(f"Zalo OA answered HTTP {status}", verdict)
    if isinstance(exc, TokenUnavailable | httpx.HTTPError):
        return DeliveryError(f"Zalo OA unreachable: {exc!r}", Verdict.RETRY)
    return DeliveryError(f"Zalo OA: {exc!r}", Verdict.FAILED)


# What a call to the OA may raise; `classify` says what each means.
FAILURES = (OAError, httpx.HTTPError, ReauthorisationNeeded, TokenUnavailable)


class OAClient:
    """The OA's Open API calls the bot makes, each with a live access token."""

    def __init__(self, api_url: str, tokens: TokenKeeper, http: httpx.AsyncClient) -> None:
        self._url = api_url
        self.tokens = tokens
        self._http = http

    async def send(self, user_id: str, message: dict[str, Any]) -> str:
        """A consultation message (`/v3.0/oa/message/cs`); Zalo's message id."""
        body = {"recipient": {"user_id": user_id}, "message": message}
        data = await self._call("/v3.0/oa/message/cs", json=body)
        return str(data.get("message_id", ""))

    async def upload_image(self, data: bytes, filename: str, mime: str) -> str:
        """An image (at most 1 MB) for a later message; its attachment id."""
        found = await self._call("/v2.0/oa/upload/image", files={"file": (filename, data, mime)})
        return str(found["attachment_id"])

    async def upload_file(self, data: bytes, filename: str, mime: str) -> str:
        """A PDF or Word file (at most 5 MB) for a later message; its token."""
        found = await self._call("/v2.0/oa/upload/file", files={"file": (filename, data, mime)})
        return str(found["token"])

    async def display_name(self, user_id: str) -> str | None:
        """The follower's name as Zalo shows it (`/v3.0/oa/user/detail`), if Zalo gives one.

        As the public clients call it (PHP, Go, Node; the v2 `oa/getprofile`
        of Zalo's Java SDK takes the same `data`): GET with `data={"user_id": …}`
        in the query, answering `data.display_name`, `data.user_is_follower`,
        `data.avatars` ({"120": url, "240": url}) among others.
        """
        query = {"data": json.dumps({"user_id": user_id})}
        data = await self._call("/v3.0/oa/user/detail", method="GET", params=query)
        name = data.get("display_name")
        return str(name) if name else None

    async def create_article(self, article: dict[str, Any]) -> str:
        """A new article (`/v2.0/article/create`); Zalo makes it later: the token to verify."""
        return str((await self._call("/v2.0/article/create", json=article))["token"])

    async def verify_article(self, token: str) -> str:
        """The id of the article a create's token made (`/v2.0/article/verify`).

        Sources disagree on the field: Zalo's Java SDK users and most clients
        read `data.id`, one reads `data.article_id`: either is taken.
        """
        data = await self._call("/v2.0/article/verify", json={"token": token})
        found = data.get("id") or data.get("article_id")
        if not found:
            raise OAError(BAD_PARAMETER, "article/verify gave no article id")
        return str(found)

    async def broadcast_article(self, article_id: str) -> str:
        """Send an article to all the OA's followers (`/v2.0/oa/message`, an empty target)."""
        element = {"media_type": "article", "attachment_id": article_id}
        payload = {"template_type": "media", "elements": [element]}
        body = {
            "recipient": {"target": {}},
            "message": {"attachment": {"type": "template", "payload": payload}},
        }
        return str((await self._call("/v2.0/oa/message", json=body)).get("message_id", ""))

    async def get(self, url: str) -> bytes:
        """The bytes behind a URL an event carries (Zalo's image URLs expire: fetch at once)."""
        response = await self._http.get(url, follow_redirects=True)
        response.raise_for_status()
        return response.content

    async def _call(self, path: str, method: str = "POST", **request: Any) -> dict[str, Any]:
        token = await self.tokens.access_token()
        try:
            return await self._once(token, method, path, request)
        except OAError as exc:
            if exc.code != INVALID_TOKEN:
                raise
            log.info("Zalo OA refused the access token (-216): refreshing once")
        return await self._once(await self.tokens.refreshed(token), method, path, request)

    async def _once(
        self, token: str, method: str, path: str, request: dict[str, Any]
    ) -> dict[str, Any]:
        response = await self._http.request(
            method, f"{self._url}{path}", headers={"access_token": token}, **request
        )
        response.raise_for_status()  # 5xx and other statuses: the classifier says RETRY
        try:
            body = response.json()
        except json.JSONDecodeError as exc:
            raise httpx.DecodingError(f"not JSON from {path}") from exc
        code = int(body.get("error", 0) or 0)
        if code != 0:
            raise OAError(code, str(body.get("message", "")))
        data = body.get("data")
        return data if isinstance(data, dict) else {}
