"""FAQ entries in SQLite, with their folded text in the FTS5 index kept in step."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.clock import Clock, to_db
from bot.core.config import nfc
from bot.core.db import Database, Transaction
from bot.faq.index import WEIGHTS

ORIGINS = ("content", "import", "published")


@dataclass(frozen=True)
class EntryDraft:
    """An entry as written by someone: a content file, a CSV row or an officer's answer."""

    question: str
    answer: str
    alternatives: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    topic: str = ""
    source: str = ""
    slug: str | None = None  # the id in content/faq; None for imported or published entries
    reviewed: bool = False
    village_id: str | None = None  # offered only in this village; None: everywhere

    def normalized(self) -> EntryDraft:
        """The same draft in NFC with surrounding blanks trimmed."""
        return EntryDraft(
            question=nfc(self.question.strip()),
            answer=nfc(self.answer.strip()),
            alternatives=tuple(nfc(a.strip()) for a in self.alternatives if a.strip()),
            keywords=tuple(nfc(k.strip()) for k in self.keywords if k.strip()),
            topic=nfc(self.topic.strip()),
            source=nfc(self.source.strip()),
            slug=self.slug,
            reviewed=self.reviewed,
            village_id=self.village_id,
        )


@dataclass(frozen=True)
class FaqEntry:
    """A stored entry."""

    id: int
    question: str
    answer: str
    alternatives: tuple[str, ...]
    keywords: tuple[str, ...]
    topic: str
    source: str
    slug: str | None
    origin: str
    reviewed: bool
    village_id: str | None = None


@dataclass(frozen=True)
class IndexText:
    """An entry's folded columns, as FTS5 stores them (see index.COLUMNS)."""

    question: str
    alternatives: str
    keywords: str
    answer: str

    def columns(self) -> tuple[str, str, str, str]:
        return (self.question, self.alternatives, self.keywords, self.answer)


