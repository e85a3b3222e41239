"""The messaging-window rule: who may be written to, by last interaction and setting."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.config import SEND_WINDOWS, ConfigError, load_settings
from bot.messaging.channels import TELEGRAM, ZALO_OA_SPEC, channel_specs, windows_of
from bot.messaging.window import outside

NOW = 1_800_000_000.0
H, D = 3600.0, 86400.0


@pytest.mark.parametrize(
    ("setting", "ago", "held_back"),
    [
        # 48h: only the free window.
        ("48h", 1 * H, False),
        ("48h", 47 * H, False),
        ("48h", 49 * H, True),
        ("48h", 6 * D, True),
        ("48h", 8 * D, True),
        # 7d: the charged days too; Zalo refuses after anyway.
        ("7d", 1 * H, False),
        ("7d", 47 * H, False),
        ("7d", 49 * H, False),
        ("7d", 6 * D, False),
        ("7d", 8 * D, True),
        # never: the bot holds nothing back; Zalo's own refusal (-230) decides.
        ("never", 1 * H, False),
        ("never", 47 * H, False),
        ("never", 49 * H, False),
        ("never", 6 * D, False),
        ("never", 8 * D, False),
    ],
)
def test_last_interaction_against_the_setting(setting: str, ago: float, held_back: bool) -> None:
    assert outside(NOW - ago, NOW, SEND_WINDOWS[setting]) is held_back


def test_someone_never_heard_from_is_outside_a_window_and_inside_no_window() -> None:
    assert outside(None, NOW, timedelta(hours=48)) is True
    assert outside(None, NOW, None) is False


def test_the_edge_of_the_window_is_inside() -> None:
    assert outside(NOW - 48 * H, NOW, timedelta(hours=48)) is False
    assert outside(NOW - 48 * H - 1, NOW, timedelta(hours=48)) is True


def load(tmp_path: Path, value: str | None):  # type: ignore[no-untyped-def]
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite"}
    if value is not None:
        env["ZALO_OA_SEND_WINDOW"] = value
    return load_settings(env, config_path=tmp_path / "none.toml", dotenv_path=tmp_path / "none")


@pytest.mark.parametrize(
    ("value", "window"),
    [(None, timedelta(hours=48)), ("48h", timedelta(hours=48)), ("7d", timedelta(days=7)),
     ("never", None)],
)  # fmt: skip
def test_only_the_official_account_has_the_window_it_is_set_to(
    tmp_path: Path, value: str | None, window: timedelta | None
) -> None:
    settings = load(tmp_path, value)
    assert settings.zalo_oa_send_window == window
    specs = {spec.name: spec for spec in channel_specs(settings)}
    assert specs[ZALO_OA_SPEC.name].window == window
    assert specs[TELEGRAM].window is None and specs["zalo_bot"].window is None
    expected = {} if window is None else {ZALO_OA_SPEC.name: window}
    assert windows_of(channel_specs(settings)) == expected


def test_a_bad_window_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, "3d")
    assert str(caught.value) == "ZALO_OA_SEND_WINDOW: must be one of 48h, 7d, never, got '3d'"


def test_progress_counts_show_the_window_only_when_it_held_something_back(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    from bot.core.i18n import use_language
    from bot.messaging.delivery import Progress
    from bot.messaging.outbox import Counts
    from handlers.outreach.admin_views import counts_text, progress_text

    settings = load(tmp_path, None)
    with use_language("vi"):
        assert "Zalo" not in counts_text(Counts(sent=5), settings)  # Telegram as it was
        done = progress_text(Progress(7, Counts(sent=3, outside=2), 2.0, True), settings)
        assert "Đã gửi: 3" in done and "Còn lại: 0 · Ngoài khung 48 giờ của Zalo: 2" in done
    with use_language("en"):
        week = counts_text(Counts(outside=1_200), replace(settings, zalo_oa_send_window=None))
        assert week.endswith("Outside Zalo's 7-day window: 1,200")


def test_the_report_lists_the_window_figure_only_when_not_zero() -> None:
    from bot.reports.figures import BroadcastFigures
    from bot.reports.labels import METRICS

    def shown(figures: BroadcastFigures) -> list[str]:
        return [m.id for m in METRICS["broadcasts"] if m.shown(figures)]

    plain = BroadcastFigures(by_kind=(), recipients=10, delivered=10)
    assert "outside_window" not in shown(plain)
    zalo = BroadcastFigures(by_kind=(), recipients=10, delivered=8, outside_window=2)
    assert shown(zalo) == [*shown(plain)[:3], "outside_window", *shown(plain)[3:]]
