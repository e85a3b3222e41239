"""An officer composes, previews and confirms broadcasts; citizens get each exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.messaging.channels import Recipient
from bot.outreach.actions import PostConfirm, PostLibrary
from bot.outreach.audience import Audience
from bot.people.citizens import Citizen
from bot.people.officers import Role
from sandbox import SandboxServer
from tests.e2e.buttons import actions_in, has_action
from tests.e2e.conftest import RunningBot, StartBot, add_officer, drained
from tests.e2e.duty_helpers import run_job
from tests.e2e.outreach import copies, seed_citizens, until, with_broadcast

OFFICER = 2001


@pytest.fixture
def bot_settings(settings: Settings, sandbox: SandboxServer) -> Settings:
    from dataclasses import replace

    fast = replace(settings, bot_token=sandbox.token, bot_api_url=sandbox.root_url)
    return with_broadcast(fast, allow_any_rate=True, rate=300)


async def compose_text(officer, text: str, audience_steps: list[str], later: str | None = None):
    """Drive the composer through text, topic, audience and time; return the summary message."""
    # The report of an earlier post may come at any moment: wait for the reply itself.
    prompt = await reply(officer, await officer.send("/post"), "Gửi cho tôi nội dung")
    (library,) = actions_in(prompt, PostLibrary)
    draft = library.draft_id
    await reply(officer, await officer.send(text), "chuyên mục nào")
    await officer.press("Dân vận khéo")
    for label in audience_steps:
        await officer.press(label)
    if later is None:
        await officer.press("Gửi ngay")
    else:
        await officer.press("Hẹn giờ")
        await officer.wait_for(contains="Nhập ngày giờ")
        await officer.send(later)
    return await officer.wait_for(lambda m: has_action(m, PostConfirm(draft)))


async def reply(officer, sent, contains: str):
    """The bot's first message after `sent` that contains `contains`."""
    return await officer.wait_for(
        lambda m: m.message_id > sent.message_id and contains in (m.text or "")
    )


