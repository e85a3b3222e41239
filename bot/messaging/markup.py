"""The bot's channel-neutral text markup: a small HTML subset, escaped by construction.

Texts the domain builds are `Markup` (markupsafe's str subclass):
`Markup(_("Village: {name}")).format(name=village.name)` escapes the name,
so a stored value can never become a tag, while Markup pieces (a bold
title, a link) go in as they are. Plain `str` joined into Markup is escaped
too (`Markup("\\n").join(parts)`).

The subset, which every channel knows how to render:
- `<b>`, `<i>`, `<u>`, `<s>`: bold, italic, underline, strikethrough;
- `<a href="https://...">`: a link (plain channels show "text (url)");
- `<code>`, `<pre>`, `<blockquote>`: code, a preformatted block, a quote;
- "\\n" breaks a line and a blank line ("\\n\\n") separates paragraphs.
Anything else (an unknown tag, an attribute other than a link's href) is
dropped when a channel renders the text, keeping the words inside.

A channel parses markup into runs (`parse`): pieces of text, each with the
tags that wrap it. Runs can be cut anywhere and rendered again with every
tag closed and reopened across the cut (`to_html`), which is how a channel
splits a long text (`split`, `fit`) at its own length limit: the limits
belong to the channel, never to the domain.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from markupsafe import Markup, escape

__all__ = [
    "TAGS",
    "Markup",
    "Run",
    "bold",
    "escape",
    "fit",
    "italic",
    "join",
    "link",
    "parse",
    "runs_of",
    "split",
    "take",
    "to_html",
    "to_plain",
    "visible",
]

TAGS = frozenset({"b", "i", "u", "s", "a", "code", "pre", "blockquote"})
ELLIPSIS = "…"
_ALIASES = {"strong": "b", "em": "i", "ins": "u", "strike": "s", "del": "s"}
_LINK_SCHEMES = ("http://", "https://", "tg://", "mailto:")
_SENTENCE_END = re.compile(r"[.!?…][)\"'»”]*\s")


def bold(text: str) -> Markup:
    return Markup("<b>{}</b>").format(text)


def italic(text: str) -> Markup:
    return Markup("<i>{}</i>").format(text)


def link(text: str, url: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(url, text)


def join(separator: str, parts: Iterable[str]) -> Markup:
    """Parts joined by a separator; plain parts are escaped, Markup parts kept."""
    return Markup(separator).join(parts)


@dataclass(frozen=True, slots=True)
class Tag:
    """An open tag of the subset, with the one attribute it may keep."""

    name: str
    href: str = ""

    def open(self) -> str:
        if self.name == "a":
            return f'<a href="{html.escape(self.href, quote=True)}">'
        return f"<{self.name}>"

    def close(self) -> str:
        return f"</{self.name}>"


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text and the tags around it, outermost first."""

    text: str
    tags: tuple[Tag, ...] = ()


Runs = tuple[Run, ...]
Measure = Callable[[Runs], int]


class _Parser(HTMLParser):
    """Markup to runs; unknown tags and attributes drop out, words stay."""

    CDATA_CONTENT_ELEMENTS = ()  # type: ignore[misc]  # no tag of ours holds raw text (script)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[Run] = []
        self.stack: list[Tag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = _ALIASES.get(tag, tag)
        if name == "br":
            self.handle_data("\n")
        elif name == "a":
            href = next((v or "" for k, v in attrs if k == "href"), "").strip()
            # A link without a usable address still shows its words, just not as a link.
            self.stack.append(Tag("a", href) if href.startswith(_LINK_SCHEMES) else Tag("span"))
        elif name in TAGS:
            self.stack.append(Tag(name))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_data("\n")

    def handle_endtag(self, tag: str) -> None:
        name = _ALIASES.get(tag, tag)
        if name == "a":
            names: tuple[str, ...] = ("a", "span")
        elif name in TAGS:
            names = (name,)
        else:
            return
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].name in names:
                del self.stack[index]  # a stray or crossed end tag closes only its own
                return

    def handle_data(self, data: str) -> None:
        tags = tuple(t for t in self.stack if t.name != "span")
        if self.runs and self.runs[-1].tags == tags:
            self.runs[-1] = Run(self.runs[-1].text + data, tags)
        elif data:
            self.runs.append(Run(data, tags))


def parse(markup: str) -> Runs:
    """The runs of a markup text (trusted as markup: escape plain text first)."""
    parser = _Parser()
    parser.feed(str(markup))  # a plain str: Markup's own methods would escape the slices
    parser.close()
    return tuple(parser.runs)


def runs_of(text: str, is_markup: bool) -> Runs:
    """The runs of a message's text, whether it was composed as markup or plain."""
    if is_markup:
        return parse(text)
    return (Run(str(text)),) if text else ()


def visible(runs: Sequence[Run]) -> str:
    """The words as a formatting channel shows them: tags gone, entities resolved."""
    return "".join(r.text for r in runs)


def to_html(runs: Sequence[Run]) -> str:
    """The runs as HTML of the subset: every tag closed, nested properly, text escaped."""
    out: list[str] = []
    stack: tuple[Tag, ...] = ()
    for run in runs:
        common = 0
        while common < min(len(stack), len(run.tags)) and stack[common] == run.tags[common]:
            common += 1
        out += [t.close() for t in reversed(stack[common:])]
        out += [t.open() for t in run.tags[common:]]
        out.append(html.escape(run.text, quote=False))
        stack = run.tags
    out += [t.close() for t in reversed(stack)]
    return "".join(out)


