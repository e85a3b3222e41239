"""The shipped FAQ finds the right entry for questions as citizens really type them."""

from bot.faq.matcher import Verdict
from bot.faq.service import FaqService
from tests.faq_queries import OFF_SUBJECT, QUERIES


async def top1(faq: FaqService, *, correct: bool) -> tuple[float, float, list[str]]:
    """Top-1 accuracy, share answered at once, and the misses."""
    hits = confident = 0
    misses = []
    for kind, question, slug in QUERIES:
        reply = await faq.ask(question, correct=correct)
        found = reply.best.entry.slug if reply.best else None
        hits += found == slug
        confident += found == slug and reply.verdict.value == "confident"
        if found != slug:
            misses.append(f"{kind}: {question!r} -> {found}, expected {slug}")
    return hits / len(QUERIES), confident / len(QUERIES), misses


def test_the_set_is_realistic() -> None:
    plain = [q for _, q, _ in QUERIES if q.isascii()]
    kinds = {k for k, _, _ in QUERIES}
    assert len(QUERIES) >= 60 and len(plain) * 2 >= len(QUERIES)
    assert {"vi", "plain", "typo", "telex", "caps", "nfd", "region"} <= kinds


async def test_top1_accuracy_is_at_least_90_percent(faq: FaqService) -> None:
    accuracy, confident, misses = await top1(faq, correct=True)
    bare_accuracy, bare_confident, _ = await top1(faq, correct=False)
    print(
        f"\nFAQ top-1 accuracy {accuracy:.1%} on {len(QUERIES)} queries"
        f" (answered at once and right: {confident:.1%});"
        f" without typo repair {bare_accuracy:.1%} ({bare_confident:.1%})"
    )
    assert accuracy >= 0.90, "\n".join(misses)


async def test_a_question_off_every_subject_gets_no_suggestion(faq: FaqService) -> None:
    """Sharing syllables is not sharing a subject: nothing fits, so nothing is offered."""
    assert {k for k, _ in OFF_SUBJECT} >= {"vi", "plain"}
    wrong = []
    for _, question in OFF_SUBJECT:
        reply = await faq.ask(question)
        if reply.verdict is not Verdict.NONE:
            wrong.append(f"{question!r}: {reply.verdict} {[m.entry.slug for m in reply.matches]}")
    assert not wrong, "\n".join(wrong)
