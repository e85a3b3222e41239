"""A citizen subscribes, changes settings, unsubscribes and comes back."""

from bot.messaging.channels import Recipient
from sandbox import SandboxServer
from tests.e2e.conftest import RunningBot
from tests.waiting import until


async def test_new_citizen_completes_onboarding(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    lan = sandbox.user(1001, first_name="Lan", language_code="vi")
    await lan.send("/start")
    greeting = await lan.next_message()
    assert "Xin chào" in greeting.text and "Tân Việt" in greeting.text
    await lan.press("Tiếng Việt")
    village_step = await lan.wait_for(contains="thôn nào")
    # The welcome is kept (its buttons gone); the village is asked in a new message.
    assert village_step.message_id != greeting.message_id
    await lan.wait_for(lambda m: m.message_id == greeting.message_id and not m.buttons)
    assert "Xin chào" in greeting.text and "✅ Tiếng Việt" in greeting.text
    await lan.press("Thôn Đồng Tâm", village_step)
    await lan.wait_for(contains="chuyên mục nào")
    await lan.press("Dân vận khéo")
    await lan.press("Cải cách hành chính")
    topics = await lan.wait_for(lambda m: "✅ Cải cách hành chính" in str(m.buttons))
    assert "✅ Dân vận khéo" in str(topics.buttons)
    await lan.press("Xong")
    saved = await lan.wait_for(contains="Đã lưu")
    assert "Thôn Đồng Tâm" in saved.text and "Dân vận khéo, Cải cách hành chính" in saved.text
    menu = await lan.wait_for(contains="Bạn đã đăng ký nhận tin")
    assert menu is not None and lan.reply_keyboard is not None
    # Other features add menu buttons too, so only membership is checked, not layout.
    assert {"⚙️ Cài đặt", "ℹ️ Hướng dẫn"} <= {label for row in lan.reply_keyboard for label in row}

    citizen = await running_bot.services.citizens.get(Recipient.telegram(1001))
    assert citizen is not None and citizen.onboarded and citizen.subscribed
    assert citizen.village_id == "dong-tam" and citizen.topics == {"model_story", "reform"}


async def test_english_speaker_is_served_in_english(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    mai = sandbox.user(1003, first_name="Mai", language_code="en")
    await mai.send("/start")
    await mai.next_message()
    await mai.press("English")
    step = await mai.wait_for(contains="Which village")
    assert step.text.startswith("Which village")


async def test_deep_link_from_a_village_poster(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    hung = sandbox.user(1002, first_name="Hùng")
    await hung.send("/start v_viet-tien")
    await hung.next_message()
    await hung.press("Tiếng Việt")
    await hung.wait_for(contains="chuyên mục nào")  # the village step is skipped
    citizen = await running_bot.services.citizens.get(Recipient.telegram(1002))
    assert citizen is not None and citizen.village_id == "viet-tien"


async def onboard(sandbox: SandboxServer, user_id: int) -> None:
    user = sandbox.user(user_id, first_name="Dân")
    await user.send("/start")
    await user.next_message()
    await user.press("Tiếng Việt")
    await user.wait_for(contains="thôn nào")
    await user.press("Thôn Tân Hưng")
    await user.wait_for(contains="chuyên mục nào")
    await user.press("Xong")
    await user.wait_for(contains="Bạn đã đăng ký nhận tin")
    user.skip_pending()


async def test_settings_change_village_and_language(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    await onboard(sandbox, 1004)
    user = sandbox.user(1004)
    await user.press_reply("⚙️ Cài đặt")
    settings = await user.next_message()
    assert "Thôn: Thôn Tân Hưng" in settings.text
    await user.press("Thôn", settings)
    await user.wait_for(lambda m: "Thôn Hoà Bình" in str(m.buttons))
    answer = await user.press("Thôn Hoà Bình")
    assert answer.text == "Đã lưu."
    await user.wait_for(contains="Thôn: Thôn Hoà Bình")
    await user.press("Ngôn ngữ")
    await user.press("English")
    await user.wait_for(contains="Village: Thôn Hoà Bình")
    citizen = await running_bot.services.citizens.get(Recipient.telegram(1004))
    assert citizen is not None and citizen.village_id == "hoa-binh" and citizen.language == "en"


async def test_stop_asks_first_then_start_resubscribes(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    await onboard(sandbox, 1005)
    user = sandbox.user(1005)
    await user.send("/stop")
    ask = await user.next_message()
    assert "ngừng nhận thông báo" in ask.text
    await user.press("Không, vẫn nhận")
    await user.wait_for(contains="vẫn tiếp tục nhận tin")
    citizen = await running_bot.services.citizens.get(Recipient.telegram(1005))
    assert citizen is not None and citizen.subscribed

    await user.send("/stop")
    await user.press("Có, ngừng nhận", await user.next_message())
    await user.wait_for(contains="không nhận thông báo nữa")
    citizen = await running_bot.services.citizens.get(Recipient.telegram(1005))
    assert citizen is not None and not citizen.subscribed

    await user.send("/start")
    back = await user.wait_for(contains="Chào mừng bạn quay lại")
    assert "Thôn: Thôn Tân Hưng" in back.text
    citizen = await running_bot.services.citizens.get(Recipient.telegram(1005))
    assert citizen is not None and citizen.subscribed and citizen.village_id == "tan-hung"


async def test_blocking_the_bot_marks_the_citizen(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    await onboard(sandbox, 1006)
    user = sandbox.user(1006)
    user.block()
    # The block (a my_chat_member update) sends nothing back: wait for its
    # effect. Other chats are served at the same time, so another citizen's
    # answer would say nothing about this chat's update.

    async def blocked() -> bool:
        citizen = await running_bot.services.citizens.get(Recipient.telegram(1006))
        return citizen is not None and citizen.blocked

    await until(blocked, "the citizen to be marked blocked")
