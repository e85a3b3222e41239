"""HTML / MarkdownV2 parsing, UTF-16 lengths and entity detection (no server)."""

from __future__ import annotations

import pytest

from sandbox.entities import detect_entities, strip_text, utf16_len
from sandbox.errors import ApiError
from sandbox.htmltext import parse_html
from sandbox.markdown import parse_markdown, parse_markdown_v2


def test_utf16_and_detection() -> None:
    assert utf16_len("abc") == 3 and utf16_len("Việt") == 4 and utf16_len("😀") == 2
    found = detect_entities(
        "/start@danvan_sandbox_bot xem https://xa.gov.vn/tin, @lan_nguyen #gopy"
    )
    assert [(e["type"], e["offset"], e["length"]) for e in found] == [
        ("bot_command", 0, 25),
        ("url", 30, 21),
        ("mention", 53, 11),
        ("hashtag", 65, 5),
    ]
    assert strip_text("  <x>  ", [{"offset": 2, "length": 3, "type": "bold"}]) == (
        "<x>",
        [{"offset": 0, "length": 3, "type": "bold"}],
    )


def test_html_entities_and_nesting() -> None:
    text, entities = parse_html(
        '<b>Đậm <i>nghiêng</i></b> 😀 <a href="https://x.vn/?a=1&amp;b=2">link</a> &lt;3&gt; &#272;'
        '<pre><code class="language-python">x = 1</code></pre><span class="tg-spoiler">s</span>'
        '<blockquote expandable>q</blockquote><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    assert text == "Đậm nghiêng 😀 link <3> Đx = 1sq👍"
    assert [(e["type"], e["offset"], e["length"]) for e in entities] == [
        ("bold", 0, 11),
        ("italic", 4, 7),
        ("text_link", 15, 4),
        ("pre", 25, 5),
        ("spoiler", 30, 1),
        ("expandable_blockquote", 31, 1),
        ("custom_emoji", 32, 2),
    ]
    assert entities[2]["url"] == "https://x.vn/?a=1&b=2" and entities[3]["language"] == "python"


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("Giá <100k>", 'Unsupported start tag "100k" at byte offset 5'),  # bytes, not chars
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("Bò & gà", 'Unescaped "&" at byte offset 4'),
    ],
)
def test_html_errors(html: str, detail: str) -> None:
    with pytest.raises(ApiError) as info:
        parse_html(html)
    assert info.value.status == 400
    assert info.value.description == f"Bad Request: can't parse entities: {detail}"


def test_lenient_ampersand_like_real_telegram() -> None:
    assert parse_html("Bò & gà &nbsp;", strict_ampersand=False) == ("Bò & gà &nbsp;", [])


def test_markdown_v2_and_legacy() -> None:
    text, entities = parse_markdown_v2(
        r"*đậm* _nghiêng_ __gạch__ ~xoá~ ||ẩn|| `mã` [xã](https://x.vn) 1\.5"
    )
    assert text == "đậm nghiêng gạch xoá ẩn mã xã 1.5"
    assert [e["type"] for e in entities] == [
        "bold", "italic", "underline", "strikethrough", "spoiler", "code", "text_link",
    ]  # fmt: skip
    with pytest.raises(ApiError, match=r"Character '\.' is reserved"):
        parse_markdown_v2("1.5")
    with pytest.raises(ApiError, match="Can't find end of Bold entity at byte offset 0"):
        parse_markdown_v2("*đậm")
    assert parse_markdown_v2(">trích\n>dẫn\nhết")[1] == [
        {"offset": 0, "length": 9, "type": "blockquote"}
    ]
    assert parse_markdown("*b* _i_ [x](http://a.vn)")[0] == "b i x"
    with pytest.raises(ApiError, match="Can't find end of the entity starting at byte offset 0"):
        parse_markdown("*b")
