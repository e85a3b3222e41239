"""The channel-neutral markup: escaping by construction, rendering, and cutting at limits."""

from __future__ import annotations

import pytest

from bot.messaging.markup import (
    Markup,
    Runs,
    bold,
    fit,
    join,
    link,
    parse,
    runs_of,
    split,
    to_html,
    to_plain,
    visible,
)
from bot.messaging.messages import OutgoingMessage

NASTY = "Lê <b>Văn</b> & Co </i> &amp;"


def length(runs: Runs) -> int:
    return len(visible(runs).strip())


def test_values_put_in_are_escaped_and_markup_is_kept() -> None:
    text = Markup("{name}: {title}").format(name=NASTY, title=bold(NASTY))
    assert to_html(parse(text)) == (
        "Lê &lt;b&gt;Văn&lt;/b&gt; &amp; Co &lt;/i&gt; &amp;amp;: "
        "<b>Lê &lt;b&gt;Văn&lt;/b&gt; &amp; Co &lt;/i&gt; &amp;amp;</b>"
    )
    assert to_plain(text) == f"{NASTY}: {NASTY}"


def test_joined_plain_parts_are_escaped() -> None:
    assert join("\n", ["a<b", bold("c")]) == "a&lt;b\n<b>c</b>"


@pytest.mark.parametrize(
    ("markup", "html", "plain"),
    [
        ("<b>a</b> <i>b</i> <u>c</u> <s>d</s>", "<b>a</b> <i>b</i> <u>c</u> <s>d</s>", "a b c d"),
        ("<strong>a</strong><em>b</em>", "<b>a</b><i>b</i>", "ab"),
        ("<code>x</code>\n<pre>y</pre>", "<code>x</code>\n<pre>y</pre>", "x\ny"),
        ("<blockquote expandable>q</blockquote>", "<blockquote>q</blockquote>", "q"),
        ('<a href="https://a.vn/?x=1&amp;y=2">Cổng</a>', None, "Cổng (https://a.vn/?x=1&y=2)"),
        ('<a href="https://a.vn">https://a.vn</a>', None, "https://a.vn"),
        ('<a href="javascript:alert(1)">x</a>', "x", "x"),
        ('<span class="tg-spoiler">s</span><tg-emoji emoji-id="1">👍</tg-emoji>', "s👍", "s👍"),
        ("a<br>b<br/>c", "a\nb\nc", "a\nb\nc"),
        ("<b>open", "<b>open</b>", "open"),
        ("stray</b> end", "stray end", "stray end"),
        ("<b>x<i>y</b>z</i>", "<b>x<i>y</i></b><i>z</i>", "xyz"),
        ("<script>1 < 2</script>", "1 &lt; 2", "1 < 2"),
        ("&lt;b&gt; &amp; &#39;", "&lt;b&gt; &amp; '", "<b> & '"),
    ],
)
def test_the_subset_is_rendered_and_the_rest_dropped(
    markup: str, html: str | None, plain: str
) -> None:
    if html is not None:
        assert to_html(parse(markup)) == html
    assert to_plain(markup) == plain


def test_a_link_keeps_its_address_escaped() -> None:
    runs = parse(link("a <b>", 'https://a.vn/"x"'))
    assert to_html(runs) == '<a href="https://a.vn/&quot;x&quot;">a &lt;b&gt;</a>'


def test_plain_text_is_shown_as_typed() -> None:
    assert to_html(runs_of("<b>not bold</b> &", is_markup=False)) == (
        "&lt;b&gt;not bold&lt;/b&gt; &amp;"
    )


def test_paragraphs_are_packed_and_never_cut_needlessly() -> None:
    parts = [f"{n} " + "x" * 1500 for n in range(7)]
    pieces = split(runs_of("\n\n".join(parts), False), 4096, length)
    assert [length(p) for p in pieces] == [3006, 3006, 3006, 1502]
    assert [part for p in pieces for part in visible(p).split("\n\n")] == parts


def test_a_heading_goes_with_what_follows() -> None:
    body = "y" * 50
    text = Markup("{}\n\n{}\n\n<b>Heading</b>\n\n{}").format(body, body, body)
    pieces = split(parse(text), 110, length)
    assert [visible(p) for p in pieces] == [f"{body}\n\n{body}", f"Heading\n\n{body}"]


@pytest.mark.parametrize("heading", ["Kết quả", "Vì sao làm được?", "Bàn từ từng nhà."])
def test_a_heading_is_never_left_at_the_end_of_a_piece(heading: str) -> None:
    """Even when what follows it is longer than a piece, the heading waits for it."""
    lead = "Mở đầu ngắn."
    long = " ".join(["Bà con thôn xóm cùng nhau làm đường."] * 6)
    text = Markup("{}\n\n{}\n\n{}").format(lead, bold(heading), long)
    for limit in range(40, 160, 3):
        pieces = [visible(p) for p in split(parse(text), limit, length)]
        for piece in pieces[:-1]:
            last_line = piece.rstrip().rsplit("\n", 1)[-1]
            assert heading not in last_line, (limit, pieces)


def test_a_long_paragraph_is_cut_at_sentence_ends_then_spaces() -> None:
    sentence = "Bà con thôn xóm cùng nhau làm đường. "
    long = (sentence * 300).strip()
    pieces = split(runs_of(long, False), 4096, length)
    assert len(pieces) == 3 and all(length(p) <= 4096 for p in pieces)
    assert all(visible(p).endswith("làm đường.") for p in pieces)
    assert " ".join(visible(p) for p in pieces) == long
    words = split(runs_of("một hai ba bốn năm", False), 8, length)
    assert [visible(p) for p in words] == ["một hai", "ba bốn", "năm"]


def test_a_word_longer_than_the_limit_is_cut_where_it_must() -> None:
    pieces = split(runs_of("x" * 25, False), 10, length)
    assert [visible(p) for p in pieces] == ["x" * 10, "x" * 10, "x" * 5]


def test_tags_are_closed_and_reopened_across_a_cut() -> None:
    text = bold("một hai ba bốn")
    pieces = split(parse(text), 8, length)
    assert [to_html(p) for p in pieces] == ["<b>một hai</b>", "<b>ba bốn</b>"]


def test_fit_cuts_with_an_ellipsis_and_keeps_the_rest() -> None:
    head, rest = fit(runs_of("một hai ba bốn năm", False), 11, length)
    assert visible(head) == "một hai ba…"
    assert visible(rest) == "bốn năm"
    whole, nothing = fit(runs_of("ngắn", False), 10, length)
    assert visible(whole) == "ngắn" and nothing == ()


def test_a_message_with_markup_text_is_markup_and_survives_the_outbox() -> None:
    message = OutgoingMessage(bold("a & b"))
    assert message.html
    again = OutgoingMessage.from_json(message.to_json())
    assert again.html and to_plain(again.text) == "a & b"
    old_row = OutgoingMessage.from_json('{"text": "<b> & </b>", "html": false}')
    assert to_html(runs_of(old_row.text, old_row.html)) == "&lt;b&gt; &amp; &lt;/b&gt;"


def test_runs_of_empty_text_is_empty() -> None:
    assert runs_of("", False) == () and split((), 10, length) == []
    assert parse("<b></b>") == ()
