"""A Zalo OA follower against the real bot: the fake OA posts signed events, the bot answers through it."""

from __future__ import annotations

import asyncio
import hashlib
import re
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
from telegram.ext import CallbackContext

from bot.core.clock import ManualClock, to_db
from bot.core.config import Settings, ZaloOASettings
from bot.messaging.channels import Recipient
from bot.messaging.messages import Attachment, OutgoingMessage
from bot.outreach.audience import Audience
from bot.people.officers import Role
from handlers.telegram import words
from handlers.telegram.channel import reply_channel
from handlers.telegram.launcher import serve_channels
from handlers.zalo_oa.app import RunningOA, serve_oa
from sandbox import SandboxServer
from tests.e2e.cases_steps import CODE_RE
from tests.e2e.conftest import RunningBot, StartBot, add_officer, drained
from tests.e2e.outreach import copies, seed_citizens
from tests.fakes.zalo_oa import FakeZaloOA, Sent

LAN = "5812345678901234567"  # Zalo ids are long digit strings
SILENT = "5812345678901234999"  # a follower who never wrote to the OA


@pytest.fixture
async def fake_oa() -> AsyncIterator[FakeZaloOA]:
    fake = FakeZaloOA()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def bot_settings(settings: Settings, sandbox: SandboxServer, fake_oa: FakeZaloOA) -> Settings:
    return oa_settings(settings, sandbox, fake_oa)


def oa_settings(
    settings: Settings, sandbox: SandboxServer, fake_oa: FakeZaloOA, **oa_options: Any
) -> Settings:
    """The Telegram bot against the sandbox, its Zalo OA against the fake."""
    state = fake_oa.state
    oa = ZaloOASettings(
        app_id=state.app_id,
        app_secret=state.app_secret,
        secret_key=state.secret_key,
        api_url=fake_oa.root_url,
        oauth_url=fake_oa.root_url,
        webhook_listen="127.0.0.1",
        webhook_port=0,
        refresh_token=fake_oa.grant_refresh_token(),
        **oa_options,
    )
    return replace(settings, bot_token=sandbox.token, bot_api_url=sandbox.root_url, zalo_oa=oa)


