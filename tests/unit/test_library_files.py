"""Library files: front matter, checks that name the line at fault, and the shipped samples."""

from pathlib import Path

import pytest

from bot.core.config import Settings
from bot.outreach.library.frontmatter import FrontMatterError, parse
from bot.outreach.library.items import LIBRARY_DIR, load_folder, parse_item

GOOD = """---
id: mot-bai
kind: model_story
title: "Một bài: có dấu hai chấm"
topics: [model_story, rural]
villages: [dong-tam]
date: 2024-05-01
sample: true
---
Nội dung bài viết.
"""


def test_front_matter_values_lists_flags_and_body() -> None:
    doc = parse(GOOD)
    assert doc.fields["title"] == "Một bài: có dấu hai chấm"
    assert doc.fields["topics"] == ("model_story", "rural")
    assert doc.fields["sample"] is True
    assert doc.body == "Nội dung bài viết." and doc.lines["date"] == 7


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("no front matter", 1, "must start"),
        ("---\nid: a\n", 2, "not closed"),
        ("---\nid: a\nthis is not a key\n---\nbody", 3, "expected 'key: value'"),
        ("---\nid: a\nid: b\n---\nbody", 3, "given twice"),
        ("---\ntopics: [a, b\n---\nbody", 2, "must end with ']'"),
        ('---\ntitle: "open\n---\nbody', 2, "unclosed quote"),
    ],
)
def test_front_matter_mistakes_name_their_line(text: str, line: int, words: str) -> None:
    with pytest.raises(FrontMatterError) as caught:
        parse(text)
    assert caught.value.line == line and words in caught.value.problem


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("kind: model_story", "kind: story", 3, "one of model_story"),
        ("date: 2024-05-01", "date: 01/05/2024", 7, "YYYY-MM-DD"),
        ("villages: [dong-tam]", "villages: [mars]", 6, "unknown village 'mars'"),
        ("topics: [model_story, rural]", "topics: [football]", 5, "unknown topic 'football'"),
        ("id: mot-bai", "id: Một Bài", 2, "lowercase letters"),
        ("sample: true", "sample: yes", 8, "true or false"),
        ("sample: true", "colour: red", 8, "unknown key 'colour'"),
        ("Nội dung bài viết.", "", 10, "body below the front matter is empty"),
        ("sample: true", "image: missing.png", 8, "not a file beside the item"),
    ],
)
def test_item_checks_name_the_line_at_fault(
    settings: Settings, tmp_path: Path, old: str, new: str, line: int, words: str
) -> None:
    path = tmp_path / "bai.md"
    path.write_text(GOOD.replace(old, new), encoding="utf-8")
    with pytest.raises(FrontMatterError) as caught:
        parse_item(path, settings)
    assert caught.value.line == line and words in caught.value.problem


def test_a_bad_file_is_skipped_and_reported_the_rest_load(
    settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text(GOOD.replace("kind: model_story", "kind: x"), encoding="utf-8")
    (tmp_path / "c.md").write_text(GOOD, encoding="utf-8")  # the same id again
    items, problems = load_folder(tmp_path, settings)
    assert [i.source for i in items] == ["a.md"]
    assert [str(p).split(": ")[0] for p in problems] == ["b.md:3", "c.md:2"]
    assert "is also a.md" in str(problems[1])


def test_the_shipped_samples_are_valid_marked_and_cover_the_plans_themes(
    settings: Settings,
) -> None:
    items, problems = load_folder(LIBRARY_DIR, settings)
    assert problems == [] and len(items) >= 10
    assert all(i.sample and "(Bài mẫu)" in i.title for i in items)
    assert {"model_story", "good_deed", "policy", "reform", "announcement"} <= {
        i.kind for i in items
    }
    topics = {t for i in items for t in i.topics}
    assert {"model_story", "good_deed", "democracy", "reform", "reception"} <= topics
    assert any("dân biết, dân bàn, dân làm, dân kiểm tra" in i.body.lower() for i in items)
    assert any(i.image is not None for i in items)
