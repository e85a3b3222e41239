"""A fake Zalo Official Account platform: OAuth v4, the Open API v3 sends, and a signing webhook sender.

Also the article calls (`/v2.0/article/create` answering a token,
`/v2.0/article/verify` answering `data.id`, the article broadcast on
`/v2.0/oa/message`), as Zalo's Java SDK and public clients show them; where
sources disagree (`id` or `article_id`) handlers/zalo_oa/api.py says so.

Shapes follow Zalo's documentation (developers.zalo.me, OA Open API v3 and
OAuth v4): errors come back with HTTP 200 and `{"error": <negative>, "message"}`;
refresh tokens are single-use; `expires_in` is a string. It keeps what it was
sent so tests can assert on it, and serves the images the events point at.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import secrets
import socket
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

ACCESS_LIFE = 90_000  # seconds, as Zalo states it ("expires_in": "90000")
OA_ID = "388613280878808645"


@dataclass
class Sent:
    """One consultation message the OA was asked to send."""

    user_id: str
    message: dict[str, Any]
    access_token: str


@dataclass
class FakeOAState:
    """What the fake knows and what it was asked to do."""

    app_id: str
    app_secret: str
    secret_key: str
    refresh_tokens: set[str] = field(default_factory=set)  # valid, unspent
    spent: list[str] = field(default_factory=list)  # every refresh token presented, in order
    access_tokens: set[str] = field(default_factory=set)
    codes: dict[str, str] = field(default_factory=dict)  # authorisation code -> code challenge
    sent: list[Sent] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)  # attachment_id -> bytes
    images: dict[str, bytes] = field(default_factory=dict)  # served at /images/<name>
    outside_window: set[str] = field(default_factory=set)  # users past the 7 days: -230
    rate_limited: int = 0  # this many next sends answer -32
    hold_refresh: Any = None  # an asyncio.Event: a refresh rotates, then waits for it
    refreshes: int = 0
    names: dict[str, str] = field(default_factory=dict)  # user id -> Zalo display name
    rotated: asyncio.Event = field(default_factory=asyncio.Event)  # set at each refresh
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)  # article id -> body
    article_tokens: dict[str, str] = field(default_factory=dict)  # create's token -> article id
    broadcasts: list[dict[str, Any]] = field(default_factory=list)  # articles sent to followers
    refuse: dict[str, tuple[int, str]] = field(default_factory=dict)  # path -> its next error

    def issue(self) -> tuple[str, str]:
        """A new pair: Zalo's rotation."""
        access, refresh = f"acc-{secrets.token_hex(6)}", f"ref-{secrets.token_hex(6)}"
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        return access, refresh

    def expire_access_tokens(self) -> None:
        """Every access token issued so far now gets -216."""
        self.access_tokens.clear()


class _Base(tornado.web.RequestHandler):
    def initialize(self, state: FakeOAState) -> None:
        self.state = state

    def answer(self, body: dict[str, Any]) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def error(self, code: int, message: str) -> None:
        self.answer({"error": code, "message": message})

    def token_ok(self) -> bool:
        """Zalo's -216 for a missing, unknown or expired access token."""
        if self.request.headers.get("access_token") in self.state.access_tokens:
            return True
        self.error(-216, "Access token is invalid")
        return False


