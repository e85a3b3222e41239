"""Markdown to Telegram HTML, and long texts cut at Telegram's limits on paragraph ends."""

from bot.core.textfmt import paragraphs, shorten, split_paragraphs, utf16_len


def test_markdown_subset_becomes_escaped_html() -> None:
    md = "# Tiêu đề\n\n**Đậm** và *nghiêng* <b>không</b> & [Cổng](https://dichvucong.gov.vn)\n\n- một\n- hai"
    assert paragraphs(md) == [
        "<b>Tiêu đề</b>",
        '<b>Đậm</b> và <i>nghiêng</i> &lt;b&gt;không&lt;/b&gt; &amp; <a href="https://dichvucong.gov.vn">Cổng</a>',
        "• một\n• hai",
    ]


def test_lines_of_a_paragraph_flow_together() -> None:
    assert paragraphs("dòng một\ndòng hai\n\n## Mục\nnội dung") == [
        "dòng một dòng hai",
        "<b>Mục</b>\nnội dung",
    ]


def test_paragraphs_are_packed_without_being_cut() -> None:
    parts = [f"{n} " + "x" * 1500 for n in range(7)]
    chunks = split_paragraphs(parts, 4096)
    assert all(utf16_len(c) <= 4096 for c in chunks)
    assert [p for c in chunks for p in c.split("\n\n")] == parts
    assert len(chunks) == 4  # two 1,502-character paragraphs fit in each, not three


def test_a_paragraph_longer_than_the_limit_is_cut_at_sentence_ends() -> None:
    sentence = "Bà con thôn xóm cùng nhau làm đường. "
    long = (sentence * 300).strip()
    chunks = split_paragraphs([long], 4096)
    assert len(chunks) == 3 and all(utf16_len(c) <= 4096 for c in chunks)
    assert all(c.endswith("làm đường.") for c in chunks)
    assert " ".join(chunks) == long


def test_emoji_count_twice_as_telegram_counts() -> None:
    assert utf16_len("📣a") == 3
    chunks = split_paragraphs(["📣" * 3000], 4096)
    assert all(utf16_len(c) <= 4096 for c in chunks) and "".join(chunks) == "📣" * 3000


def test_shorten_cuts_at_a_word() -> None:
    assert shorten("một hai ba bốn năm", 11) == "một hai ba…"
    assert shorten("ngắn", 10) == "ngắn"