async def test_officer_composes_and_120_subscribers_get_it_exactly_once(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    # 120: past RATE_FROM (100), so the report has its speed, and past the 32 rows
    # in flight, so the send takes several claims; more recipients prove no more.
    ids = await seed_citizens(settings, clock, sandbox, range(10_001, 10_121))
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    await start_bot()
    hoa = sandbox.user(OFFICER, first_name="Hoa")

    summary = await compose_text(hoa, "Thông báo: họp dân tối nay lúc 19h.", ["Tất cả"])
    assert "Số người nhận: 120" in summary.text
    preview = await hoa.wait_for(contains="Thông báo: họp dân")  # exactly as citizens see it
    await hoa.press("✅ Gửi", summary)

    await until(lambda: all(copies(sandbox, i, "họp dân") == 1 for i in ids), what="120 copies")
    report = await hoa.wait_for(contains="đã gửi xong")
    assert "Đã gửi: 120" in report.text and "Còn lại: 0" in report.text
    assert "Tốc độ:" in report.text  # a large send: its speed means something
    received = sandbox.user(ids[0]).messages[-1]
    assert received.text == preview.text and received.entities == preview.entities
    assert all(copies(sandbox, i, "họp dân") == 1 for i in ids)

    await hoa.send("/broadcasts")
    listing = await hoa.wait_for(contains="Các tin đã gửi")
    assert "Đã gửi: 120" in listing.text


def village_of(user_id: int) -> str | None:
    return ("dong-tam", "viet-tien", "hoa-binh", None)[user_id % 4]


def topics_of(user_id: int) -> tuple[str, ...]:
    return (("reform",), ("model_story", "reform"), (), ("democracy",))[user_id // 4 % 4]


async def test_village_and_topic_audiences_reach_exactly_the_right_citizens(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    ids = await seed_citizens(
        settings, clock, sandbox, range(20_000, 20_048), village=village_of, topics=topics_of
    )
    await add_officer(settings, clock, OFFICER, "Ông Nam", Role.CHAIRMAN)
    bot = await start_bot()
    nam = sandbox.user(OFFICER, first_name="Nam")

    steps = ["Các thôn được chọn", "Thôn Đồng Tâm", "Thôn Hoà Bình", "Xong"]
    summary = await compose_text(nam, "Tin cho hai thôn", steps)
    await nam.press("✅ Gửi", summary)
    steps = ["Người theo dõi các chuyên mục", "Cải cách hành chính", "Xong"]
    summary = await compose_text(nam, "Tin cải cách hành chính", steps)
    await nam.press("✅ Gửi", summary)
    for number in (1, 2):  # "sent" is shown once every row of that broadcast is done
        await nam.wait_for(contains=f"Tin #{number} đã gửi xong")
    marker = await nam.send("/help")  # anything the sender still had to say came before
    await reply(nam, marker, "/post")
    for number in (1, 2):
        reports = [m for m in nam.messages if f"Tin #{number} đã gửi xong" in m.content]
        assert len(reports) == 1, nam.describe()  # the progress note is not a second report
        assert "Tốc độ" not in reports[0].content  # a dozen recipients: no speed

    citizens = {i: await bot.services.citizens.get(Recipient.telegram(i)) for i in ids}
    for text, audience in (
        ("Tin cho hai thôn", Audience("village", ("dong-tam", "hoa-binh"))),
        ("Tin cải cách hành chính", Audience("topic", ("reform",))),
    ):
        expected = {
            i for i, c in citizens.items() if isinstance(c, Citizen) and audience.matches(c)
        }
        got = {i for i in ids if copies(sandbox, i, text) == 1}
        assert expected and got == expected
        assert all(copies(sandbox, i, text) == 0 for i in set(ids) - expected)


async def test_scheduled_post_goes_out_at_its_time_and_a_cancelled_one_never(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    ids = await seed_citizens(settings, clock, sandbox, range(30_000, 30_020))
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    bot = await start_bot()
    hoa = sandbox.user(OFFICER, first_name="Hoa")
    # The clock says Monday 2 March 2026, 09:00 in Hà Nội.
    summary = await compose_text(hoa, "Lịch tiêm chủng ngày mai", ["Tất cả"], later="8h sáng mai")
    assert "08:00, thứ Ba 03/03/2026" in (await hoa.wait_for(contains="Hẹn gửi lúc")).text
    assert "Thời gian gửi: 08:00, thứ Ba 03/03/2026" in summary.text
    await hoa.press("✅ Hẹn giờ gửi", summary)
    await hoa.wait_for(contains="Tin #1 đã được hẹn gửi lúc")
    summary = await compose_text(hoa, "Tin sẽ bị huỷ", ["Tất cả"], later="25/3 14:30")
    await hoa.press("✅ Hẹn giờ gửi", summary)

    await hoa.send("/scheduled")
    listing = await hoa.wait_for(contains="Các tin đang hẹn giờ:")
    assert "#1" in listing.text and "#2" in listing.text
    answer = await hoa.press("✖ Huỷ tin #2", listing)
    assert "Đã huỷ" in (answer.text or "")
    await until(lambda: "#2" not in (listing.text or ""), what="the list without #2")

    clock.advance(timedelta(hours=22, minutes=59))  # 07:59 on Tuesday: not yet
    await hoa.send("/scheduled")
    await hoa.wait_for(lambda m: m.message_id > listing.message_id and "#1" in (m.text or ""))
    await nothing_due_is_left(bot)
    assert all(copies(sandbox, i, "Lịch tiêm chủng") == 0 for i in ids)
    clock.advance(timedelta(minutes=1))  # 08:00
    await until(
        lambda: all(copies(sandbox, i, "Lịch tiêm chủng") == 1 for i in ids), what="delivery"
    )
    clock.advance(timedelta(days=30))
    await hoa.wait_for(contains="Tin #1 đã gửi xong")
    await nothing_due_is_left(bot)
    assert all(copies(sandbox, i, "Tin sẽ bị huỷ") == 0 for i in ids)


async def nothing_due_is_left(bot: RunningBot) -> None:
    """Look for due posts now, at the clock's time, and deliver whatever that queued.

    A check that a post was not sent needs a look that surely happened after
    the clock moved, not a pause long enough for a few of the job's own looks.
    """
    await run_job(bot, "broadcasts-due")  # and waits for the outbox to drain


async def test_a_citizen_cannot_post_or_press_an_officers_confirm_button(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    ids = await seed_citizens(settings, clock, sandbox, range(50_000, 50_005))
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    await add_officer(settings, clock, 2002, "Anh Tư", Role.JUSTICE)
    bot = await start_bot()
    hoa, lan, tu = sandbox.user(OFFICER), sandbox.user(ids[0]), sandbox.user(2002)
    summary = await compose_text(hoa, "Tin chỉ cán bộ mới gửi được", ["Tất cả"])
    draft = summary.buttons[0][0][1]  # the data of the PostConfirm button

    await lan.send("/post")
    assert "chỉ dành cho cán bộ" in (await lan.next_message()).text
    await tu.send("/post")
    assert "chỉ dành cho cán bộ" in (await tu.next_message()).text
    lan.skip_pending()
    await lan.send("/help")
    own = await lan.next_message()
    for person, message in ((lan, own), (tu, tu.messages[-1])):
        answer = await person.press_data(message, draft)  # forged callback data
        assert answer.show_alert and "chỉ dành cho cán bộ" in (answer.text or "")
    hoa2 = await add_second_culture_officer(settings, clock, sandbox)
    answer = await hoa2.press_data(hoa2.messages[-1], draft)  # an officer, but not the author
    assert "không còn mở" in (answer.text or "")

    await drained(bot)  # the refusals were answered: anything they queued is out now
    assert all(copies(sandbox, i, "Tin chỉ cán bộ") == 0 for i in ids)
    denied = [e for e in await bot.services.audit.recent(50) if e.outcome == "denied"]
    actors = {(e.actor.external_id, e.action) for e in denied}
    assert (str(ids[0]), "broadcast:compose") in actors and ("2002", "broadcast:compose") in actors
    broadcast = await bot.services.broadcasts.get(PostConfirm.parse(draft).draft_id)
    assert broadcast is not None and broadcast.state == "draft"


async def add_second_culture_officer(
    settings: Settings, clock: ManualClock, sandbox: SandboxServer
):
    """Another culture officer, who has their own chat with the bot."""
    await add_officer(settings, clock, 2003, "Chị Mai", Role.CULTURE)
    mai = sandbox.user(2003, first_name="Mai")
    await mai.send("/help")
    await mai.next_message()
    return mai


async def test_a_library_item_goes_out_as_photo_and_teaser_and_opens_in_full(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    ids = await seed_citizens(settings, clock, sandbox, range(70_000, 70_005))
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    await start_bot()
    hoa = sandbox.user(OFFICER, first_name="Hoa")
    await hoa.send("/post")
    await hoa.press("📚 Chọn từ thư viện", await hoa.next_message())
    await hoa.press("▶")  # the oldest items are on the second page
    await hoa.press("Thôn Đồng Tâm cùng nhau")
    await hoa.wait_for(contains="chuyên mục nào")
    await hoa.press("Dân vận khéo")
    await hoa.press("Tất cả người dân đăng ký")
    await hoa.press("Gửi ngay")
    summary = await hoa.wait_for(lambda m: bool(actions_in(m, PostConfirm)))
    preview = next(m for m in reversed(hoa.messages) if m.kind == "photo")
    await hoa.press("✅ Gửi", summary)

    lan = sandbox.user(ids[0])
    await until(
        lambda: all(copies(sandbox, i, "Thôn Đồng Tâm cùng nhau") == 1 for i in ids),
        what="the item",
    )
    teaser = lan.messages[-1]
    assert teaser.kind == "photo" and teaser.caption == preview.caption
    assert "42 hộ dân" in teaser.caption and [b[0] for r in teaser.buttons for b in r] == [
        "📖 Đọc tiếp"
    ]
    uploads = [c for c in sandbox.state.calls_for("sendPhoto") if "photo" not in c.params]
    assert len(uploads) <= 2  # the preview's and the sender's first: later sends reuse the file id
    await lan.press("📖 Đọc tiếp", teaser)
    full = await lan.wait_for(
        lambda m: m.kind == "photo" and "Bàn từ từng nhà" in (m.caption or "")
    )
    assert full.caption.startswith("Dân vận khéo: Thôn Đồng Tâm")
