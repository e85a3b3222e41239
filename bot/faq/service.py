"""The FAQ as the bot uses it: ask, pick, judge, hand over, publish, and the figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.core.clock import Clock
from bot.core.config import ConfigError, Settings
from bot.core.db import Database, Transaction
from bot.faq.content import ShippedEntry, load_content
from bot.faq.desk import QuestionDesk, Receipt
from bot.faq.journal import HELPFUL, NOT_HELPFUL, FaqStats, Journal
from bot.faq.matcher import QUESTION_CHARS, Matcher, Thresholds, Verdict
from bot.faq.normalize import fold
from bot.faq.repository import EntryDraft, FaqEntry, FaqRepository, IndexText
from bot.faq.synonyms import load_lexicon
from bot.messaging.channels import Recipient

CANDIDATES = 10
SHOWN = 3

Saved = tuple[int, bool, IndexText]  # entry id, whether it existed, its folded text


@dataclass(frozen=True)
class FaqSettings:
    """The `[faq]` table of config.toml."""

    thresholds: Thresholds = field(default_factory=Thresholds)

    @classmethod
    def from_settings(cls, settings: Settings) -> FaqSettings:
        section: Mapping[str, Any] = settings.section("faq")
        # How long officers take to answer is the desk's to say (for cases:
        # [cases.deadlines] question), so it is not a setting of the FAQ.
        unknown = sorted(set(section) - {"confident", "middling"})
        if unknown:
            raise ConfigError(f"[faq] {unknown[0]}", "unknown setting")
        confident = _share(section, "confident", Thresholds.confident)
        middling = _share(section, "middling", Thresholds.middling)
        if middling > confident:
            raise ConfigError("[faq] middling", "must not be above [faq] confident")
        return cls(Thresholds(confident=confident, middling=middling))


def _share(section: Mapping[str, Any], key: str, default: float) -> float:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ConfigError(f"[faq] {key}", f"a share between 0 and 1, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Match:
    """An entry offered for a question, with its BM25 score and how much of the question it covers."""

    entry: FaqEntry
    score: float
    coverage: float


@dataclass(frozen=True)
class Reply:
    """What the FAQ makes of a question: the verdict, the best matches, the log id."""

    verdict: Verdict
    matches: tuple[Match, ...]
    query_id: int | None = None

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


@dataclass(frozen=True)
class Publication:
    """An officer's answer made an entry; `first` is False when it was published before."""

    entry: FaqEntry
    first: bool


@dataclass(frozen=True)
class ImportReport:
    """How many entries an import added and updated."""

    added: int
    updated: int