@dataclass
class OA:
    """The running bot, its OA channel and the fake OA, with a follower's moves."""

    bot: RunningBot
    running: RunningOA
    fake: FakeZaloOA

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.running.webhook.port}/zalo/oa"

    async def post(self, event: dict[str, Any], **options: Any) -> int:
        return (await self.fake.deliver(self.url, event, **options)).status_code

    async def says(self, user_id: str, text: str) -> None:
        assert await self.post(self.fake.text(user_id, text)) == 200

    async def reply(self, user_id: str, check: Callable[[str], bool], after: int = 0) -> Sent:
        """The first message to `user_id` from the `after`-th on whose text passes `check`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while True:
            for sent in self.fake.state.sent[after:]:
                if sent.user_id == user_id and check(sent.message.get("text", "")):
                    return sent
            if loop.time() > deadline:
                texts = self.fake.texts_to(user_id)
                raise AssertionError(f"no such message to {user_id}; got {texts}")
            await asyncio.sleep(0.02)

    async def press(self, user_id: str, label: str, shown: Sent) -> None:
        """Tap the button `label` of a message (Zalo sends its payload back as text), or
        answer with the number of the line `label` where the choices came as lines."""
        payload = shown.message.get("attachment", {}).get("payload", {})
        found = [b["payload"] for b in payload.get("buttons", []) if b["title"] == label]
        lines = shown.message.get("text", "").splitlines()
        found += [line.split(". ", 1)[0] for line in lines if line.endswith(f". {label}")]
        assert len(found) == 1, f"no button {label!r} in {shown.message}"
        await self.says(user_id, found[0])

    async def step(self, user_id: str, label: str, shown: Sent, then: str) -> Sent:
        """Press `label` and wait for the message containing `then`."""
        after = len(self.fake.state.sent)
        await self.press(user_id, label, shown)
        return await self.reply(user_id, lambda t: then in t, after)


@pytest.fixture
async def oa(start_bot: StartBot, bot_settings: Settings, clock: ManualClock, fake_oa: FakeZaloOA) -> AsyncIterator[OA]:  # fmt: skip
    bot = await start_bot()
    stop = asyncio.Event()
    started: asyncio.Queue[RunningOA] = asyncio.Queue()
    task = asyncio.create_task(serve_oa(bot_settings, bot.services, stop, clock, started))
    waiter = asyncio.create_task(started.get())
    await asyncio.wait({waiter, task}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
    if not waiter.done():
        waiter.cancel()
        task.result() if task.done() else None
        raise AssertionError("the OA channel did not start")
    yield OA(bot, waiter.result(), fake_oa)
    stop.set()
    await asyncio.wait_for(task, 10)


def button_titles(sent: Sent) -> list[str]:
    payload = sent.message.get("attachment", {}).get("payload", {})
    return [b["title"] for b in payload.get("buttons", [])]


SLASH_COMMAND = re.compile(rf"(?<![\w/.:])/({'|'.join(w.command for w in words.WORDS)})\b")


async def test_a_follow_starts_onboarding_and_buttons_answer_by_number(oa: OA) -> None:
    oa.fake.state.names[LAN] = "Lan Nguyễn"
    assert await oa.post(oa.fake.event("follow", LAN)) == 200
    greeting = await oa.reply(LAN, lambda t: "Xin chào" in t)
    assert "Tân Việt" in greeting.message["text"] and "<" not in greeting.message["text"]
    assert "Tiếng Việt" in button_titles(greeting)
    types = {b["type"] for b in greeting.message["attachment"]["payload"]["buttons"]}
    assert types == {"oa.query.hide"}
    await oa.press(LAN, "Tiếng Việt", greeting)
    await oa.reply(LAN, lambda t: "thôn nào" in t)
    # A button whose message is too old to be kept: told so, as a message (no toasts).
    await oa.says(LAN, "1#12345")
    await oa.reply(LAN, lambda t: t.startswith("Nút này không còn hiệu lực"))
    citizen = await oa.bot.services.citizens.get(Recipient("zalo_oa", LAN))
    assert citizen is not None and citizen.language == "vi"
    assert citizen.display_name == "Lan Nguyễn"  # from Zalo's profile: events carry no name


async def test_a_question_gets_the_faq_answer(oa: OA) -> None:
    await oa.says(LAN, "lam giay khai sinh cho con can giay to gi")
    answer = await oa.reply(LAN, lambda t: t.startswith("❓ Đăng ký khai sinh"))
    assert "Giấy chứng sinh" in answer.message["text"]


async def test_an_image_is_kept_by_the_bot_when_it_arrives(oa: OA) -> None:
    data = b"\xff\xd8\xff\xe0 a photo of the road " * 50
    event = oa.fake.image(LAN, data)
    assert await oa.post(event) == 200
    sha256 = hashlib.sha256(data).hexdigest()
    stored = await _until(lambda: oa.bot.services.files.get(sha256))
    # Zalo's URL expires; the bot has its own copy, for an officer on any channel.
    oa.fake.state.images.clear()
    assert stored.mime == "image/jpeg"
    assert await oa.bot.services.files.read(sha256) == data


async def test_forged_and_unsigned_calls_change_nothing(oa: OA) -> None:
    forged = oa.fake.text(LAN, "/start")
    assert await oa.post(forged, mac="0" * 64) == 403
    assert await oa.post(oa.fake.text(LAN, "/start"), signed=False) == 200
    # Not taken in: the same event, correctly signed now, is new to the bot.
    await oa.says(LAN, "lam giay khai sinh cho con can giay to gi")  # the marker
    await oa.reply(LAN, lambda t: t.startswith("❓ Đăng ký khai sinh"))
    assert not any("Xin chào" in t for t in oa.fake.texts_to(LAN))
    keys = await oa.bot.services.db.fetchall("SELECT key FROM zalo_oa_events")
    assert len(keys) == 1
    assert await oa.bot.services.citizens.get(Recipient("zalo_oa", LAN)) is None


async def test_a_duplicate_delivery_creates_one_case(oa: OA) -> None:
    question = "Khi nào đường liên thôn được đổ bê tông?"
    await oa.says(LAN, question)
    offer = await oa.reply(LAN, lambda t: "chưa có sẵn câu trả lời" in t)
    await oa.press(LAN, "📨 Gửi cho cán bộ xã", offer)
    await oa.reply(LAN, lambda t: "Nội dung sẽ gửi tới cán bộ xã" in t)
    # What the citizen types is added to the question: Zalo delivers it twice.
    more = oa.fake.text(LAN, "Đoạn từ thôn Tân Hưng đi thôn Đồng Tâm.")
    assert await oa.post(more) == 200
    assert await oa.post(more) == 200
    preview = await oa.reply(LAN, lambda t: "Đoạn từ thôn Tân Hưng" in t)
    assert preview.message["text"].count("Đoạn từ thôn Tân Hưng") == 1
    (payload,) = [
        b["payload"]
        for b in preview.message["attachment"]["payload"]["buttons"]
        if b["title"] == "📨 Gửi"
    ]
    send = oa.fake.text(LAN, payload)
    assert await oa.post(send) == 200
    assert await oa.post(send) == 200  # Zalo retries the press too
    await oa.reply(LAN, lambda t: "Mã tra cứu: PA-" in t)
    await oa.says(LAN, "lam giay khai sinh cho con can giay to gi")  # the marker
    await oa.reply(LAN, lambda t: t.startswith("❓ Đăng ký khai sinh"))
    (case,) = await oa.bot.services.cases.my_cases(Recipient("zalo_oa", LAN))
    assert case.description.count("Đoạn từ thôn Tân Hưng") == 1


async def test_an_expired_token_is_refreshed_once_and_the_reply_goes(oa: OA) -> None:
    await oa.says(LAN, "lam giay khai sinh cho con can giay to gi")
    await oa.reply(LAN, lambda t: t.startswith("❓ Đăng ký khai sinh"))
    refreshes = oa.fake.state.refreshes
    oa.fake.state.expire_access_tokens()  # Zalo now answers -216 to the token in use
    after = len(oa.fake.state.sent)
    await oa.says(LAN, "lam giay khai sinh cho con can giay to gi")
    await oa.reply(LAN, lambda t: t.startswith("❓ Đăng ký khai sinh"), after)
    assert oa.fake.state.refreshes == refreshes + 1
    assert len(set(oa.fake.state.spent)) == len(oa.fake.state.spent)


async def _until(found: Callable[[], Any]) -> Any:
    """Wait for an awaitable lookup to find something (the event is processed after the 200)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while (result := await found()) is None:
        if loop.time() > deadline:
            raise AssertionError("not found in time")
        await asyncio.sleep(0.02)
    return result


