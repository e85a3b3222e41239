"""The domain's texts as Telegram takes them: HTML, within 4,096 and 1,024 UTF-16 units."""

from __future__ import annotations

import html
import re

from bot.core.textfmt import utf16_len
from bot.messaging.markup import Markup, bold
from handlers.telegram.render import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    caption_and_texts,
    fitted,
    texts,
    to_telegram_html,
)

PARAGRAPHS = [
    f"Đoạn {n}: " + " ".join(["Bà con thôn xóm cùng nhau làm đường."] * 20) for n in range(12)
]
_TAG = re.compile(r"<[^>]+>")


def shown(part: str) -> str:
    """What Telegram shows of an HTML part (and counts against its limits)."""
    return html.unescape(_TAG.sub("", part)).strip()


def test_a_long_text_is_split_on_paragraph_boundaries_within_4096() -> None:
    parts = texts("\n\n".join(PARAGRAPHS))
    assert len(parts) == 3 and all(utf16_len(shown(p)) <= TEXT_LIMIT for p in parts)
    assert [b for p in parts for b in p.split("\n\n")] == PARAGRAPHS


def test_tags_count_for_nothing_and_the_limit_is_used_up() -> None:
    one = bold("x" * TEXT_LIMIT)
    assert texts(one) == (f"<b>{'x' * TEXT_LIMIT}</b>",)
    two = texts(bold("x" * (TEXT_LIMIT + 1)))
    assert [len(shown(p)) for p in two] == [TEXT_LIMIT, 1]
    assert all(p.startswith("<b>") and p.endswith("</b>") for p in two)


def test_emoji_count_twice_as_telegram_counts() -> None:
    parts = texts("📣" * 3000)
    assert [utf16_len(p) for p in parts] == [4096, 1904] and "".join(parts) == "📣" * 3000


def test_plain_text_is_escaped_and_markup_is_not() -> None:
    assert texts("Giờ họp: 8h < 9h & thứ Hai") == ("Giờ họp: 8h &lt; 9h &amp; thứ Hai",)
    assert texts(Markup("<i>8h &lt; 9h</i>")) == ("<i>8h &lt; 9h</i>",)
    assert texts("<i>từ hàng đợi</i>", html=True) == ("<i>từ hàng đợi</i>",)


def test_a_caption_takes_the_opening_within_1024_and_the_rest_follows() -> None:
    assert caption_and_texts(Markup("<i>Ảnh buổi họp</i>")) == ("<i>Ảnh buổi họp</i>", ())
    caption, rest = caption_and_texts("\n\n".join(PARAGRAPHS))
    assert 0 < utf16_len(shown(caption)) <= CAPTION_LIMIT
    assert all(utf16_len(shown(p)) <= TEXT_LIMIT for p in rest)
    assert [b for p in (caption, *rest) for b in p.split("\n\n")] == PARAGRAPHS
    assert caption_and_texts("") == ("", ())


def test_an_edit_is_cut_with_an_ellipsis_and_the_rest_follows() -> None:
    head, rest = fitted("\n\n".join(PARAGRAPHS))
    assert head.endswith("…") and utf16_len(shown(head)) <= TEXT_LIMIT
    assert shown(head)[:-1] + "\n\n" + "\n\n".join(rest) == "\n\n".join(PARAGRAPHS)
    assert fitted("ngắn") == ("ngắn", ())


def test_unknown_tags_are_dropped_for_telegram() -> None:
    assert to_telegram_html('<span class="tg-spoiler">a</span> <br> <b>b') == "a \n <b>b</b>"


def _headings(markup: str) -> set[str]:
    return {shown(m) for m in re.findall(r"<b>[^<]*</b>", to_telegram_html(markup))}


def test_a_library_item_with_headings_never_ends_a_caption_or_message_on_one() -> None:
    """A news item as a photo's caption and messages: each heading opens with its paragraph."""
    from bot.core.config import load_settings
    from bot.core.paths import CONTENT_DIR
    from bot.outreach.library.items import load_folder
    from bot.outreach.library.render import full_text

    items, _ = load_folder(CONTENT_DIR / "library", load_settings({}))
    item = next(i for i in items if i.id == "dan-van-kheo-lam-duong-thon-dong-tam")
    text = full_text(item)
    headings = _headings(text) - {item.title}
    assert {"Bàn từ từng nhà", "Kết quả"} <= headings
    caption, rest = caption_and_texts(text)
    assert utf16_len(shown(caption)) <= CAPTION_LIMIT and rest
    assert rest[0].startswith("<b>Kết quả</b>")
    # Narrower pieces, as a channel with smaller limits cuts the same item.
    for limit in range(150, 1100, 25):
        parts = [shown(p) for p in texts(text, limit=limit)]
        for part in parts[:-1]:
            assert part.rsplit("\n", 1)[-1] not in headings | {item.title}, (limit, part)