class AccessTokenHandler(_Base):
    async def post(self) -> None:
        state = self.state
        form = {k: v[0].decode() for k, v in self.request.body_arguments.items()}
        if self.request.headers.get("secret_key") != state.app_secret:
            return self.answer({"error": -14002, "error_name": "Invalid app secret"})
        if form.get("app_id") != state.app_id:
            return self.answer({"error": -14001, "error_name": "Invalid app id"})
        if form.get("grant_type") == "refresh_token":
            token = form.get("refresh_token", "")
            state.spent.append(token)
            if token not in state.refresh_tokens:
                return self.answer(
                    {"error": -14014, "error_name": "Invalid refresh token",
                     "error_description": "Refresh token is invalid or expired"}
                )  # fmt: skip
            state.refresh_tokens.discard(token)  # single use
            state.refreshes += 1
            state.rotated.set()
            access, refresh = state.issue()
            if state.hold_refresh is not None:  # rotated: the caller may die before it hears
                await state.hold_refresh.wait()
        elif form.get("grant_type") == "authorization_code":
            challenge = state.codes.pop(form.get("code", ""), None)
            if challenge is None or _challenge(form.get("code_verifier", "")) != challenge:
                return self.answer({"error": -14019, "error_name": "Invalid code or verifier"})
            access, refresh = state.issue()
        else:
            return self.answer({"error": -14003, "error_name": "Invalid grant type"})
        self.answer(
            {"access_token": access, "refresh_token": refresh, "expires_in": str(ACCESS_LIFE)}
        )


class MessageHandler(_Base):
    _ids = itertools.count(1)

    def post(self) -> None:
        if not self.token_ok():
            return
        state = self.state
        try:
            body = json.loads(self.request.body)
            user_id = str(body["recipient"]["user_id"])
            message = body["message"]
        except (ValueError, KeyError, TypeError):
            return self.error(-201, "Parameters are invalid")
        text = message.get("text")
        if text is not None and len(text) > 2000:
            return self.error(-201, "Text is too long")
        if state.rate_limited > 0:
            state.rate_limited -= 1
            return self.error(-32, "Exceeded the limit of requests")
        if user_id in state.outside_window:
            return self.error(-230, "User has not interacted with the OA in the last 7 days")
        state.sent.append(Sent(user_id, message, self.request.headers["access_token"]))
        message_id = f"mid{next(self._ids):06d}"
        self.answer({"error": 0, "message": "Success",
                     "data": {"message_id": message_id, "user_id": user_id}})  # fmt: skip


class UserDetailHandler(_Base):
    def get(self) -> None:
        if not self.token_ok():
            return
        try:
            user_id = str(json.loads(self.get_query_argument("data"))["user_id"])
        except (ValueError, KeyError, TypeError, tornado.web.MissingArgumentError):
            return self.error(-201, "Parameters are invalid")
        name = self.state.names.get(user_id)
        if name is None:
            return self.error(-213, "User has not followed the OA")
        avatar = f"{self.request.protocol}://{self.request.host}/images/avatar-{user_id}.jpg"
        data = {
            "user_id": user_id,
            "user_id_by_app": f"app-{user_id}",
            "display_name": name,
            "user_is_follower": True,
            "avatar": avatar,
            "avatars": {"120": avatar, "240": avatar},
        }
        self.answer({"error": 0, "message": "Success", "data": data})


class UploadImageHandler(_Base):
    def post(self) -> None:
        if not self.token_ok():
            return
        files = self.request.files.get("file")
        if not files:
            return self.error(-201, "Parameters are invalid")
        data = files[0]["body"]
        if len(data) > 1024 * 1024:
            return self.error(-210, "Image is larger than 1 MB")
        attachment_id = f"att-{secrets.token_hex(6)}"
        self.state.uploads[attachment_id] = data
        self.answer({"error": 0, "message": "Success", "data": {"attachment_id": attachment_id}})


class UploadFileHandler(_Base):
    def post(self) -> None:
        if not self.token_ok():
            return
        files = self.request.files.get("file")
        if not files:
            return self.error(-201, "Parameters are invalid")
        if len(files[0]["body"]) > 5 * 1024 * 1024:
            return self.error(-210, "File is larger than 5 MB")
        token = f"tok-{secrets.token_hex(6)}"
        self.state.uploads[token] = files[0]["body"]
        self.answer({"error": 0, "message": "Success", "data": {"token": token}})


def _refused(handler: _Base) -> bool:
    """The error a test set for this path's next call (Zalo's quota, a bad parameter...)."""
    refusal = handler.state.refuse.pop(handler.request.path, None)
    if refusal is not None:
        handler.error(*refusal)
    return refusal is not None


