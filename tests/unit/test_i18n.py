"""Every text in the code has a Vietnamese and an English translation."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.i18n import _, format_datetime, ngettext, use_language
from bot.core.i18n_tool import inconsistent, missing


def test_no_text_lacks_a_translation() -> None:
    problems = missing()
    assert problems == [], "\n".join(problems)


def test_no_text_is_translated_two_ways() -> None:
    problems = inconsistent()
    assert problems == [], "\n".join(problems)


def test_vietnamese_is_served_with_diacritics_and_english_on_request() -> None:
    with use_language("vi"):
        assert _("Please choose your language:") == "Vui lòng chọn ngôn ngữ:"
    with use_language("en"):
        assert _("Please choose your language:") == "Please choose your language:"


def test_dates_follow_the_language_and_commune_time_zone() -> None:
    moment = datetime(2026, 2, 16, 17, 30, tzinfo=UTC)  # 00:30 on the 17th in Hà Nội
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    with use_language("vi"):
        assert "17" in format_datetime(moment, tz, "d MMMM y")
        assert "tháng" in format_datetime(moment, tz, "d MMMM y")
    with use_language("en"):
        assert format_datetime(moment, tz, "d MMMM y") == "17 February 2026"


def test_plurals_pick_the_form_the_language_needs() -> None:
    with use_language("en"):
        assert ngettext("{count} photo", "{count} photos", 1) == "{count} photo"
        assert ngettext("{count} photo", "{count} photos", 2) == "{count} photos"
    with use_language("vi"):
        assert ngettext("{count} photo", "{count} photos", 2) == "{count} ảnh"
