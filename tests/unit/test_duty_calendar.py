"""The duty calendar file and the [duties] settings: loaded, or refused with a clear error."""

import os
import subprocess
from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.config import ConfigError
from bot.core.paths import CONTENT_DIR
from bot.duties.calendar import load_calendar
from bot.duties.recurrence import WorkingDayRule
from bot.duties.settings import DutySettings, duty_settings
from bot.people.officers import Role
from tests import cli

HN = ZoneInfo("Asia/Ho_Chi_Minh")
GOOD = """
[[duty]]
id = "report-monthly"
vi = "Báo cáo tháng"
en = "Monthly report"
role = "office"
every = "month"
day = 25
time = "16:00"
remind = ["7d", "1d", "8h"]
escalate_after = "1d"
"""


def load(tmp_path: Path, text: str, rule: WorkingDayRule = WorkingDayRule.PREVIOUS):
    path = tmp_path / "duties.toml"
    path.write_text(text, encoding="utf-8")
    return load_calendar(path, rule, HN)


def test_the_shipped_calendar_covers_the_plan() -> None:
    calendar = load_calendar(CONTENT_DIR / "duties.toml", WorkingDayRule.PREVIOUS, HN)
    by_role = {d.id: d.role for d in calendar.duties}
    assert by_role == {
        "report-monthly": Role.OFFICE,
        "report-quarterly": Role.OFFICE,
        "report-half-year": Role.OFFICE,
        "report-annual": Role.OFFICE,
        "citizen-reception": Role.CHAIRMAN,
        "model-story-column": Role.CULTURE,
        "finance-disclosure": Role.FINANCE,
    }
    reception = calendar.get("citizen-reception")
    assert reception is not None and reception.recurrence.every == "week"
    assert reception.name("vi").startswith("Ngày tiếp công dân")
    reports = {d.id: d.report for d in calendar.duties if d.report}
    assert reports == {
        "report-monthly": "month",
        "report-quarterly": "quarter",
        "report-half-year": "half_year",
        "report-annual": "year",
    }
    assert {d.recurrence.every for d in calendar.duties} == {
        "week", "month", "quarter", "half_year", "year"
    }  # fmt: skip


def test_a_good_duty_is_read_whole(tmp_path: Path) -> None:
    duty = load(tmp_path, GOOD, WorkingDayRule.NEXT).duties[0]
    assert duty.names == {"vi": "Báo cáo tháng", "en": "Monthly report"}
    assert duty.recurrence.day == 25 and duty.recurrence.time == time(16, 0)
    assert duty.reminders == (
        ("7d", timedelta(days=7)),
        ("1d", timedelta(days=1)),
        ("8h", timedelta(hours=8)),
    )
    assert duty.escalate_after == timedelta(days=1)
    assert duty.working_day is WorkingDayRule.NEXT  # the [duties] default applies


def test_cron_duty(tmp_path: Path) -> None:
    text = GOOD.replace('every = "month"\nday = 25\ntime = "16:00"\n', 'cron = "0 8 * * 1"\n')
    assert load(tmp_path, text).duties[0].recurrence.cron == "0 8 * * 1"


@pytest.mark.parametrize(
    ("change", "setting", "problem"),
    [
        (('role = "office"', 'role = "mayor"'), "duty 'report-monthly' role", "unknown role"),
        (('en = "Monthly report"\n', ""), "duty 'report-monthly' en", "name in this language"),
        (("day = 25", "day = 32"), "duty 'report-monthly' day", "1 to 31, or -1"),
        (('every = "month"', 'every = "fortnight"'), "duty 'report-monthly' every", "week, month"),
        (('time = "16:00"', 'time = "4pm"'), "duty 'report-monthly' time", "16:30"),
        (('"8h"]', '"8 hours"]'), "duty 'report-monthly' remind", "duration"),
        (('escalate_after = "1d"', 'escalate_after = "soon"'), "escalate_after", "duration"),
        (("day = 25", 'day = 25\ncolour = "red"'), "duty 'report-monthly' colour", "unknown key"),
        (("day = 25", 'day = 25\nworking_day = "later"'), "working_day", "previous, next"),
        (('every = "month"\n', 'cron = "0 8 * * 1"\nevery = "month"\n'), "cron", "drop 'every'"),
        (('id = "report-monthly"', 'id = "Báo cáo"'), "duty #1 id", "lowercase"),
        (
            ("day = 25", 'day = 25\nreport = "week"'),
            "duty 'report-monthly' report",
            "month, quarter",
        ),
    ],
)
def test_mistakes_name_the_duty_and_key(tmp_path: Path, change, setting, problem) -> None:
    with pytest.raises(ConfigError) as error:
        load(tmp_path, GOOD.replace(*change))
    assert setting in error.value.setting
    assert problem in error.value.problem


