"""Texts at the forms' limits reach every screen whole, within Telegram's limits."""

from __future__ import annotations

from bot.cases.service import MAX_TEXT
from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.people.officers import Role
from sandbox import SandboxServer
from sandbox.harness import SimUser
from tests.e2e.cases_steps import CODE_RE, reply_to, to_description
from tests.e2e.conftest import StartBot, add_officer

SENDS = {"sendmessage", "editmessagetext", "sendphoto", "senddocument", "editmessagecaption"}
SENTENCE = "Mặt đường thôn Tân Hưng sụt lún <sâu> & rộng, xe máy rất dễ ngã. "


def words(length: int, mark: str) -> str:
    """A text of exactly `length` characters, made of sentences, ending with `mark`."""
    body = (SENTENCE * (length // len(SENTENCE) + 1))[: length - len(mark) - 1].rstrip()
    return f"{body} {mark}".rjust(length, "…")


def refusals(sandbox: SandboxServer) -> list[str]:
    """Every message the bot tried to send or edit that the Bot API refused."""
    return [
        f"{c.method}: {c.description}"
        for c in sandbox.state.calls
        if c.method.lower() in SENDS and c.status != 200
    ]


def read_since(user: SimUser, start: int) -> str:
    """All the user's chat has shown since message number `start`, as one text."""
    return "\n".join(m.content for m in user.messages[start:])


async def test_a_description_and_an_answer_at_the_limit_are_shown_whole(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    await start_bot()
    lan, hoa = sandbox.user(1001, first_name="Lan"), sandbox.user(2001, first_name="Hoa")
    description, answer = words(MAX_TEXT, "[hết mô tả]"), words(MAX_TEXT, "[hết trả lời]")
    assert len(description) == len(answer) == MAX_TEXT

    await to_description(lan)
    refused = await reply_to(lan, lan.send(words(MAX_TEXT + 1, "x")))
    assert f"nhiều nhất {MAX_TEXT} ký tự" in refused  # one above: refused, saying the limit
    await lan.send(description)
    await lan.wait_for(contains="Bạn có thể gửi thêm")
    await lan.press("Tiếp tục")
    await lan.press("Tôi đồng ý")
    await lan.wait_for(contains="Bấm nút bên dưới")
    start = len(lan.messages)
    await lan.send("Nguyễn Thị Lan 0987 654 321")
    review = await lan.wait_for(lambda m: any(b[1] == "cin:send" for row in m.buttons for b in row))
    assert description in read_since(lan, start)  # the review, in as many parts as it needs
    await lan.press("✅ Gửi", review)
    code = CODE_RE.search((await lan.wait_for(contains="Mã tra cứu")).text).group()
    assert "✅ Đã gửi." in read_since(lan, start)

    card = await hoa.wait_for(lambda m: any(b[0] == "💬 Trả lời" for row in m.buttons for b in row))
    assert description in read_since(hoa, 0) and code in read_since(hoa, 0)
    await hoa.press("💬 Trả lời", card)
    await hoa.wait_for(contains="Gửi nội dung trả lời")
    too_long = await reply_to(hoa, hoa.send(words(MAX_TEXT + 1, "x")))
    assert f"dài hơn {MAX_TEXT} ký tự" in too_long
    await hoa.send(answer)
    await hoa.wait_for(contains="Đã thêm vào câu trả lời")
    await hoa.press("📨 Gửi câu trả lời")
    await hoa.wait_for(contains="Đã gửi câu trả lời")
    await lan.wait_for(contains="[hết trả lời]")
    assert answer in read_since(lan, start)

    start = len(lan.messages)
    await lan.send(f"/track {code}")
    view = await lan.wait_for(
        lambda m: (
            "Bổ sung thông tin" in str(m.buttons) and "[hết trả lời]" in read_since(lan, start)
        )
    )
    assert "Quá trình xử lý:" in read_since(lan, start) and answer in read_since(lan, start)

    await lan.press("➕ Bổ sung thông tin", view)
    await lan.wait_for(contains="Gửi thông tin bổ sung")
    assert f"dài hơn {MAX_TEXT} ký tự" in await reply_to(lan, lan.send(words(MAX_TEXT + 1, "x")))
    more = words(MAX_TEXT, "[hết bổ sung]")
    await lan.send(more)
    await lan.wait_for(contains="Đã thêm. Gửi thêm")
    officer_start = len(hoa.messages)
    await lan.press("📨 Gửi")
    await hoa.wait_for(lambda m: "[hết bổ sung]" in read_since(hoa, officer_start))
    assert more in read_since(hoa, officer_start)

    start = len(hoa.messages)
    await hoa.send(f"/case {code}")
    await hoa.wait_for(lambda m: "[hết trả lời]" in read_since(hoa, start))
    shown = read_since(hoa, start)
    assert description in shown and answer in shown and "Quá trình xử lý:" in shown
    assert refusals(sandbox) == []