async def test_feedback_with_a_photo_reaches_a_telegram_officer_whose_answer_reaches_zalo(
    oa: OA, sandbox: SandboxServer, settings: Settings, clock: ManualClock
) -> None:
    await add_officer(oa.bot.settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    hoa = sandbox.user(2001, first_name="Hoa")
    await oa.says(LAN, "/feedback")
    kind = await oa.reply(LAN, lambda t: "Bạn muốn gửi gì" in t)
    topic = await oa.step(LAN, "Phản ánh", kind, "lĩnh vực nào")
    village = await oa.step(LAN, "Đường sá, hạ tầng", topic, "thôn nào")
    await oa.step(LAN, "Thôn Tân Hưng", village, "Xin mô tả bằng lời của bạn")
    await oa.says(LAN, "Đoạn đường qua cổng trường bị sụt lún.")
    await oa.reply(LAN, lambda t: "Bạn có thể gửi thêm" in t)
    photo = b"\xff\xd8\xff\xe0 the road " * 40
    assert await oa.post(oa.fake.image(LAN, photo)) == 200
    await oa.reply(LAN, lambda t: t.startswith("Đã nhận: 1 ảnh."))
    assert await oa.post(oa.fake.location(LAN, 21.03, 105.85)) == 200
    added = await oa.reply(LAN, lambda t: t.startswith("Đã nhận: 1 ảnh,"))
    consent = await oa.step(LAN, "Tiếp tục ➡️", added, "không bao giờ công khai")
    await oa.step(LAN, "✅ Tôi đồng ý", consent, "Bấm nút bên dưới")
    await oa.says(LAN, "Nguyễn Thị Lan 0987 654 321")
    review = await oa.reply(LAN, lambda t: "Xin kiểm tra lại" in t)
    assert "Vị trí: có" in review.message["text"]  # the pin sent above
    done = await oa.step(LAN, "✅ Gửi", review, "Mã tra cứu: PA-")
    found = CODE_RE.search(done.message["text"])
    assert found is not None
    code = found.group()

    card = await hoa.wait_for(contains=code)
    assert "Nguyễn Thị Lan" in card.text and "maps.google.com" in card.text
    assert LAN not in card.text  # never the citizen's Zalo id
    shown = await hoa.wait_for(lambda m: m.kind == "photo" and code in m.content)
    assert shown is not None
    await hoa.press("Trả lời", card)
    await hoa.wait_for(contains="Gửi nội dung trả lời")
    await hoa.send("Tuần sau xã sẽ sửa đoạn đường này.")
    await hoa.press("Gửi câu trả lời")
    await hoa.wait_for(contains="Đã gửi câu trả lời")
    answer = await oa.reply(LAN, lambda t: "Tuần sau xã sẽ sửa" in t)
    assert code in answer.message["text"] and "<" not in answer.message["text"]
    # The answer came through the outbox, its buttons too: pressed by number.
    rate = await oa.step(LAN, "✅ Đã rõ", answer, "Chấm từ 1 đến 5")
    await oa.press(LAN, "⭐⭐⭐⭐", rate)
    await hoa.wait_for(contains="Công dân đã đánh giá")
    case = await oa.bot.services.cases.repo.by_code(code)
    assert case is not None and case.rating == 4
    # Zalo users type no slashes: the handlers' replies and the outbox's answer
    # name commands by their words ("gửi “tra cứu” PA-…").
    texts = oa.fake.texts_to(LAN)
    assert any("“tra cứu”" in t for t in texts), texts
    assert not [t for t in texts if SLASH_COMMAND.search(t)]


async def test_outside_the_window_the_citizen_waits_until_they_write_again(oa: OA) -> None:
    """-230 (no interaction for 7 days): not sent, not retried, not blocked; the message
    waits and goes when the citizen writes again, after the notice that it waited."""
    assert await oa.post(oa.fake.event("follow", LAN)) == 200
    await oa.reply(LAN, lambda t: "Xin chào" in t)
    lan = Recipient("zalo_oa", LAN)
    oa.fake.state.outside_window.add(LAN)
    await oa.bot.services.notifier.notify(lan, OutgoingMessage("Thông báo của xã"))
    await drained(oa.bot)
    citizen = await oa.bot.services.citizens.get(lan)
    assert citizen is not None and not citizen.blocked
    assert "Thông báo của xã" not in oa.fake.texts_to(LAN)
    assert await oa.bot.services.outbox.held(lan) == 1
    oa.fake.state.outside_window.discard(LAN)
    await oa.says(LAN, "lam giay khai sinh cho con can giay to gi")
    await oa.reply(LAN, lambda t: t.startswith("❓ Đăng ký khai sinh"))
    await oa.reply(LAN, lambda t: "Thông báo của xã" in t)
    texts = oa.fake.texts_to(LAN)
    notice = texts.index("Bạn có 1 câu trả lời đang chờ:")
    assert notice < texts.index("Thông báo của xã") and texts.count("Thông báo của xã") == 1


async def test_the_composition_root_runs_the_oa_beside_telegram(
    bot_settings: Settings, fake_oa: FakeZaloOA, sandbox: SandboxServer
) -> None:
    with socket.socket() as probe:  # a free port for the OA's webhook
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert bot_settings.zalo_oa is not None
    settings = replace(bot_settings, zalo_oa=replace(bot_settings.zalo_oa, webhook_port=port))
    stop = asyncio.Event()
    task = asyncio.create_task(serve_channels(settings, stop, poll_timeout=1))
    try:
        url = f"http://127.0.0.1:{port}/zalo/oa"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while True:  # the webhook listens once Telegram has opened the services
            try:
                status = (await fake_oa.deliver(url, fake_oa.event("follow", LAN))).status_code
                break
            except httpx.ConnectError:
                assert not task.done() and loop.time() < deadline, "the OA did not start"
                await asyncio.sleep(0.05)
        assert status == 200
        lan_on_telegram = sandbox.user(1001, first_name="Lan")
        await lan_on_telegram.send("/start")
        await lan_on_telegram.wait_for(contains="Xin chào")
        while not any("Xin chào" in t for t in fake_oa.texts_to(LAN)):
            assert loop.time() < deadline, fake_oa.texts_to(LAN)
            await asyncio.sleep(0.02)
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
    assert task.result() is None


async def test_a_rate_limited_notification_is_sent_on_a_later_try(oa: OA) -> None:
    oa.fake.state.rate_limited = 1  # Zalo's -32 once
    await oa.bot.services.outbox.heard(Recipient("zalo_oa", LAN))  # Lan wrote: in the window
    await oa.bot.services.notifier.notify(Recipient("zalo_oa", LAN), OutgoingMessage("Họp thôn"))
    await drained(oa.bot)
    assert oa.fake.texts_to(LAN) == ["Họp thôn"]
    assert oa.fake.state.rate_limited == 0


async def test_unfollowing_unsubscribes_without_a_word(oa: OA) -> None:
    assert await oa.post(oa.fake.event("follow", LAN)) == 200
    await oa.reply(LAN, lambda t: "Xin chào" in t)
    lan = Recipient("zalo_oa", LAN)
    citizen = await oa.bot.services.citizens.get(lan)
    assert citizen is not None and citizen.subscribed
    sent = len(oa.fake.state.sent)
    assert await oa.post(oa.fake.event("unfollow", LAN)) == 200

    async def unsubscribed() -> bool | None:
        found = await oa.bot.services.citizens.get(lan)
        return True if found is not None and not found.subscribed else None

    await _until(unsubscribed)
    await oa.says(LAN, "lam giay khai sinh cho con can giay to gi")  # the marker
    await oa.reply(LAN, lambda t: t.startswith("❓ Đăng ký khai sinh"), sent)
    after = [s.message.get("text", "") for s in oa.fake.state.sent[sent:]]
    assert after[0].startswith("❓ Đăng ký khai sinh")  # nothing was said to the unfollow


async def test_a_broadcast_reaches_telegram_and_zalo_subscribers_once_each(
    oa: OA, sandbox: SandboxServer, clock: ManualClock
) -> None:
    await seed_citizens(oa.bot.settings, clock, sandbox, [1001])
    now = to_db(clock.now())
    for user_id in (LAN, SILENT):
        await oa.bot.services.db.execute(
            "INSERT INTO citizens (channel, external_id, display_name, village_id, onboarded,"
            " created_at, updated_at) VALUES ('zalo_oa', ?, 'Lan', 'dong-tam', 1, ?, ?)",
            (user_id, now, now),
        )
    # Lan wrote to the OA; SILENT never did: outside Zalo's 48 hours, not sent to.
    await oa.bot.services.outbox.heard(Recipient("zalo_oa", LAN))
    officer = Recipient.telegram(2001)
    draft = await oa.bot.services.broadcasts.start_draft(officer, None)
    text = "Lịch tiêm chủng tháng 4 tại trạm y tế xã."
    await oa.bot.services.broadcasts.update_draft(
        officer, draft.id, message=OutgoingMessage(text), audience=Audience()
    )
    await oa.bot.services.broadcasts.confirm(officer, draft.id)
    await drained(oa.bot)
    assert copies(sandbox, 1001, text) == 1
    assert oa.fake.texts_to(LAN) == [text] and oa.fake.texts_to(SILENT) == []
    counts = await oa.bot.services.outbox.counts(draft.id)
    assert (counts.sent, counts.outside, counts.remaining) == (2, 1, 0)


async def test_the_handlers_bot_sends_photos_and_word_files_as_oa_messages(oa: OA) -> None:
    """The Bot API calls a handler makes: sendPhoto uploads, sendDocument sends a file."""
    bot = oa.running.application.bot
    photo = b"\xff\xd8\xff\xe0 a news photo " * 30
    sent = await bot.send_photo(int(LAN), photo, caption="<b>Tin mới</b>", parse_mode="HTML")
    assert sent.chat.id == int(LAN) and isinstance(sent.message_id, int)
    docx = b"PK\x03\x04 a petition form"
    await bot.send_document(int(LAN), docx, filename="don.docx", caption="Mẫu đơn")
    messages = [s.message for s in oa.fake.state.sent]
    media, caption, file, file_caption = messages
    attachment_id = media["attachment"]["payload"]["elements"][0]["attachment_id"]
    assert oa.fake.state.uploads[attachment_id] == photo
    assert caption == {"text": "Tin mới"}  # plain: Zalo has no formatting
    assert oa.fake.state.uploads[file["attachment"]["payload"]["token"]] == docx
    assert file_caption == {"text": "Mẫu đơn"}


async def test_a_zalo_applications_own_sends_never_replace_telegrams_file_ids(
    oa: OA, sandbox: SandboxServer, clock: ManualClock
) -> None:
    """A handler's send (`reply_channel`) caches a file's id under the channel that sent it."""
    await seed_citizens(oa.bot.settings, clock, sandbox, [1001])
    svc = oa.bot.services
    photo = b"\xff\xd8\xff\xe0 a case photo " * 30
    kept = await svc.files.put(photo, "image/jpeg", "hien-truong.jpg")
    message = OutgoingMessage("Ảnh hiện trường", attachment=Attachment("photo", kept.ref))
    on_oa = reply_channel(CallbackContext(oa.running.application))
    on_telegram = reply_channel(CallbackContext(oa.bot.app))
    await on_oa.send(Recipient("zalo_oa", LAN), message)  # first: nothing cached anywhere
    assert await svc.files.cache_ref(kept.sha256, "telegram") is None
    assert await svc.files.cache_ref(kept.sha256, "zalo_oa") == kept.ref
    await on_telegram.send(Recipient.telegram(1001), message)
    telegram_id = await svc.files.cache_ref(kept.sha256, "telegram")
    assert telegram_id is not None and telegram_id != kept.ref
    await on_oa.send(Recipient("zalo_oa", LAN), message)  # by its own id, not Telegram's
    assert await svc.files.cache_ref(kept.sha256, "telegram") == telegram_id
    media = [s.message for s in oa.fake.state.sent if "attachment" in s.message]
    ids = [m["attachment"]["payload"]["elements"][0]["attachment_id"] for m in media]
    assert len(ids) == 2 and all(oa.fake.state.uploads[i] == photo for i in ids)
    assert copies(sandbox, 1001, "Ảnh hiện trường") == 1


def number_of(shown: Sent, label: str) -> str:
    """The number a choice is answered by when typed: its place among the buttons,
    or its line where there were more than a template holds."""
    if label in button_titles(shown):
        return str(button_titles(shown).index(label) + 1)
    lines = shown.message.get("text", "").splitlines()
    (number,) = [line.split(". ", 1)[0] for line in lines if line.endswith(f". {label}")]
    return number


async def test_a_typed_number_answers_the_latest_buttons_by_the_one_rule_for_lists(
    oa: OA,
) -> None:
    """Typed numbers on the OA follow ChoiceStore's latest-list rule, as on Zalo Bot:
    the villages and topics, more than five, come as numbered lines, answered by
    number (a tap on an older message's button: tests/unit/test_zalo_oa_outbound.py)."""
    assert await oa.post(oa.fake.event("follow", LAN)) == 200
    greeting = await oa.reply(LAN, lambda t: "Xin chào" in t)
    villages = await oa.step(LAN, "Tiếng Việt", greeting, "thôn nào")
    assert button_titles(villages) == []  # six villages: numbered lines
    after = len(oa.fake.state.sent)
    await oa.says(LAN, "99")
    await oa.reply(LAN, lambda t: t.startswith("Vui lòng chọn một số từ 1 đến"), after)
    after = len(oa.fake.state.sent)
    await oa.says(LAN, number_of(villages, "Thôn Đồng Tâm"))  # typed, not tapped
    topics = await oa.reply(LAN, lambda t: "chuyên mục nào" in t, after)
    after = len(oa.fake.state.sent)
    await oa.says(LAN, number_of(topics, "▫️ Dân vận khéo"))
    ticked = await oa.reply(LAN, lambda t: "✅ Dân vận khéo" in t, after)
    after = len(oa.fake.state.sent)
    await oa.says(LAN, number_of(ticked, "Xong"))  # the latest list is still open
    await oa.reply(LAN, lambda t: "Đã lưu" in t, after)
    await oa.reply(LAN, lambda t: "Bạn đã đăng ký nhận tin" in t, after)
    after = len(oa.fake.state.sent)
    await oa.says(LAN, "2")  # the flow moved on: no list is open any more
    await oa.reply(LAN, lambda t: t.startswith("Danh sách lựa chọn đó đã hết hiệu lực"), after)
    citizen = await oa.bot.services.citizens.get(Recipient("zalo_oa", LAN))
    assert citizen is not None and citizen.village_id == "dong-tam"