def test_bad_cron_and_quarter_month(tmp_path: Path) -> None:
    cron = GOOD.replace('every = "month"\nday = 25\ntime = "16:00"\n', 'cron = "0 8 * *"\n')
    with pytest.raises(ConfigError, match="report-monthly' cron"):
        load(tmp_path, cron)
    quarter = GOOD.replace('every = "month"', 'every = "quarter"\nmonth = 4')
    with pytest.raises(ConfigError, match="must be 1 to 3"):
        load(tmp_path, quarter)


def test_duplicate_ids_and_empty_or_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="used twice"):
        load(tmp_path, GOOD + GOOD)
    with pytest.raises(ConfigError, match=r"at least one \[\[duty\]\]"):
        load(tmp_path, "# nothing\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load(tmp_path, "[[duty]\n")
    with pytest.raises(ConfigError, match="cannot read"):
        load_calendar(tmp_path / "absent.toml", WorkingDayRule.PREVIOUS, HN)


def test_duty_settings_defaults_and_overrides(tmp_path: Path) -> None:
    assert duty_settings({}) == DutySettings()
    own = duty_settings(
        {
            "calendar": str(tmp_path / "mine.toml"),
            "working_day": "next",
            "sweep_time": time(6, 45),
            "digest": True,
            "digest_weekday": "friday",
            "digest_time": "16:30",
        }
    )
    assert own.calendar == tmp_path / "mine.toml" and own.working_day is WorkingDayRule.NEXT
    assert own.sweep_time == time(6, 45) and own.digest and own.digest_weekday == 4
    assert own.digest_time == time(16, 30)


@pytest.mark.parametrize(
    ("section", "setting"),
    [
        ({"calender": "x"}, "[duties] calender"),
        ({"working_day": "later"}, "[duties] working_day"),
        ({"tick_seconds": 0}, "[duties] tick_seconds"),
        ({"sweep_time": "half past seven"}, "[duties] sweep_time"),
        ({"digest": "yes"}, "[duties] digest"),
        ({"digest_weekday": "someday"}, "[duties] digest_weekday"),
        ({"case_warning_days": -1}, "[duties] case_warning_days"),
    ],
)
def test_duty_settings_refuse_mistakes(section, setting) -> None:
    with pytest.raises(ConfigError) as error:
        duty_settings(section)
    assert error.value.setting == setting


def run_cli(config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DANVAN_CONFIG": str(config)}
    env.pop("BOT_TOKEN", None)
    return cli.run_cli("duties", env=env)


def test_cli_lists_the_calendar_or_names_the_mistake(tmp_path: Path) -> None:
    good = run_cli(tmp_path / "absent.toml")
    assert good.returncode == 0, good.stderr
    assert "7 duties" in good.stdout and "citizen-reception" in good.stdout
    calendar = tmp_path / "duties.toml"
    calendar.write_text(GOOD.replace("day = 25", "day = 0"), encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[duties]\ncalendar = "{calendar}"\n', encoding="utf-8")
    bad = run_cli(config)
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "Configuration error: duties.toml duty 'report-monthly' day:"
        " must be a day of the month, 1 to 31, or -1 for the last day"
    )
