"""Tracking codes: unambiguous alphabet, a check character, forgiving parsing."""

import random
import re

from bot.cases.codes import ALPHABET, check_character, is_valid_body, new_code, parse_code


def test_alphabet_has_no_look_alikes() -> None:
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


def test_new_codes_look_like_the_example_and_validate() -> None:
    rng = random.Random(4)
    for _ in range(500):
        code = new_code("PA", rng.randrange)
        assert code.startswith("PA-") and len(code) == 8
        assert is_valid_body(code[3:])


def test_every_single_typo_is_caught() -> None:
    for body in ("7KX4", "2222", "ZZZZ", "K4K4"):
        assert_typos_caught(body + check_character(body))


def assert_typos_caught(code: str) -> None:
    for position in range(len(code)):
        for char in ALPHABET:
            if char != code[position]:
                typo = code[:position] + char + code[position + 1 :]
                assert not is_valid_body(typo), typo


def test_swapped_neighbours_are_caught() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        body = "".join(rng.choice(ALPHABET) for _ in range(4))
        code = body + check_character(body)
        i = rng.randrange(4)
        swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
        assert swapped == code or not is_valid_body(swapped), (code, swapped)


def test_parse_forgives_case_spaces_dashes_and_a_missing_prefix() -> None:
    code = "PA-7KX4" + check_character("7KX4")
    body = code[3:]
    for typed in (code, code.lower(), f"pa {body.lower()}", body, f" PA–{body} ".replace("–", "-")):
        assert parse_code(typed) == code, typed
    assert parse_code("PA-7KX4" + ("2" if code[-1] != "2" else "3")) is None
    assert parse_code("hello") is None and parse_code("") is None
    assert parse_code("PA-0OIL1") is None


def test_every_example_code_shown_to_people_passes_its_own_check() -> None:
    """A help text's example that fails the check makes `/track <example>` say it is wrong."""
    from bot.core.paths import ROOT

    looks_like_a_code = re.compile(r"\b[A-Z]{2}-[2-9A-Z]{5}\b")
    sources = [*(ROOT / "content" / "locale").rglob("*.po"), ROOT / "README.md"]
    sources += [*(ROOT / "bot").rglob("*.py"), *(ROOT / "handlers").rglob("*.py")]
    examples = {
        (path.name, code)
        for path in sources
        for code in looks_like_a_code.findall(path.read_text(encoding="utf-8"))
    }
    assert examples, "the help texts show an example code"
    assert {(name, code) for name, code in examples if parse_code(code) != code} == set()
