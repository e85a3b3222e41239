"""Library Markdown as the bot's markup: bold, italic, links, headings and bullets."""

from __future__ import annotations

import re

from bot.messaging.markup import Markup, bold, escape

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+")


def inline(text: str) -> Markup:
    """Escape `text` and render **bold**, *italic* and [links](https://...).

    The patterns run on the escaped text, so what they wrap is escaped already.
    """
    out = str(escape(text))
    out = _LINK.sub(lambda m: f'<a href="{m[2]}">{m[1]}</a>', out)
    out = _BOLD.sub(r"<b>\1</b>", out)
    return Markup(_ITALIC.sub(r"<i>\1</i>", out))


def paragraphs(markdown: str) -> list[Markup]:
    """The body's paragraphs (blank-line separated), each as markup.

    As in Markdown, the lines of a paragraph flow together; headings and
    bullets keep their own lines.
    """
    result = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines: list[tuple[bool, str]] = []  # (is a heading, text)
        for raw in block.splitlines():
            line = raw.strip()
            heading = _HEADING.match(line)
            if heading:
                lines.append((True, heading[1]))
            elif _BULLET.match(line) or not lines or lines[-1][0]:
                lines.append((False, _BULLET.sub("• ", line)))
            else:
                lines[-1] = (False, f"{lines[-1][1]} {line}")
        rendered = [bold(inline(t)) if head else inline(t) for head, t in lines if t]
        if rendered:
            result.append(Markup("\n").join(rendered))
    return result
