"""An announcement in the archive's list: its headline, plain and short."""

import pytest

from bot.core.textfmt import utf16_len
from bot.messaging.messages import Attachment, OutgoingMessage
from bot.outreach.archive_render import headline


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
