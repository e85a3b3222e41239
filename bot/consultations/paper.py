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

PAPER_FORMAT_SEVERAL = N_(
    "Write the question's number, the village id, then one count per option of that "
    "question (one-choice and agree/disagree questions only), then an optional note after "
    'a semicolon, e.g. "3 dong-tam 40 12 3 ; village meeting 12/3".'
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
    problem = PAPER_FORMAT if len(consultation.questions) == 1 else PAPER_FORMAT_SEVERAL
    figures, _sep, note = text.partition(";")
    words = figures.split()
    question = 0
    if len(consultation.questions) > 1:
        if not words or not (words[0].isascii() and words[0].isdigit()):
            raise ConsultationError(problem)
        question, words = int(words[0]) - 1, words[1:]
    if not 0 <= question < len(consultation.questions):
        raise ConsultationError(problem)
    asked = consultation.questions[question]
    options = len(asked.options)
    if asked.type not in CHOICE_TYPES or len(words) != options + 1 or words[0] not in villages:
        raise ConsultationError(problem)
    if not all(w.isascii() and w.isdigit() and len(w) <= 6 for w in words[1:]):
        raise ConsultationError(problem)
    return PaperTotals(words[0], tuple(int(w) for w in words[1:]), note.strip()[:500], question)