class FaqService:
    """Everything the handlers and the CLI do with the FAQ."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        matcher: Matcher,
        journal: Journal,
        desk: QuestionDesk | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self.entries = FaqRepository(db, clock)
        self.matcher = matcher
        self.journal = journal
        # Where "send to the officers" goes; the command line needs none.
        self._desk = desk
        # Entries for one village only (few): entry id -> village.
        self._villages: dict[int, str] = {}

    @classmethod
    async def open(
        cls,
        db: Database,
        clock: Clock,
        settings: Settings,
        desk: QuestionDesk | None = None,
        content: Sequence[ShippedEntry] | None = None,
    ) -> FaqService:
        """Read the word list and the shipped FAQ, sync it into SQLite and index it."""
        config = FaqSettings.from_settings(settings)
        matcher = Matcher(load_lexicon(), config.thresholds)
        service = cls(db, clock, matcher, Journal(db, clock), desk)
        await service.sync_content(load_content() if content is None else content)
        return service

    @property
    def desk(self) -> QuestionDesk:
        if self._desk is None:
            raise RuntimeError("the FAQ was opened without a question desk")
        return self._desk

    @property
    def answer_within_days(self) -> int:
        """What the citizen is promised before they send a question on."""
        return self.desk.answer_within_days

    async def sync_content(self, shipped: Sequence[ShippedEntry]) -> None:
        """Bring shipped entries into SQLite: new or changed files win, removed ones retire.

        An entry an officer changed by CSV import keeps the officer's text
        until the shipped file itself changes.
        """
        async with self._db.transaction() as tx:
            known = await self.entries.content_hashes(tx)
            for item in shipped:
                slug = item.draft.slug or ""
                entry_id, synced_hash, active = known.get(slug, (None, None, False))
                if synced_hash == item.content_hash and active:
                    continue
                key, index = self.matcher.index_text(item.draft)
                entry_id = entry_id or await self.entries.find_id(tx, None, key)
                await self.entries.save(
                    tx,
                    item.draft,
                    key=key,
                    index=index,
                    origin="content",
                    content_hash=item.content_hash,
                    entry_id=entry_id,
                )
            slugs = {item.draft.slug for item in shipped}
            retired = [v[0] for s, v in known.items() if s not in slugs and v[2]]
            await self.entries.deactivate(tx, retired)
        self.matcher.reset(await self.entries.index_texts())
        self._villages = await self.entries.village_entries()

    async def ask(
        self,
        text: str,
        asker: Recipient | None = None,
        *,
        correct: bool = True,
        village: str | None = None,
    ) -> Reply:
        """Match a question; log it when a citizen asked (`asker`), not when an officer tries.

        `village` is the asker's: an entry for another village is not theirs.
        `correct=False` skips typo repair, to measure what it is worth.
        """
        analysis = self.matcher.analyze(text, correct=correct)
        if not analysis.concepts:
            return Reply(Verdict.EMPTY, ())
        expression = self.matcher.expression(analysis)
        found = await self.entries.search(expression, CANDIDATES) if expression else []
        found = [f for f in found if self._villages.get(f[0], village) == village]
        candidates = self.matcher.judge(analysis, found)[:SHOWN]
        verdict = self.matcher.verdict(candidates)
        if verdict is Verdict.MIDDLING:  # a suggestion covering little of the question is noise
            candidates = [c for c in candidates if c.coverage >= self.matcher.thresholds.middling]
        entries = await self.entries.get_many([c.entry_id for c in candidates])
        matches = tuple(Match(entries[c.entry_id], c.score, c.coverage) for c in candidates)
        query_id = None
        if asker is not None:
            best = matches[0] if matches else None
            query_id = await self.journal.record(
                asker,
                text,
                fold(text[:QUESTION_CHARS]),  # what the matcher read, for grouping
                verdict.value,
                best.coverage if best else 0.0,
                best.entry.id if best and verdict is Verdict.CONFIDENT else None,
            )
        return Reply(verdict, matches, query_id)

    async def choose(self, query_id: int, asker: Recipient, entry_id: int) -> FaqEntry | None:
        """The citizen picked one of the offered questions: its entry, if the pick is theirs."""
        asked = await self.journal.get(query_id)
        entry = await self.entries.get(entry_id)
        if asked is None or asked.asker != asker or entry is None:
            return None
        await self.journal.shown(query_id, entry_id)
        return entry

    async def feedback(self, query_id: int, asker: Recipient, helpful: bool) -> bool:
        """Record whether the answer shown helped; False if the question is not theirs."""
        asked = await self.journal.get(query_id)
        if asked is None or asked.asker != asker:
            return False
        await self.journal.feedback(query_id, HELPFUL if helpful else NOT_HELPFUL)
        return True

    async def unsent(self, query_id: int, asker: Recipient) -> str | None:
        """The asker's logged question, if it is theirs and not sent yet."""
        asked = await self.journal.get(query_id)
        if asked is None or asked.asker != asker or asked.sent_code is not None:
            return None
        return asked.text

    async def send_to_officers(
        self, query_id: int, asker: Recipient, language: str, detail: str = ""
    ) -> Receipt | None:
        """Hand the logged question (and the detail added) to the officers once.

        None if it is not the asker's or was sent already. A refusal of the
        desk (DeskRefused) leaves the question unsent, so the citizen may
        send it later.
        """
        asked = await self.journal.get(query_id)
        if asked is None or asked.asker != asker or asked.sent_code is not None:
            return None
        text = f"{asked.text}\n{detail}".strip()
        receipt = await self.desk.submit(asker, text, language=language)
        await self.journal.sent(query_id, receipt.code)
        return receipt

    async def publish(
        self,
        question: str,
        answer: str,
        *,
        topic: str = "",
        source: str = "",
        ref: str | None = None,
        village_id: str | None = None,
    ) -> Publication:
        """Make an officer's answer an entry, so the same question is answered at once.

        `ref` names where the answer comes from (opaque to the FAQ, e.g. a
        case's answer): the same `ref` is published once, a second call only
        returns the entry it became. `village_id` limits the entry to one village.
        """
        draft = EntryDraft(
            question, answer, topic=topic, source=source, reviewed=True, village_id=village_id
        )
        async with self._db.transaction() as tx:
            known = await self.entries.published_as(tx, ref) if ref else None
            if known is None:
                saved = await self._save_in(tx, [draft.normalized()], origin="published")
                if ref:
                    await self.entries.record_publication(tx, ref, saved[0][0])
        if known is not None:
            entry = await self.entries.get(known)
            assert entry is not None
            return Publication(entry, first=False)
        await self._learn(saved)
        entry = await self.entries.get(saved[0][0])
        assert entry is not None
        self._villages.pop(entry.id, None)
        if entry.village_id is not None:
            self._villages[entry.id] = entry.village_id
        return Publication(entry, first=True)

    async def published_entry(self, ref: str) -> FaqEntry | None:
        """The entry an answer from `ref` was published as, if it was."""
        known = await self.entries.published_as(self._db, ref)
        return None if known is None else await self.entries.get(known)

    async def import_drafts(self, drafts: Sequence[EntryDraft]) -> ImportReport:
        """Add or update (same folded question) entries, all in one transaction."""
        before = await self.entries.count()
        await self._save_drafts([d.normalized() for d in drafts], origin="import")
        added = await self.entries.count() - before
        return ImportReport(added=added, updated=len(drafts) - added)

    async def _save_drafts(self, drafts: Sequence[EntryDraft], origin: str) -> list[int]:
        async with self._db.transaction() as tx:
            saved = await self._save_in(tx, drafts, origin)
        await self._learn(saved)
        return [entry_id for entry_id, _, _ in saved]

    async def _save_in(
        self, tx: Transaction, drafts: Sequence[EntryDraft], origin: str
    ) -> list[Saved]:
        """Insert or update (same folded question) each draft: (id, existed, index) each."""
        saved: list[Saved] = []
        for draft in drafts:
            key, index = self.matcher.index_text(draft)
            existing = await self.entries.find_id(tx, None, key)
            entry_id = await self.entries.save(
                tx, draft, key=key, index=index, origin=origin, entry_id=existing
            )
            saved.append((entry_id, existing is not None, index))
        return saved

    async def _learn(self, saved: Sequence[Saved]) -> None:
        """Teach the matcher the new words; an update changes old ones, so rebuild then."""
        if any(existed for _, existed, _ in saved):
            self.matcher.reset(await self.entries.index_texts())
        else:
            for _, _, index in saved:
                self.matcher.learn(index)

    async def stats(self, days: int = 30) -> FaqStats:
        return await self.journal.stats(self._clock.now() - timedelta(days=days))
