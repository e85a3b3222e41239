"""Read the paper-ballot totals an officer types: `village counts... [; note]`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.consultations.rules import ConsultationError
from bot.core.i18n import N_

PAPER_FORMAT = N_(
    "Write the village id, then one count per option, then an optional note after a "
    'semicolon, e.g. "dong-tam 40 12 ; village meeting 12/3".'
)


@dataclass(frozen=True)
class PaperTotals:
    village_id: str
    counts: tuple[int, ...]
    note: str


def parse_paper(text: str, options: int, villages: set[str]) -> PaperTotals:
    """The totals in `text`, or ConsultationError saying how to write them."""
    figures, _sep, note = text.partition(";")
    words = figures.split()
    if len(words) != options + 1 or words[0] not in villages:
        raise ConsultationError(PAPER_FORMAT)
    if not all(w.isascii() and w.isdigit() and len(w) <= 6 for w in words[1:]):
        raise ConsultationError(PAPER_FORMAT)
    return PaperTotals(words[0], tuple(int(w) for w in words[1:]), note.strip()[:500])
