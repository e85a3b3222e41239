"""The Dockerfile and the systemd unit name files, users and commands that exist.

No Docker engine or systemd runs here: these checks read the files and hold
each reference against the repository and the command line's own parser.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from bot.cli.main import _run, build_parser
from bot.core.config import SETTINGS_DOC, load_settings
from bot.core.paths import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
UNIT = (ROOT / "deploy" / "danvan@.service").read_text(encoding="utf-8")
DEPLOY_README = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")


def instructions(name: str) -> list[str]:
    """The arguments of every `name` instruction of the Dockerfile (continuations joined)."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE)
    return [m.group(1).strip() for m in re.finditer(rf"^{name}\s+(.+)$", joined, re.MULTILINE)]


def unit_values(key: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(rf"^{key}=(.*)$", UNIT, re.MULTILINE)]


def runs_the_bot(argv: list[str]) -> bool:
    """`<python> -m bot run`, as the parser of `python -m bot` reads it."""
    if argv[1:4] != ["-m", "bot", "run"] or not (ROOT / "bot" / "__main__.py").exists():
        return False
    return build_parser().parse_args(argv[3:]).func is _run


def test_the_image_is_python_311_slim_and_runs_the_bot() -> None:
    assert instructions("FROM") == ["python:3.11-slim"]
    (cmd,) = instructions("CMD")
    assert runs_the_bot(json.loads(cmd))  # exec form: the bot gets docker stop's SIGTERM


def test_the_image_copies_what_exists_and_runs_as_the_user_it_creates() -> None:
    for copy in instructions("COPY"):
        *sources, _ = copy.split()
        assert all((ROOT / source).exists() for source in sources), copy
    (user,) = instructions("USER")
    assert user not in ("root", "0")
    assert any("useradd" in run and run.split()[-1] == user for run in instructions("RUN"))


def test_the_database_lands_in_the_volume(tmp_path: Path) -> None:
    (workdir,) = instructions("WORKDIR")
    (volume,) = instructions("VOLUME")
    default = load_settings({}, config_path=tmp_path / "none.toml", dotenv_path=tmp_path / "x")
    assert json.loads(volume) == [f"{workdir}/{default.database_path.parent}"]
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", "data", "config.toml"} <= set(ignored)  # no secrets or data in the image


def test_the_unit_runs_the_bot_as_the_user_the_guide_creates() -> None:
    (exec_start,) = unit_values("ExecStart")
    argv = shlex.split(exec_start)
    assert runs_the_bot(argv)
    assert f"{argv[0].removesuffix('/.venv/bin/python')}/.venv/bin/pip install -e" in DEPLOY_README
    (user,) = unit_values("User")
    assert re.search(rf"useradd .*\b{user}$", DEPLOY_README, re.MULTILINE)


def test_each_commune_has_its_own_settings_file_and_data() -> None:
    assert unit_values("EnvironmentFile") == ["/etc/danvan/%i.env"]
    assert unit_values("StateDirectory") == ["danvan/%i"]
    assert "cp /opt/danvan/deploy/danvan@.service /etc/systemd/system/" in DEPLOY_README


def test_the_example_settings_file_holds_known_valid_settings(tmp_path: Path) -> None:
    lines = (ROOT / "deploy" / "commune.env.example").read_text(encoding="utf-8").splitlines()
    pairs = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert set(pairs) - {"DANVAN_CONFIG"} <= set(SETTINGS_DOC)
    env = {**pairs, "DATABASE_URL": f"sqlite:///{tmp_path}/danvan.db"}  # not /var/lib here
    settings = load_settings(env, config_path=tmp_path / "none.toml", dotenv_path=tmp_path / "x")
    assert settings.webhook.url and settings.webhook.listen == "127.0.0.1"


def test_the_bots_bytecode_is_compiled_where_the_bot_cannot_write_it() -> None:
    # Else every start compiles some 260 modules again before the first answer.
    (compiled,) = [run for run in instructions("RUN") if "compileall" in run]
    assert all(package in compiled.split() for package in ("bot", "handlers", "scheduler"))
    assert "/opt/danvan/.venv/bin/python -m compileall -q /opt/danvan" in DEPLOY_README
