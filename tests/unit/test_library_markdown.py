"""Library Markdown as the bot's markup, escaped."""

from bot.outreach.library.markdown import paragraphs


def test_markdown_subset_becomes_escaped_markup() -> None:
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