class FaqRepository:
    """Reads and writes entries; every write updates the FTS5 row of the same id."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def find_id(self, tx: Transaction, slug: str | None, key: str) -> int | None:
        """The active entry with this content id, else the one asking the same folded question."""
        if slug is not None:
            row = await tx.fetchone("SELECT id FROM faq_entries WHERE slug = ?", (slug,))
            if row is not None:
                return int(row[0])
        row = await tx.fetchone(
            "SELECT id FROM faq_entries WHERE question_key = ? AND active = 1", (key,)
        )
        return None if row is None else int(row[0])

    async def save(
        self,
        tx: Transaction,
        draft: EntryDraft,
        *,
        key: str,
        index: IndexText,
        origin: str,
        content_hash: str | None = None,
        entry_id: int | None = None,
    ) -> int:
        """Insert, or update `entry_id`, and re-index it; return its id."""
        now = to_db(self._clock.now())
        values = (
            draft.question,
            key,
            draft.answer,
            "\n".join(draft.alternatives),
            ", ".join(draft.keywords),
            draft.topic,
            draft.source,
            int(draft.reviewed),
            draft.village_id,
        )
        if entry_id is None:
            entry_id = await tx.execute(
                "INSERT INTO faq_entries (question, question_key, answer, alternatives, keywords,"
                " topic, source, reviewed, village_id, slug, origin, content_hash, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, draft.slug, origin, content_hash, now, now),
            )
        else:
            await tx.execute(
                "UPDATE faq_entries SET question = ?, question_key = ?, answer = ?,"
                " alternatives = ?, keywords = ?, topic = ?, source = ?, reviewed = ?,"
                " village_id = ?, active = 1,"
                " content_hash = coalesce(?, content_hash), updated_at = ? WHERE id = ?",
                (*values, content_hash, now, entry_id),
            )
            await tx.execute("DELETE FROM faq_index WHERE rowid = ?", (entry_id,))
        await tx.execute(
            "INSERT INTO faq_index (rowid, question, alternatives, keywords, answer)"
            " VALUES (?, ?, ?, ?, ?)",
            (entry_id, *index.columns()),
        )
        return entry_id

    async def content_hashes(self, tx: Transaction) -> dict[str, tuple[int, str | None, bool]]:
        """slug -> (id, hash of the content version last synced, active) for shipped entries."""
        rows = await tx.fetchall(
            "SELECT slug, id, content_hash, active FROM faq_entries WHERE slug IS NOT NULL"
        )
        return {r["slug"]: (r["id"], r["content_hash"], bool(r["active"])) for r in rows}

    async def deactivate(self, tx: Transaction, entry_ids: Sequence[int]) -> None:
        """Take entries out of answers (kept for the history of feedback on them)."""
        now = to_db(self._clock.now())
        for entry_id in entry_ids:
            await tx.execute(
                "UPDATE faq_entries SET active = 0, updated_at = ? WHERE id = ?", (now, entry_id)
            )
            await tx.execute("DELETE FROM faq_index WHERE rowid = ?", (entry_id,))

    async def published_as(self, tx: Transaction | Database, ref: str) -> int | None:
        """The entry an answer from `ref` was published as, if it was."""
        row = await tx.fetchone("SELECT entry_id FROM faq_publications WHERE ref = ?", (ref,))
        return None if row is None else int(row[0])

    async def record_publication(self, tx: Transaction, ref: str, entry_id: int) -> None:
        await tx.execute(
            "INSERT INTO faq_publications (ref, entry_id, published_at) VALUES (?, ?, ?)",
            (ref, entry_id, to_db(self._clock.now())),
        )

    async def village_entries(self) -> dict[int, str]:
        """The active entries that hold for one village only, and their village."""
        rows = await self._db.fetchall(
            "SELECT id, village_id FROM faq_entries WHERE active = 1 AND village_id IS NOT NULL"
        )
        return {int(r[0]): str(r[1]) for r in rows}

    async def search(self, expression: str, limit: int) -> list[tuple[int, float, IndexText]]:
        """(entry id, BM25 score: higher is better, folded text) of the best `limit` matches.

        The text comes with the match, saving a round trip to judge coverage.
        """
        weights = ", ".join(str(w) for w in WEIGHTS)
        rows = await self._db.fetchall(
            f"SELECT rowid, -bm25(faq_index, {weights}) AS score, question, alternatives,"
            " keywords, answer FROM faq_index WHERE faq_index MATCH ?"
            f" ORDER BY bm25(faq_index, {weights}) LIMIT ?",
            (expression, limit),
        )
        return [(int(r[0]), float(r[1]), IndexText(r[2], r[3], r[4], r[5])) for r in rows]

    async def index_texts(self, entry_ids: Sequence[int] | None = None) -> dict[int, IndexText]:
        """Folded columns of all indexed entries, or of `entry_ids`."""
        sql = "SELECT rowid, question, alternatives, keywords, answer FROM faq_index"
        params: tuple[int, ...] = ()
        if entry_ids is not None and not entry_ids:
            return {}
        if entry_ids is not None:
            sql += f" WHERE rowid IN ({', '.join('?' * len(entry_ids))})"
            params = tuple(entry_ids)
        rows = await self._db.fetchall(sql, params)
        return {int(r[0]): IndexText(r[1], r[2], r[3], r[4]) for r in rows}

    async def get(self, entry_id: int) -> FaqEntry | None:
        row = await self._db.fetchone("SELECT * FROM faq_entries WHERE id = ?", (entry_id,))
        return None if row is None else _entry(row)

    async def get_many(self, entry_ids: Sequence[int]) -> dict[int, FaqEntry]:
        if not entry_ids:
            return {}
        marks = ", ".join("?" * len(entry_ids))
        rows = await self._db.fetchall(
            f"SELECT * FROM faq_entries WHERE id IN ({marks})", tuple(entry_ids)
        )
        return {int(r["id"]): _entry(r) for r in rows}

    async def all(self) -> list[FaqEntry]:
        rows = await self._db.fetchall(
            "SELECT * FROM faq_entries WHERE active = 1 ORDER BY topic, id"
        )
        return [_entry(r) for r in rows]

    async def count(self) -> int:
        return int(await self._db.scalar("SELECT count(*) FROM faq_entries WHERE active = 1"))


def _entry(row: sqlite3.Row) -> FaqEntry:
    return FaqEntry(
        id=int(row["id"]),
        question=row["question"],
        answer=row["answer"],
        alternatives=tuple(a for a in row["alternatives"].split("\n") if a),
        keywords=tuple(k.strip() for k in row["keywords"].split(",") if k.strip()),
        topic=row["topic"],
        source=row["source"],
        slug=row["slug"],
        origin=row["origin"],
        reviewed=bool(row["reviewed"]),
        village_id=row["village_id"],
    )
