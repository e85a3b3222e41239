"""Read the paper-ballot totals an officer types: `village counts... [; note]`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.consultations.model import CHOICE_TYPES, Consultation
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
    question: int = 0


def parse_paper(text: str, consultation: Consultation, villages: set[str]) -> PaperTotals:
    """The totals in `text`, or ConsultationError saying how to write them.

    With several questions the text starts with the question's number (from 1);
    only single-choice and yes/no questions have paper totals.
    """
    figures, _sep, note = text.partition(";")
    words = figures.split()
    question = 0
    if len(consultation.questions) > 1:
        if not words or not (words[0].isascii() and words[0].isdigit()):
            raise ConsultationError(PAPER_FORMAT)
        question, words = int(words[0]) - 1, words[1:]
    if not 0 <= question < len(consultation.questions):
        raise ConsultationError(PAPER_FORMAT)
    asked = consultation.questions[question]
    options = len(asked.options)
    if asked.type not in CHOICE_TYPES or len(words) != options + 1 or words[0] not in villages:
        raise ConsultationError(PAPER_FORMAT)
    if not all(w.isascii() and w.isdigit() and len(w) <= 6 for w in words[1:]):
        raise ConsultationError(PAPER_FORMAT)
    return PaperTotals(words[0], tuple(int(w) for w in words[1:]), note.strip()[:500], question)
