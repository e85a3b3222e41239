"""Every button press is answered: forged, malformed or stale data gets a polite reply.

The sandbox sends any callback data the test likes; the real bot answers each
press with answerCallbackQuery, and nothing reaches the error handler.
"""

from __future__ import annotations

import logging

import pytest

from bot.cases.actions import CaseAccept, IntakeSend, TrackShow
from bot.cases.model import Topic
from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.duties.actions import DutyDone
from bot.faq.actions import FaqHelpful, FaqPick, FaqPublish
from bot.messaging.actions import MAX_INT, Action
from bot.outreach.actions import BroadcastCancel, NewsOpen, NewsPage, NewsPost, PostConfirm
from bot.people.actions import OnboardVillage, Picker, SettingsMenu, StopConfirm
from bot.people.officers import Role
from bot.public_answers.actions import AnswersEntry, AnswersPage, PublicConfirm, PublicPreview
from sandbox import SandboxServer
from tests.e2e.conftest import StartBot, add_officer

NO_LONGER_VALID = {
    "vi": "Nút này không còn hiệu lực. Vui lòng dùng tin nhắn mới nhất, hoặc gửi lại lệnh.",
    "en": "This button is no longer valid. Please use the latest message, or send the command again.",
}
APOLOGY = "Xin lỗi, hệ thống đang gặp sự cố"
CHAIRMAN = 2001

MALFORMED = [
    "",
    "zzz",
    "faq:ok:abc",
    "faq:pick:1",
    "news:post:²",
    "news:open:",
    f"case:acc:{MAX_INT + 1}",
    "case:acc:1;DROP TABLE cases",
    "ctrk:rate:1:05",
    "duty:done:",
    "ans:t:land:",
    "ans:t:nowhere:0",
    "cin:kind:bogus",
    "post:ok:1:2",
    "set:menu:xyz",
    "onb:lang:",
    "mydata:ask:1",
    "pub:ok:1",
    "bc:cancel:-1",
]


def errors_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_malformed_data_of_every_feature_gets_the_polite_answer(
    sandbox: SandboxServer, start_bot: StartBot, caplog: pytest.LogCaptureFixture, language: str
) -> None:
    await start_bot()
    user = sandbox.user(1001, first_name="Lan", language_code=language)
    await user.send("/help")
    anywhere = await user.next_message()  # any message of the bot's
    with caplog.at_level(logging.INFO):
        for data in MALFORMED:
            answer = await user.press_data(anywhere, data)
            assert answer is not None and answer.show_alert, data
            assert answer.text == NO_LONGER_VALID[language], data
    assert errors_of(caplog) == []
    assert "refused a button press" in caplog.text


# A well-formed action whose subject does not exist: each feature says so in its own words.
STALE: list[tuple[Action, str]] = [
    (FaqHelpful(999_999), "Lựa chọn này đã cũ"),
    (FaqPick(999_999, 1), "Lựa chọn này đã cũ"),
    (NewsOpen("khong-co-bai-nay"), "Bài này không còn nữa"),
    (NewsPost(999_999), "Bài này không còn nữa"),
    (TrackShow(999_999), "Không có hồ sơ"),
    (IntakeSend(), "Lựa chọn này đã cũ"),
    (OnboardVillage("khong-co-thon"), "Lựa chọn này đã cũ"),
    (SettingsMenu(Picker.VILLAGE), "Lựa chọn này đã cũ"),
    (StopConfirm(), "Vui lòng gửi /start trước"),
]
# The same, pressed by the chairman, who may do everything an officer can.
STALE_OFFICER: list[tuple[Action, str]] = [
    (CaseAccept(999_999), "Không có hồ sơ"),
    (FaqPublish(999_999, 1), "Không có hồ sơ"),
    (PublicPreview(999_999, 1), "Không có hồ sơ"),
    (PublicConfirm(999_999, 1), "Lựa chọn này đã cũ"),
    (DutyDone(999_999), "Nhiệm vụ này không còn trong lịch"),
    (PostConfirm(999_999), "không còn mở"),
    (BroadcastCancel(999_999), "Tin này không thể huỷ được nữa"),
]


async def test_stale_actions_are_answered_by_their_feature_without_an_error(
    sandbox: SandboxServer,
    settings: Settings,
    clock: ManualClock,
    start_bot: StartBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await add_officer(settings, clock, CHAIRMAN, "Anh Hùng", Role.CHAIRMAN)
    await start_bot()
    lan, hung = sandbox.user(1001, first_name="Lan"), sandbox.user(CHAIRMAN)
    with caplog.at_level(logging.INFO):
        for who, table in ((lan, STALE), (hung, STALE_OFFICER)):
            await who.send("/help")
            anywhere = await who.next_message()
            for action, words in table:
                answer = await who.press_data(anywhere, action.pack())
                assert answer is not None and answer.show_alert, action
                assert words in (answer.text or ""), (action, answer.text)
    assert errors_of(caplog) == []


async def test_pages_far_past_the_end_are_answered_without_an_error(
    sandbox: SandboxServer, start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    await start_bot()
    lan = sandbox.user(1001, first_name="Lan")
    await lan.send("/help")
    listing = await lan.next_message()
    with caplog.at_level(logging.INFO):
        for action in (AnswersPage(Topic.LAND, MAX_INT), NewsPage("all", MAX_INT)):
            answer = await lan.press_data(listing, action.pack())
            assert answer is not None and APOLOGY not in (answer.text or ""), action
        gone = await lan.press_data(listing, AnswersEntry(999_999).pack())
        assert gone is not None and not gone.show_alert
        assert "không còn được công khai" in (await lan.wait_for(contains="công khai")).text
    assert errors_of(caplog) == []
