"""Harness semantics: cursors, wait_for, edits by users, stickers, forwarded origins."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import SandboxServer


async def test_cursor_and_wait_for(sandbox: SandboxServer, bot: Bot) -> None:
    lan = sandbox.user(1001, first_name="Lan", last_name="Nguyễn", language_code="vi")
    assert sandbox.user(1001) is lan and lan.user.last_name == "Nguyễn"
    first = await bot.send_message(1001, "một")
    await bot.send_message(1001, "hai")
    assert (await lan.next_message()).text == "một"
    # wait_for looks at the past too, and does not move the cursor
    assert (await lan.wait_for(contains="một")).message_id == first.message_id
    assert (await lan.next_message()).text == "hai"

    async def edit_later() -> None:
        await asyncio.sleep(0.05)
        await bot.edit_message_text("một (đã duyệt)", chat_id=1001, message_id=first.message_id)

    task = asyncio.create_task(edit_later())
    edited = await lan.wait_for(lambda m: m.edit_count > 0, timeout=2)
    await task
    assert edited.text == "một (đã duyệt)"
    await bot.send_message(1001, "ba")
    lan.skip_pending()
    with pytest.raises(AssertionError, match="no new bot message"):
        await lan.next_message(timeout=0.05)
    with pytest.raises(AssertionError, match="'một \\(đã duyệt\\)'"):
        await lan.wait_for(contains="không có", timeout=0.05)


async def test_next_message_with_a_filter_passes_over_other_messages(
    sandbox: SandboxServer, bot: Bot
) -> None:
    lan = sandbox.user(1001)
    await bot.send_message(1001, "báo cáo muộn")  # e.g. a late report from an earlier step
    await bot.send_message(1001, "câu trả lời")
    await bot.send_message(1001, "tin sau")
    assert (await lan.next_message(contains="trả lời")).text == "câu trả lời"
    assert (await lan.next_message()).text == "tin sau"  # the cursor is past the match
    with pytest.raises(AssertionError, match="no new bot message matching contains='muộn'"):
        await lan.next_message(contains="muộn", timeout=0.05)  # behind the cursor now

    async def send_later() -> None:
        await bot.send_message(1001, "khác")
        await bot.send_message(1001, "đúng tin")

    task = asyncio.create_task(send_later())
    found = await lan.next_message(lambda m: m.text == "đúng tin", timeout=2)
    await task
    assert found.text == "đúng tin"


async def test_user_actions_produce_telegram_shapes(sandbox: SandboxServer, bot: Bot) -> None:
    lan, minh = sandbox.user(1001), sandbox.user(1002)
    sent = await lan.send("Đường hỏng")
    await lan.edit(sent, "Đường thôn 3 hỏng")
    await lan.send_sticker()
    await lan.send_voice(duration=4)
    await lan.forward("tin nhắn gốc", origin="user", source=minh)
    updates = await bot.get_updates()
    assert updates[1].edited_message and updates[1].edited_message.text == "Đường thôn 3 hỏng"
    assert updates[1].edited_message.edit_date is not None
    assert (
        updates[2].message
        and updates[2].message.sticker
        and updates[2].message.sticker.emoji == "👍"
    )
    assert updates[3].message and updates[3].message.voice
    origin = updates[4].message.forward_origin if updates[4].message else None
    assert origin is not None and origin.type == "user"
    assert origin.sender_user.id == 1002
    with pytest.raises(AssertionError, match="not 1001's own message"):
        await lan.edit(999, "x")


async def test_press_specific_message_and_inaccessible(sandbox: SandboxServer, bot: Bot) -> None:
    lan = sandbox.user(1001)
    old = await bot.send_message(
        1001,
        "cũ",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="old")]]),
    )
    await bot.send_message(
        1001,
        "mới",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="new")]]),
    )

    async def answer_all() -> None:
        for _ in range(2):
            for update in await bot.get_updates(timeout=2):
                await bot.get_updates(offset=update.update_id + 1)
                assert update.callback_query
                await update.callback_query.answer(update.callback_query.data)

    task = asyncio.create_task(answer_all())
    assert (await lan.press("OK")).text == "new"  # latest message with that button
    assert (await lan.press("OK", message=old.message_id)).text == "old"
    await task
    await bot.delete_message(1001, old.message_id)
    await lan.press_data(old.message_id, "forged", expect_answer=False)
    query = (await bot.get_updates())[-1].callback_query
    assert query and query.data == "forged" and query.message and not query.message.is_accessible
    await query.answer()
    with pytest.raises(Exception, match="Query is too old"):
        await query.answer()