def _article_problem(article: dict[str, Any]) -> str | None:
    """Why `article/create` refuses a normal article (its documented fields and limits)."""
    cover = article.get("cover") or {}
    body = article.get("body") or []
    checks = {
        "type": article.get("type") == "normal",
        "title": 0 < len(str(article.get("title") or "")) <= 150,
        "author": 0 < len(str(article.get("author") or "")) <= 50,
        "description": 0 < len(str(article.get("description") or "")) <= 300,
        "cover": cover.get("cover_type") == "photo"
        and str(cover.get("photo_url", "")).startswith(("http://", "https://")),
        "body": bool(body) and all(b.get("type") == "text" and b.get("content") for b in body),
        "status": article.get("status") in ("show", "hide"),
    }
    return next((name for name, ok in checks.items() if not ok), None)


class ArticleCreateHandler(_Base):
    def post(self) -> None:
        if not self.token_ok() or _refused(self):
            return
        try:
            article = json.loads(self.request.body)
        except ValueError:
            return self.error(-201, "Parameters are invalid")
        problem = _article_problem(article) if isinstance(article, dict) else "body"
        if problem is not None:
            return self.error(-201, f"Parameters are invalid: {problem}")
        token = f"art-tok-{secrets.token_hex(6)}"
        article_id = secrets.token_hex(10)
        self.state.articles[article_id] = article
        self.state.article_tokens[token] = article_id
        self.answer({"error": 0, "message": "Success", "data": {"token": token}})


class ArticleVerifyHandler(_Base):
    def post(self) -> None:
        if not self.token_ok() or _refused(self):
            return
        try:
            article_id = self.state.article_tokens[str(json.loads(self.request.body)["token"])]
        except (ValueError, KeyError, TypeError):
            return self.error(-201, "Token is invalid")
        # `data.id` as Zalo's SDK users read it (one client reads `article_id` instead).
        self.answer({"error": 0, "message": "Success", "data": {"id": article_id}})


class BroadcastHandler(_Base):
    """`/v2.0/oa/message` with a `target`: an article to every follower the target picks."""

    def post(self) -> None:
        if not self.token_ok() or _refused(self):
            return
        try:
            body = json.loads(self.request.body)
            target = body["recipient"]["target"]
            payload = body["message"]["attachment"]["payload"]
            element = payload["elements"][0]
            known = element["attachment_id"] in self.state.articles
        except (ValueError, KeyError, TypeError, IndexError):
            return self.error(-201, "Parameters are invalid")
        if not isinstance(target, dict) or payload.get("template_type") != "media":
            return self.error(-201, "Parameters are invalid")
        if element.get("media_type") != "article" or not known:
            return self.error(-201, "Article is not found")
        self.state.broadcasts.append(body)
        message_id = f"bc{len(self.state.broadcasts):06d}"
        self.answer({"error": 0, "message": "Success", "data": {"message_id": message_id}})


class ImageHandler(_Base):
    def get(self, name: str) -> None:
        data = self.state.images.get(name)
        if data is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "image/jpeg")
        self.finish(data)


def _challenge(verifier: str) -> str:
    import base64

    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signature(app_id: str, body: bytes, timestamp: str, secret_key: str) -> str:
    """The fake's own copy of Zalo's webhook signature (kept apart from the bot's on purpose)."""
    return hashlib.sha256(
        app_id.encode() + body + timestamp.encode() + secret_key.encode()
    ).hexdigest()


