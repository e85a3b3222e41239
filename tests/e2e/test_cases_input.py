"""Unexpected input at every step of /feedback, /cancel everywhere, limits and duplicates."""

from dataclasses import replace

import pytest

from bot.cases.actions import IntakeFilesDone, IntakeSend
from bot.core.config import Settings
from bot.messaging.channels import Recipient
from sandbox import SandboxServer
from tests.e2e.cases_steps import STEPS, TEXT, reply_to, to_description, to_kind
from tests.e2e.conftest import RunningBot

BIG = b"%PDF-1.4 " + b"x" * 3000  # over the 0.002 MB limit configured below


@pytest.fixture
def bot_settings(settings: Settings, sandbox: SandboxServer) -> Settings:
    cases = {"max_file_mb": 0.002, "max_cases_per_day": 2}
    return replace(
        settings,
        bot_token=sandbox.token,
        bot_api_url=sandbox.root_url,
        sections={**settings.sections, "cases": cases},
    )


async def test_every_step_asks_again_on_unexpected_input(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    lan = sandbox.user(1001, first_name="Lan", phone="+84900001001")
    again = "Xin chọn một trong các mục ở trên"
    await to_kind(lan)
    kinds = await lan.wait_for(contains="Bạn muốn gửi gì")
    for line in kinds.text.splitlines()[1:]:
        assert line.count(":") <= 1, line  # "• Câu hỏi: Bạn muốn hỏi: …" said the label twice
    assert again in await reply_to(lan, lan.send("xin chào"))
    assert again in await reply_to(lan, lan.send_sticker())
    await lan.press("Phản ánh")
    await lan.wait_for(contains="lĩnh vực nào")
    assert again in await reply_to(lan, lan.send_photo())
    await lan.press("Đường sá, hạ tầng")
    await lan.wait_for(contains="thôn nào")
    assert again in await reply_to(lan, lan.send("Thôn Tân Hưng"))  # typed, not pressed
    await lan.press("Thôn Tân Hưng")

    describe = "Xin mô tả bằng lời (ít nhất vài chữ"
    assert describe in await reply_to(lan, lan.send_sticker())
    assert describe in await reply_to(lan, lan.send("ừ"))
    assert "quá lớn" in await reply_to(lan, lan.send_document(BIG))
    assert "Bạn có thể gửi thêm" in await reply_to(lan, lan.send(TEXT))

    files = "Xin gửi ảnh, tài liệu hoặc vị trí"
    assert files in await reply_to(lan, lan.send("còn nữa"))
    assert files in await reply_to(lan, lan.send_sticker())
    assert "quá lớn" in await reply_to(lan, lan.send_document(BIG))
    assert "Đã nhận: 1 tin nhắn thoại." in await reply_to(lan, lan.send_voice())
    await lan.press("Tiếp tục")

    await lan.wait_for(contains="không bao giờ công khai")
    assert again in await reply_to(lan, lan.send("đồng ý"))
    await lan.press("Tôi đồng ý")
    await lan.wait_for(contains="Bấm nút bên dưới")
    assert "chưa đọc được" in await reply_to(lan, lan.send("không có số"))
    assert "chưa đọc được" in await reply_to(lan, lan.send_sticker())
    other = await reply_to(lan, lan.send_contact(phone="+84911111111", first_name="Bà Tư"))
    assert "của chính bạn" in other
    assert "Xin cảm ơn" in await reply_to(lan, lan.send("Nguyễn Thị Lan 0987 654 321"))
    review = await lan.wait_for(contains="Xin kiểm tra lại")
    assert "Nguyễn Thị Lan, 0987654321" in review.text and "Tệp đính kèm: 1" in review.text

    assert again in await reply_to(lan, lan.send("gửi đi"))
    await lan.press("✅ Gửi", review)
    await lan.wait_for(contains="Mã tra cứu")
    assert review.buttons == []  # the sent form loses its buttons...
    stale = await lan.press_data(review, IntakeSend().pack())  # ...a replayed press does nothing

    assert stale.show_alert and "đã cũ" in stale.text
    cases = await running_bot.services.cases.my_cases(Recipient.telegram(1001))
    assert len(cases) == 1 and cases[0].contact.phone == "0987654321"


@pytest.mark.parametrize("step", range(len(STEPS)))
async def test_cancel_works_at_every_step(
    sandbox: SandboxServer, running_bot: RunningBot, step: int
) -> None:
    user = sandbox.user(1100 + step, first_name="Dân")
    await STEPS[step](user)
    assert "Đã huỷ" in await reply_to(user, user.send("/cancel"))
    assert running_bot.services.conversations.flow_of(Recipient.telegram(user.id)) is None
    stale = await user.press_data(user.messages[-2], IntakeFilesDone().pack())
    assert stale.show_alert
    assert await running_bot.services.cases.my_cases(Recipient.telegram(user.id)) == []


async def test_daily_limit_and_repeated_text_warning(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    lan = sandbox.user(1001, first_name="Lan")
    for attempt in range(2):
        await to_description(lan)
        reply = await reply_to(lan, lan.send(TEXT))
        assert ("giống hệt" in reply) == (attempt == 1)
        await lan.wait_for(contains="Bạn có thể gửi thêm")
        await lan.press("Tiếp tục")
        await lan.wait_for(contains="không bao giờ công khai")
        await lan.press("Gửi ẩn danh")
        await lan.wait_for(lambda m: "Người gửi: ẩn danh" in m.content and bool(m.buttons))
        assert "Mã tra cứu" in await reply_to(lan, lan.press("✅ Gửi"))
    assert "Hôm nay bạn đã gửi nhiều" in await reply_to(lan, lan.send("/feedback"))