def to_plain(markup: str | Sequence[Run]) -> str:
    """Plain text for a channel without formatting: tags dropped, links as "text (url)"."""
    runs = parse(markup) if isinstance(markup, str) else markup
    out: list[str] = []
    for index, run in enumerate(runs):
        out.append(run.text)
        href = _href(run)
        if href and (index + 1 == len(runs) or _href(runs[index + 1]) != href):
            start = index
            while start > 0 and _href(runs[start - 1]) == href:
                start -= 1
            label = visible(runs[start : index + 1]).strip()
            out.append("" if label == href else f" ({href})")
    return "".join(out)


def _href(run: Run) -> str:
    return next((t.href for t in run.tags if t.name == "a"), "")


def split(runs: Runs, limit: int, measure: Measure) -> list[Runs]:
    """Cut runs into pieces that each measure at most `limit`, at the best places.

    Best is a paragraph end, then a line end (never right after a heading,
    which belongs with what follows), then a sentence end, then a space; a
    word longer than the limit is cut where it must. Whitespace at a cut is
    dropped; nothing else is lost.
    """
    pieces: list[Runs] = []
    while runs:
        piece, runs = take(runs, limit, measure)
        if piece:
            pieces.append(piece)
    return pieces


def take(runs: Runs, limit: int, measure: Measure) -> tuple[Runs, Runs]:
    """The first piece that measures at most `limit` (cut as `split` cuts), and the rest."""
    text = visible(runs)
    start = _skip_space(text, 0)
    whole = _slice(runs, start, len(text))
    if measure(whole) <= limit:
        return whole, ()
    cut = _cut(runs, text, start, limit, measure)
    return _slice(runs, start, cut), _slice(runs, _skip_space(text, cut), len(text))


def fit(runs: Runs, limit: int, measure: Measure) -> tuple[Runs, Runs]:
    """What fits one message, ending in "…" when cut, and the rest (empty when it all fits)."""
    if measure(runs) <= limit:
        return runs, ()
    mark = (Run(ELLIPSIS),)
    head, rest = take(runs, limit, lambda piece: measure((*piece, *mark)))
    return (*head, *mark), rest


def _cut(runs: Runs, text: str, start: int, limit: int, measure: Measure) -> int:
    """Where the piece that begins at `start` should end."""
    low, high = start + 1, len(text)  # the longest end that still fits: binary search
    while low < high:
        middle = (low + high + 1) // 2
        if measure(_slice(runs, start, middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    end = low
    heading = _heading_lines(runs)
    for found in (
        _last_break(text, "\n\n", start, end, heading),
        _last_break(text, "\n", start, end, heading),
        _last_sentence_end(text, start, end, heading),
        _last_space(text, start, end, heading),
    ):
        if found > start:
            return found
    return end


def _last_break(text: str, mark: str, start: int, end: int, heading: set[int]) -> int:
    """The last `mark` in the piece that does not follow a heading line (-1 if none)."""
    at = text.rfind(mark, start + 1, end + len(mark))
    while at > start:
        # The line the break ends, blank lines passed over: a heading's own "\n\n"
        # holds a "\n" that ends an empty line, and cutting there still strands it.
        line_end = at
        line_start = max(text.rfind("\n", start, line_end) + 1, start)
        while line_end > start and not text[line_start:line_end].strip():
            line_end = line_start - 1
            line_start = max(text.rfind("\n", start, line_end) + 1, start)
        if line_end > start and line_start not in heading:
            return at
        at = text.rfind(mark, start + 1, at)
    return -1


def _last_sentence_end(text: str, start: int, end: int, heading: set[int]) -> int:
    best = -1
    for found in _SENTENCE_END.finditer(text, start, min(end + 1, len(text))):
        if not _in_heading(text, found.start(), start, heading):  # "Vì sao?" is a heading
            best = found.end() - 1
    return best


def _last_space(text: str, start: int, end: int, heading: set[int]) -> int:
    """The last space of the piece outside a heading (a heading is never cut in two)."""
    at = text.rfind(" ", start + 1, end + 1)
    while at > start and _in_heading(text, at, start, heading):
        at = text.rfind(" ", start + 1, at)
    return at


def _in_heading(text: str, at: int, start: int, heading: set[int]) -> bool:
    return max(text.rfind("\n", 0, at) + 1, start) in heading


def _heading_lines(runs: Runs) -> set[int]:
    """Where the lines that are wholly bold (a heading) begin."""
    starts: set[int] = set()
    position, line_start, bold_only, has_words = 0, 0, True, False
    for run in runs:
        is_bold = any(t.name == "b" for t in run.tags)
        for char in run.text:
            if char == "\n":
                if bold_only and has_words:
                    starts.add(line_start)
                line_start, bold_only, has_words = position + 1, True, False
            elif not char.isspace():
                has_words = True
                bold_only = bold_only and is_bold
            position += 1
    if bold_only and has_words:
        starts.add(line_start)
    return starts


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _slice(runs: Runs, start: int, end: int) -> Runs:
    """The runs covering visible characters [start, end)."""
    out: list[Run] = []
    position = 0
    for run in runs:
        following = position + len(run.text)
        if following > start and position < end:
            piece = run.text[max(start - position, 0) : end - position]
            out.append(Run(piece, run.tags))
        position = following
        if position >= end:
            break
    if out:  # whitespace at a cut is the cut's, not the piece's
        out[-1] = Run(out[-1].text.rstrip(), out[-1].tags)
    return tuple(r for r in out if r.text)
