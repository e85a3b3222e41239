"""An announcement reread from the archive: headline, and pages within Telegram's limits."""

import pytest

from bot.core.textfmt import utf16_len
from bot.messaging.messages import Attachment, Button, OutgoingMessage
from bot.outreach.actions import NewsOpen
from bot.outreach.archive_render import headline, html_blocks, post_pages

PARAGRAPHS = [f"Đoạn {n}: " + "Bà con thôn xóm cùng nhau làm đường. " * 20 for n in range(12)]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (OutgoingMessage("<b>Thông báo</b> họp dân\nChi tiết", html=True), "Thông báo họp dân"),
        (
            OutgoingMessage("\n\n  Lịch tiếp dân &amp; giờ làm việc"),
            "Lịch tiếp dân &amp; giờ làm việc",
        ),
        (OutgoingMessage("Tiêm phòng &amp; vệ sinh", html=True), "Tiêm phòng & vệ sinh"),
        (OutgoingMessage("", attachment=Attachment("photo", "f")), ""),
    ],
)
def test_the_headline_is_the_first_line_as_plain_text(
    message: OutgoingMessage, expected: str
) -> None:
    assert headline(message) == expected


def test_a_long_headline_is_shortened_at_a_word() -> None:
    title = headline(OutgoingMessage("Thông báo " * 30))
    assert title.endswith("…") and utf16_len(title) <= 80


def test_blocks_are_cut_only_at_blank_lines_outside_tags() -> None:
    text = "Mở đầu\n\n<b>Đậm một\n\nđậm hai</b>\n \n<blockquote>a\n\nb</blockquote>\n\nHết"
    assert html_blocks(text) == [
        "Mở đầu",
        "<b>Đậm một\n\nđậm hai</b>",
        "<blockquote>a\n\nb</blockquote>",
        "Hết",
    ]


def test_a_long_text_is_split_on_paragraph_boundaries_within_4096() -> None:
    message = OutgoingMessage("\n\n".join(PARAGRAPHS), buttons=((Button("x", NewsOpen("y")),),))
    pages = post_pages(message)
    assert len(pages) == 3 and all(utf16_len(p.text) <= 4096 for p in pages)
    assert [b for p in pages for b in p.text.split("\n\n")] == [p.strip() for p in PARAGRAPHS]
    assert all(p.html and not p.buttons and p.attachment is None for p in pages)


def test_plain_text_is_escaped_for_html() -> None:
    (page,) = post_pages(OutgoingMessage("Giờ họp: 8h < 9h & thứ Hai"))
    assert page.text == "Giờ họp: 8h &lt; 9h &amp; thứ Hai" and page.html


def test_a_photo_keeps_its_caption_within_1024_and_the_rest_follows() -> None:
    photo = Attachment("photo", "file-id")
    short = post_pages(OutgoingMessage("<i>Ảnh buổi họp</i>", html=True, attachment=photo))
    assert [(p.text, p.attachment) for p in short] == [("<i>Ảnh buổi họp</i>", photo)]

    long = post_pages(OutgoingMessage("\n\n".join(PARAGRAPHS), attachment=photo))
    assert long[0].attachment == photo and 0 < utf16_len(long[0].text) <= 1024
    assert all(p.attachment is None and utf16_len(p.text) <= 4096 for p in long[1:])
    assert [b for p in long for b in p.text.split("\n\n")] == [p.strip() for p in PARAGRAPHS]


def test_a_document_without_a_caption_is_sent_alone() -> None:
    document = Attachment("document", "doc-id", "lich.pdf")
    assert post_pages(OutgoingMessage("", attachment=document)) == [
        OutgoingMessage("", html=True, attachment=document)
    ]
