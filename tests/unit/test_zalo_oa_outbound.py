"""What the OA is sent: plain text within 2,000, buttons by number, images under 1 MB, one upload."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.core.clock import ManualClock
from bot.core.db import Database
from bot.messaging.files import FileStore
from handlers.zalo_oa.api import IMAGE_LIMIT, OAClient
from handlers.zalo_oa.outbound import EXPIRED, KEPT_LISTS, OAButton, Outbound
from handlers.zalo_oa.tokens import OAuthClient, TokenKeeper, TokenUnavailable
from tests.fakes.zalo_oa import FakeZaloOA

USER = "5812345678901234567"


@pytest.fixture
async def fake() -> AsyncIterator[FakeZaloOA]:
    server = FakeZaloOA()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def outbound(
    db: Database, fake: FakeZaloOA, clock: ManualClock, tmp_path: Path
) -> AsyncIterator[Outbound]:
    async with httpx.AsyncClient() as http:
        state = fake.state
        oauth = OAuthClient(fake.root_url, state.app_id, state.app_secret, http)
        tokens = TokenKeeper(db, oauth, clock)
        await tokens.start(fake.grant_refresh_token())
        files = FileStore(db, tmp_path / "files", clock, 20 << 20)
        yield Outbound(OAClient(fake.root_url, tokens, http), db, files)


async def test_a_long_text_is_split_with_the_buttons_on_the_last_part(
    outbound: Outbound, fake: FakeZaloOA
) -> None:
    paragraph = "Thông báo của xã về lịch tiêm chủng. " * 20
    text = "\n\n".join([paragraph.strip()] * 6)  # about 4,400 characters
    buttons = [OAButton("Đã rõ", data="faq:ok:1"), OAButton("Xem thêm", url="https://x.example")]
    await outbound.send(USER, text, buttons)
    sent = [s.message for s in fake.state.sent]
    assert len(sent) == 3 and all(len(m["text"]) <= 2000 for m in sent)
    assert "".join(m["text"] for m in sent).replace("\n", "") == text.replace("\n", "")
    assert [("attachment" in m) for m in sent] == [False, False, True]
    (ok, link) = sent[-1]["attachment"]["payload"]["buttons"]
    assert ok["title"] == "Đã rõ" and ok["type"] == "oa.query.hide"
    assert ok["payload"].startswith("1#")  # its number, and the message it is under
    assert link == {
        "title": "Xem thêm",
        "type": "oa.open.url",
        "payload": {"url": "https://x.example"},
    }
    listed = await outbound.choices.get(USER)  # what a typed number answers
    assert listed is not None and listed.open
    assert listed.actions == ("faq:ok:1",)  # a link has no number
    tapped = await outbound.choice(USER, ok["payload"])
    assert tapped is not None and tapped.data == "faq:ok:1"
    assert await outbound.choice(USER, "1") is None  # typed: the application's ChoiceStore


async def test_more_buttons_than_a_template_holds_become_numbered_lines(
    outbound: Outbound, fake: FakeZaloOA
) -> None:
    villages = [OAButton(f"Thôn {n}", data=f"onb:v:{n}") for n in range(1, 8)]
    await outbound.send(USER, "Bạn ở thôn nào?", villages)
    (message,) = [s.message for s in fake.state.sent]
    assert "attachment" not in message
    assert message["text"].splitlines()[-1] == "7. Thôn 7"
    listed = await outbound.choices.get(USER)
    assert listed is not None and listed.actions == tuple(f"onb:v:{n}" for n in range(1, 8))
    await outbound.send(USER, "Cảm ơn", [OAButton("Xong", data="onb:done")])
    latest = await outbound.choices.get(USER)  # a newer list replaces it
    assert latest is not None and latest.actions == ("onb:done",) and latest.open


async def test_a_reply_without_buttons_closes_the_list_and_the_outboxs_sends_do_not(
    outbound: Outbound,
) -> None:
    await outbound.send(USER, "Bạn ở thôn nào?", [OAButton("Thôn 1", data="onb:v:1")])
    await outbound.send(USER, "Có tin mới của xã.")  # the outbox's: the list stays
    listed = await outbound.choices.get(USER)
    assert listed is not None and listed.open
    await outbound.send(USER, "Cảm ơn.", answering=True)  # the flow moved on
    closed = await outbound.choices.get(USER)
    assert closed is not None and not closed.open


async def test_an_older_messages_button_still_presses_itself_until_it_expires(
    outbound: Outbound, fake: FakeZaloOA
) -> None:
    await outbound.send(USER, "Tin 1", [OAButton("Đã rõ", data="faq:ok:1")])
    (old,) = fake.state.sent[0].message["attachment"]["payload"]["buttons"]
    await outbound.send(USER, "Tin 2", [OAButton("Đồng ý", data="cons:yes:2")])
    tapped = await outbound.choice(USER, old["payload"])
    assert tapped is not None and tapped.data == "faq:ok:1"  # not the newer list's 1
    for n in range(KEPT_LISTS):
        await outbound.send(USER, f"Tin {n + 3}", [OAButton("Xem", data=f"news:{n}")])
    expired = await outbound.choice(USER, old["payload"])
    assert expired is not None and expired.data == EXPIRED  # the router: "no longer valid"
    kept = await outbound.db.scalar(
        "SELECT COUNT(DISTINCT message_id) FROM zalo_oa_choices WHERE user_id = ?", (USER,)
    )
    assert kept == KEPT_LISTS


async def test_a_large_photo_is_shrunk_under_1_mb_and_uploaded_once(
    outbound: Outbound, fake: FakeZaloOA
) -> None:
    from PIL import Image

    noise = Image.frombytes("RGB", (1200, 1200), os.urandom(1200 * 1200 * 3))
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=95)
    assert out.tell() > IMAGE_LIMIT
    stored = await outbound.files.put(out.getvalue(), "image/jpeg", "road.jpg")
    await outbound.send(USER, "Ảnh hiện trường", image=stored)
    await outbound.send(USER, "Ảnh hiện trường", image=stored)
    ((attachment_id, data),) = fake.state.uploads.items()
    assert len(data) <= IMAGE_LIMIT
    media = [s.message for s in fake.state.sent if "text" not in s.message]
    assert len(media) == 2
    assert all(
        m["attachment"]["payload"]["elements"][0]["attachment_id"] == attachment_id for m in media
    )


async def test_an_unreachable_oauth_server_leaves_the_token_unspent(
    db: Database, clock: ManualClock
) -> None:
    async with httpx.AsyncClient() as http:
        oauth = OAuthClient("http://127.0.0.1:9", "1", "secret", http)  # nothing listens on 9
        tokens = TokenKeeper(db, oauth, clock)
        await tokens.start("ref-unspent")
        with pytest.raises(TokenUnavailable):
            await tokens.access_token()
        assert (await tokens.status()).problem is None
        spending = await db.scalar("SELECT spending FROM zalo_oa_tokens")
        assert spending is None  # nothing left Zalo: it may be sent again


async def test_a_word_report_goes_as_a_file_and_a_zip_as_its_caption_only(
    outbound: Outbound, fake: FakeZaloOA
) -> None:
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    report = await outbound.files.put(b"PK report bytes", docx, "bao-cao.docx")
    await outbound.send(USER, "Báo cáo tháng 3", document=report)
    first, caption = (s.message for s in fake.state.sent)
    token = first["attachment"]["payload"]["token"]
    assert first["attachment"]["type"] == "file" and fake.state.uploads[token] == b"PK report bytes"
    assert caption == {"text": "Báo cáo tháng 3"}
    archive = await outbound.files.put(b"zip bytes", "application/zip", "anh.zip")
    await outbound.send(USER, "Ảnh nén", document=archive)
    assert [s.message for s in fake.state.sent[2:]] == [{"text": "Ảnh nén"}]
