"""A denunciation: the sender's identity reaches only the justice officer and the chairman."""

import io
import json
import re
from dataclasses import replace

import pytest
from docx import Document

from bot.cases.actions import CaseAccept
from bot.core.config import Settings
from bot.people.officers import Role
from sandbox import SandboxServer
from tests.e2e.conftest import StartBot, add_officer

GROUP = -1001234567890
CODE_RE = re.compile(r"PA-[2-9A-Z]{5}")
NAME, PHONE = "Trần Văn Hùng", "0912345678"


@pytest.fixture
def bot_settings(settings: Settings, sandbox: SandboxServer) -> Settings:
    return replace(
        settings, bot_token=sandbox.token, bot_api_url=sandbox.root_url, officers_chat_id=GROUP
    )


async def file_denunciation(sandbox: SandboxServer, contact: str = f"{NAME} 0912 345 678") -> str:
    hung = sandbox.user(1002, first_name="Hùng")
    await hung.send("/feedback")
    await hung.wait_for(contains="Bạn muốn gửi gì")
    await hung.press("Tố cáo")
    await hung.wait_for(contains="lĩnh vực nào")
    await hung.press("Đất đai")
    await hung.wait_for(contains="thôn nào")
    await hung.press("Thôn Việt Tiến")
    await hung.wait_for(contains="Xin mô tả")
    await hung.send("Cán bộ địa chính thu tiền trái phép khi cấp sổ đỏ ở thôn Việt Tiến.")
    await hung.wait_for(contains="gửi thêm ảnh")
    await hung.press("Tiếp tục")
    consent = await hung.wait_for(
        contains="chỉ công chức Tư pháp – Hộ tịch và Chủ tịch UBND xã được xem"
    )
    assert "ẩn danh" in consent.text  # it says why anonymity is not offered
    assert not any("ẩn danh" in label for row in consent.buttons for label, _ in row)
    await hung.press("Tôi đồng ý")
    await hung.wait_for(contains="Bấm nút bên dưới")
    await hung.send(contact)
    review = await hung.wait_for(contains="Xin kiểm tra lại")
    await hung.press("✅ Gửi", review)
    done = await hung.wait_for(contains="mã tra cứu")
    return CODE_RE.search(done.text).group()


async def test_denunciation_identity_only_for_justice_and_chairman(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    group = sandbox.group(GROUP, title="Cán bộ xã")
    await add_officer(settings, clock, 2101, "Anh Tư", Role.JUSTICE)
    await add_officer(settings, clock, 2102, "Ông Nam", Role.CHAIRMAN)
    await add_officer(settings, clock, 2103, "Chị Hoa", Role.OFFICE)
    await add_officer(settings, clock, 2104, "Anh Bình", Role.CULTURE, Role.FINANCE)
    bot = await start_bot()
    justice, chairman = sandbox.user(2101), sandbox.user(2102)
    office, culture = sandbox.user(2103), sandbox.user(2104)
    hung = sandbox.user(1002)

    code = await file_denunciation(sandbox)
    routes = await hung.wait_for(contains="đơn có chữ ký")
    await hung.press("Mẫu đơn", routes)
    form = await hung.wait_for(lambda m: m.kind == "document")
    data = sandbox.state.files.get(form.file_ids[0]).data
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "ĐƠN TỐ CÁO" in text and NAME in text and PHONE in text and code in text
    await hung.press("Lịch tiếp công dân", routes)
    await hung.wait_for(contains="Buổi tiếp công dân gần nhất")

    card = await justice.wait_for(contains=code)
    assert NAME in card.text and PHONE in card.text and "sổ đỏ" in card.text
    notice = await group.wait_for(contains=code)
    assert "Tư pháp" in notice.text and "sổ đỏ" not in notice.text

    await chairman.send(f"/case {code}")
    shown = await chairman.wait_for(contains=code)
    assert NAME in shown.text
    await chairman.wait_for(contains="Quá trình xử lý")
    for outsider in (office, culture):
        await outsider.send(f"/case {code}")
        assert "chỉ dành cho cán bộ" in (await outsider.next_message()).text
        await outsider.send("/cases")
        assert code not in (await outsider.next_message()).text
    case = await bot.services.cases.repo.by_code(code)
    answer = await office.press_data(office.messages[-1], CaseAccept(case.id).pack())
    assert "chỉ dành cho cán bộ" in answer.text
    await justice.press("Thụ lý", card)
    await hung.wait_for(contains="Bộ phận Tư pháp – Hộ tịch")

    allowed = {justice.id, chairman.id, hung.id}
    for call in sandbox.state.calls:
        blob = json.dumps(call.params, ensure_ascii=False, default=str)
        if NAME in blob or PHONE in blob or "0912 345 678" in blob:
            assert call.chat_id in allowed, call
    for chat_id in sandbox.state.chats:
        if chat_id not in allowed:
            texts = "\n".join(sandbox.state.texts_sent_to(chat_id))
            assert NAME not in texts and PHONE not in texts
    denied = [e for e in await bot.services.audit.recent(50) if e.outcome == "denied"]
    assert {e.actor.external_id for e in denied} == {"2103", "2104"}