class FakeZaloOA:
    """The fake OA on an ephemeral port: `root_url` serves both OAuth and the Open API."""

    def __init__(self, app_id: str = "1234567890", app_secret: str = "app-secret",
                 secret_key: str = "oa-secret-key") -> None:  # fmt: skip
        self.state = FakeOAState(app_id, app_secret, secret_key)
        self._http: tornado.httpserver.HTTPServer | None = None
        self.port = 0
        self._stamps = itertools.count(int(time.time() * 1000))  # Zalo: epoch milliseconds
        self._msg_ids = itertools.count(1)

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        args = {"state": self.state}
        app = tornado.web.Application(
            [
                (r"/v4/oa/access_token", AccessTokenHandler, args),
                (r"/v3.0/oa/message/cs", MessageHandler, args),
                (r"/v2.0/oa/upload/image", UploadImageHandler, args),
                (r"/v3.0/oa/user/detail", UserDetailHandler, args),
                (r"/v2.0/oa/upload/file", UploadFileHandler, args),
                (r"/v2.0/article/create", ArticleCreateHandler, args),
                (r"/v2.0/article/verify", ArticleVerifyHandler, args),
                (r"/v2.0/oa/message", BroadcastHandler, args),
                (r"/images/([^/]+)", ImageHandler, args),
            ],
            log_function=lambda handler: None,
        )
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1", family=socket.AF_INET)
        self.port = sockets[0].getsockname()[1]
        self._http = tornado.httpserver.HTTPServer(app)
        self._http.add_sockets(sockets)

    async def stop(self) -> None:
        if self._http is not None:
            self._http.stop()
            await self._http.close_all_connections()

    def grant_refresh_token(self) -> str:
        """A refresh token as the OA's first authorisation would give (for ZALO_OA_REFRESH_TOKEN)."""
        _, refresh = self.state.issue()
        return refresh

    def authorisation_code(self, code_challenge: str) -> str:
        """What Zalo puts in the redirect after the admin allows the app."""
        code = f"code-{secrets.token_hex(4)}"
        self.state.codes[code] = code_challenge
        return code

    def texts_to(self, user_id: str) -> list[str]:
        return [s.message.get("text", "") for s in self.state.sent if s.user_id == user_id]

    # -- the webhook sender ------------------------------------------------

    def event(self, event_name: str, user_id: str, **fields: Any) -> dict[str, Any]:
        """An event as Zalo shapes it; `fields` adds `message`, `info`..."""
        body: dict[str, Any] = {
            "app_id": self.state.app_id,
            "user_id_by_app": f"app-{user_id}",
            "event_name": event_name,
            "timestamp": str(next(self._stamps)),
        }
        if event_name in ("follow", "unfollow"):
            body.update({"oa_id": OA_ID, "follower": {"id": user_id}, "source": "oa_profile"})
        else:
            body.update({"sender": {"id": user_id}, "recipient": {"id": OA_ID}})
        body.update(fields)
        return body

    def text(self, user_id: str, text: str, msg_id: str | None = None) -> dict[str, Any]:
        msg_id = msg_id or f"msg{next(self._msg_ids):08d}"
        return self.event("user_send_text", user_id, message={"text": text, "msg_id": msg_id})

    def image(self, user_id: str, data: bytes, caption: str = "") -> dict[str, Any]:
        name = f"img{next(self._msg_ids)}.jpg"
        self.state.images[name] = data
        url = f"{self.root_url}/images/{name}"
        attachment = {"type": "image", "payload": {"url": url, "thumbnail": url}}
        message = {"text": caption, "msg_id": f"msg{next(self._msg_ids):08d}",
                   "attachments": [attachment]}  # fmt: skip
        return self.event("user_send_image", user_id, message=message)

    def location(self, user_id: str, latitude: float, longitude: float) -> dict[str, Any]:
        where = {"coordinates": {"latitude": str(latitude), "longitude": str(longitude)}}
        message = {"text": "", "msg_id": f"msg{next(self._msg_ids):08d}",
                   "attachments": [{"type": "location", "payload": where}]}  # fmt: skip
        return self.event("user_send_location", user_id, message=message)

    async def deliver(
        self, url: str, event: dict[str, Any], *, mac: str | None = None, signed: bool = True
    ) -> httpx.Response:
        """POST `event` to the bot's webhook, signed as Zalo signs it (or with `mac`, or not)."""
        body = json.dumps(event, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if signed:
            mac = mac or signature(
                self.state.app_id, body, event["timestamp"], self.state.secret_key
            )
            headers["X-ZEvent-Signature"] = f"mac={mac}"
        async with httpx.AsyncClient() as client:
            return await client.post(url, content=body, headers=headers)
