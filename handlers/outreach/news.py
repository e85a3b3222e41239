"""`/news` and `/models`: citizens browse the archive, page by page, and open an item.

`/news` mixes library items with the announcements officers sent (`bot.outreach.archive`);
`/models` lists the library's model stories only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import CommandHandler, filters

from bot.core.i18n import N_, _
from bot.outreach.actions import NewsOpen, NewsPage, NewsPost
from bot.outreach.archive import Reader
from bot.outreach.library.items import LibraryItem
from bot.outreach.library.render import full_text
from handlers.outreach.news_views import ALL, PAGE, entry_line, item_line, list_view
from handlers.telegram import commands, menu, render, router
from handlers.telegram.channel import reply_channel
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.replies import edit, reply
from handlers.telegram.router import Answer

FILE_IDS_KEY = "news.file_ids"  # image path -> Telegram file id, to upload each image once


async def _page(
    context: Context, update: Update, kind: str, offset: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    svc = services(context)
    citizen = await svc.citizens.get(recipient_of(update, context))
    now = svc.clock.now()
    if kind == ALL:
        entries, total = await svc.archive.page(Reader.of(citizen), now, offset=offset, limit=PAGE)
        lines = [entry_line(e, svc.settings.timezone) for e in entries]
    else:
        items, total = await svc.library.latest(
            citizen.village_id if citizen else None,
            now.astimezone(svc.settings.timezone).date(),
            kind=kind,
            offset=offset,
            limit=PAGE,
        )
        lines = [item_line(i) for i in items]
    return list_view(lines, kind, offset, total)


async def show_news(update: Update, context: Context) -> None:
    """List the latest items and announcements meant for the citizen, newest first."""
    text, keyboard = await _page(context, update, ALL, 0)
    await message_of(update).reply_text(text, reply_markup=keyboard)


async def show_models(update: Update, context: Context) -> None:
    """List the "Dân vận khéo" model stories."""
    text, keyboard = await _page(context, update, "model_story", 0)
    await message_of(update).reply_text(text, reply_markup=keyboard)


async def on_page(update: Update, context: Context, action: NewsPage) -> Answer | None:
    """Show another page of the list."""
    text, keyboard = await _page(context, update, action.kind, action.offset)
    await edit(update, context, text, keyboard)
    return None


async def on_open(update: Update, context: Context, action: NewsOpen) -> Answer | None:
    """Send the whole item: its image with a caption, then the text in parts."""
    svc = services(context)
    who = recipient_of(update, context)
    citizen = await svc.citizens.get(who)
    today = svc.clock.now().astimezone(svc.settings.timezone).date()
    item_id = action.item_id
    item = await svc.library.visible(item_id, citizen.village_id if citizen else None, today)
    if item is None and await svc.officers.get(who) is not None:
        item = await svc.library.get(item_id)  # officers may read what they would send
    if item is None:
        return Answer(_("This item is no longer available."), alert=True)
    await _send_item(update, context, item)
    return None


async def _send_item(update: Update, context: Context, item: LibraryItem) -> None:
    text, message = full_text(item), message_of(update)
    if item.image is None:
        await reply(message, text)
        return
    caption, rest = render.caption_and_texts(text)
    cache: dict[str, str] = context.bot_data.setdefault(FILE_IDS_KEY, {})
    photo: str | Path = cache.get(str(item.image), item.image)
    sent = await message.reply_photo(photo, caption=caption, parse_mode=ParseMode.HTML)
    cache[str(item.image)] = sent.photo[-1].file_id
    for part in rest:
        await message.reply_text(part, parse_mode=ParseMode.HTML)


async def on_open_post(update: Update, context: Context, action: NewsPost) -> Answer | None:
    """Send an announcement again, whole: its file with a caption, then the text in parts."""
    svc, who = services(context), recipient_of(update, context)
    broadcast_id = action.broadcast_id
    found = await svc.archive.announcement(broadcast_id, Reader.of(await svc.citizens.get(who)))
    if found is None and await svc.officers.get(who) is not None:
        found = await svc.archive.announcement(broadcast_id)  # officers may reread any post
    if found is None:
        return Answer(_("This item is no longer available."), alert=True)
    # Buttons are not repeated: the announcement is read again, not acted on again.
    channel = reply_channel(context)
    await channel.send(who, replace(found.message, buttons=()))
    return None


def register(application: TelegramApp) -> None:
    commands.declare("news", N_("Latest news from the commune"), order=30)
    commands.declare("models", N_("Dân vận khéo: model stories"), order=31)
    menu.add(menu.MenuItem("news", N_("📰 News"), show_news, order=30))
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("news", show_news, private))
    application.add_handler(CommandHandler("models", show_models, private))
    router.route(application, NewsPage, on_page)
    router.route(application, NewsOpen, on_open)
    router.route(application, NewsPost, on_open_post)
