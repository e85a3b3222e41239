"""Who learns a citizen's name and phone: every message each officer and the group received.

The consent text promises the name and phone go only to the officers handling
the case and the chairman; a denouncer's only to the justice officer and the
chairman. A feedback and a denunciation are filed, the office's officer accepts
the feedback and gives it to the justice officer, then every officer opens both
cases and the list; each chat's whole history is checked against the rule.
"""

import json
from dataclasses import replace

import pytest

from bot.core.config import Settings
from bot.people.officers import Role
from sandbox import SandboxServer
from sandbox.harness import SimUser
from tests.e2e.cases_steps import CODE_RE, to_review
from tests.e2e.conftest import StartBot, add_officer, drained
from tests.e2e.test_cases_confidential import file_denunciation

GROUP = -1001234567890
OFFICERS = {
    2101: ("Ông Nam", Role.CHAIRMAN),
    2102: ("Chị Hoa", Role.OFFICE),
    2103: ("Anh Bình", Role.CULTURE),
    2104: ("Anh Tư", Role.JUSTICE),
    2105: ("Chị Mai", Role.FINANCE),
}
# Each sender as stored and shown, and as they typed it.
LAN = ("Nguyễn Thị Lan", "0987654321", "0987 654 321")
# Not the form's example number (0912345678), which every citizen is shown.
HUNG = ("Trần Văn Hùng", "0913579246", "0913 579 246")
CONSENT = "chỉ cán bộ xã giải quyết việc của bạn và Chủ tịch UBND xã được xem"
MYDATA = "Ai được xem: cán bộ xử lý hồ sơ và Chủ tịch UBND xã (với khiếu nại, tố cáo, chỉ"
HIDDEN = "Người gửi: chỉ hiện cho cán bộ giải quyết hồ sơ"
REFUSED = "chỉ dành cho cán bộ"
LAST_LINES = ("Quá trình xử lý", REFUSED, "Hồ sơ đang mở", "Không có hồ sơ")


@pytest.fixture
def bot_settings(settings: Settings, sandbox: SandboxServer) -> Settings:
    return replace(
        settings, bot_token=sandbox.token, bot_api_url=sandbox.root_url, officers_chat_id=GROUP
    )


def shows(text: str, sender: tuple[str, ...]) -> bool:
    return any(part in text for part in sender)


async def ask(officer: SimUser, command: str) -> str:
    """Every message the bot answers a command with, up to its last one."""
    officer.skip_pending()
    await officer.send(command)
    texts = [(await officer.next_message()).content]
    while not any(last in texts[-1] for last in LAST_LINES):
        texts.append((await officer.next_message()).content)
    return "\n".join(texts)


async def test_only_the_handlers_and_the_chairman_learn_who_sent_a_case(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    group = sandbox.group(GROUP, title="Cán bộ xã")
    for user_id, (name, role) in OFFICERS.items():
        await add_officer(settings, clock, user_id, name, role)
    bot = await start_bot()
    chairman, office, culture, justice, finance = (sandbox.user(i) for i in OFFICERS)
    lan = sandbox.user(1001)

    await to_review(lan)  # a road feedback: the office (Văn phòng) handles it
    await lan.press("✅ Gửi")
    feedback = CODE_RE.findall((await lan.wait_for(contains="Mã tra cứu")).text)[0]
    # What she agreed to: exactly who will see her name and phone.
    assert any(CONSENT in text for text in lan.texts)
    denunciation = await file_denunciation(sandbox, f"{HUNG[0]} {HUNG[2]}")
    card = await office.wait_for(contains=feedback)
    assert shows(card.text, LAN)  # the office's officer is to handle it
    assert shows((await justice.wait_for(contains=denunciation)).text, HUNG)
    assert HIDDEN in (await group.wait_for(contains=feedback)).text

    await office.press("Thụ lý", card)
    await lan.wait_for(contains="thụ lý")
    await office.press("Giao cho…", card)
    await office.press("Anh Tư", await office.wait_for(contains=f"Giao hồ sơ {feedback} cho"))
    await office.wait_for(contains=f"Đã giao hồ sơ {feedback}")
    given = await justice.wait_for(lambda m: feedback in m.content and bool(m.buttons))
    assert shows(given.text, LAN)  # now his case

    # Each officer opens both cases and the list, as they stand now.
    sees_lan, sees_hung = {chairman, justice}, {chairman, justice}
    for officer in (chairman, office, culture, justice, finance):
        shown = await ask(officer, f"/case {feedback}")
        assert "sụt lún" in shown and shows(shown, LAN) is (officer in sees_lan), officer.id
        if officer not in sees_lan:
            assert HIDDEN in shown
        shown = await ask(officer, f"/case {denunciation}")
        assert shows(shown, HUNG) is (officer in sees_hung), officer.id
        if officer not in sees_hung:
            assert REFUSED in shown
        listed = await ask(officer, "/cases")
        assert feedback in listed and not shows(listed, LAN) and not shows(listed, HUNG)
    await drained(bot)
    lan.skip_pending()
    await lan.send("/mydata")
    assert MYDATA in (await lan.next_message()).text

    # Over everything each chat ever received, edits and files included.
    hung = sandbox.user(1002)
    ever = {
        LAN: {lan.id, chairman.id, justice.id, office.id},  # Hoa: her card, before she gave it
        HUNG: {hung.id, chairman.id, justice.id},
    }
    for sender, allowed in ever.items():
        for chat_id in sandbox.state.chats:
            texts = "\n".join(sandbox.state.texts_sent_to(chat_id))
            assert shows(texts, sender) is (chat_id in allowed), (sender, chat_id)
        for call in sandbox.state.calls:
            blob = json.dumps(call.params, ensure_ascii=False, default=str)
            if shows(blob, sender):
                assert call.chat_id in allowed, call
