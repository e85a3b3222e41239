"""Steps of the /feedback form for end-to-end tests, each ending where the next begins."""

import re
from collections.abc import Awaitable, Callable

from sandbox.harness import SimUser

TEXT = "Đoạn đường qua cổng trường bị sụt lún, xe máy rất dễ ngã."
CODE_RE = re.compile(r"PA-[2-9A-Z]{5}")


async def reply_to(user: SimUser, action: Awaitable[object], contains: str | None = None) -> str:
    """The bot's next new message after the user's action (the next containing `contains`).

    In a chat that also gets messages from the outbox (an officer's: case
    notices), give `contains`: a late notice is never taken for the reply.
    """
    user.skip_pending()
    await action
    return (await user.next_message(contains=contains)).text or ""


async def to_kind(user: SimUser) -> None:
    await user.send("/feedback")
    await user.wait_for(contains="Bạn muốn gửi gì")


async def to_topic(user: SimUser) -> None:
    await to_kind(user)
    await user.press("Phản ánh")
    await user.wait_for(contains="lĩnh vực nào")


async def to_village(user: SimUser) -> None:
    await to_topic(user)
    await user.press("Đường sá, hạ tầng")
    await user.wait_for(contains="thôn nào")


async def to_description(user: SimUser) -> None:
    await to_village(user)
    await user.press("Thôn Tân Hưng")
    await user.wait_for(contains="Xin mô tả bằng lời của bạn")


async def to_files(user: SimUser) -> None:
    await to_description(user)
    assert "Bạn có thể gửi thêm" in await reply_to(user, user.send(TEXT))


async def to_consent(user: SimUser) -> None:
    await to_files(user)
    await user.press("Tiếp tục")
    await user.wait_for(contains="không bao giờ công khai")


async def to_contact(user: SimUser) -> None:
    await to_consent(user)
    await user.press("Tôi đồng ý")
    await user.wait_for(contains="Bấm nút bên dưới")


async def to_review(user: SimUser) -> None:
    await to_contact(user)
    await reply_to(user, user.send("Nguyễn Thị Lan 0987 654 321"))
    await user.wait_for(contains="Xin kiểm tra lại")


STEPS: list[Callable[[SimUser], Awaitable[None]]] = [
    to_kind,
    to_topic,
    to_village,
    to_description,
    to_files,
    to_consent,
    to_contact,
    to_review,
]


async def file_anonymous_feedback(user: SimUser) -> str:
    """Send a whole feedback form without name and phone; return the tracking code."""
    await to_files(user)
    await user.press("Tiếp tục")
    await user.wait_for(contains="không bao giờ công khai")
    await user.press("Gửi ẩn danh")
    await user.wait_for(lambda m: "Người gửi: ẩn danh" in m.content and bool(m.buttons))
    text = await reply_to(user, user.press("✅ Gửi"))
    found = CODE_RE.search(text)
    assert found is not None, text
    return found.group()
