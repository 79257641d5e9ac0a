"""Broken configurations and bad commands: a message that says what and where, exit code 2, nothing written.

Each case runs the real `kommunvakt` entry point (in this process; a few also as a process) in an empty
directory; afterwards only the config file may be there (no database file, no data directory).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from monitor.cli import main
from tests.support.cli import kommunvakt as kommunvakt_process

GOOD = "[crawl]\nallow_private_addresses = true\ndefault_sources = false\n"
SOURCE = '[[sources]]\nname = "vaggeryd"\nmunicipality = "Vaggeryd"\nstart_urls = ["http://127.0.0.1:9/"]\n'

# (config text, words the error must contain: what, where, line)
BROKEN_CONFIGS = [
    ("x = \n", ["not valid TOML", "line 1"]),
    ("[crawl]\npdf_timeout_seconds = \"soon\"\n", ["crawl.pdf_timeout_seconds", "must be an integer", "(line 2)"]),
    ("[crawl]\n\npdf_max_pages = 0\n", ["crawl.pdf_max_pages", "at least 1", "(line 3)"]),
    ("[crawl]\nocr_timeout_seconds = 0\n", ["crawl.ocr_timeout_seconds", "at least 1", "(line 2)"]),
    ("[crawl]\nocr_comand = \"tesseract\"\n", ["crawl.ocr_comand", "unknown key", "(line 2)"]),
    ("[crawl]\ndownload_timeout_seconds = -1\n", ["crawl.download_timeout_seconds", "(line 2)"]),
    ("crawl = 5\n", ["crawl", "must be a table", "(line 1)"]),
    ("[[sources]]\nmunicipality = \"Atlantis\"\nstart_urls = [\"https://x.se/\"]\n",
     ["sources[0].municipality", "Atlantis", "(line 2)"]),
    ("[[sources]]\nmunicipality = \"Vaggeryd\"\nstart_urls = [\"file:///etc/passwd\"]\n",
     ["sources[0].start_urls", "not an http(s) URL", "file:///etc/passwd", "(line 3)"]),
    ("[[sources]]\nmunicipality = \"Vaggeryd\"\nstart_urls = [\"https://x.se/\"]\nevery = \"often\"\n",
     ["sources[0].every", "not a duration", "(line 4)"]),
    ("[database]\nurl = \"mysql://x\"\n", ["database.url", "must start with", "(line 2)"]),
    ("[[alerts.targets]]\nurl_env = \"KOMMUNVAKT_TEST_UNSET_VARIABLE\"\n",
     ["alerts.targets[0].url_env", "KOMMUNVAKT_TEST_UNSET_VARIABLE is not set", "(line 2)"]),
    ("[daemon]\ndispatch_every_s = -5\n", ["daemon.dispatch_every_s", "must not be negative", "(line 2)"]),
    ("[service]\nenv_file = \"missing.env\"\n", ["service.env_file", "not found", "(line 2)"]),
]

BAD_COMMANDS = [
    (["crawl", "--municipality", "Atlantis"], ["unknown municipality", "Atlantis"]),
    (["crawl", "--municipality", "Vaggeryd", "--bogus"], ["unrecognized arguments: --bogus"]),
    (["crawl"], ["one of the arguments --municipality --all --press --source is required"]),
    (["crawl", "--source", "nope"], ["no enabled source", "nope"]),
    (["crawl", "--municipality", "Vaggeryd", "--since", "2025-01-01"], ["--since", "--no-alerts"]),
    (["history", "--municipality", "Atlantis"], ["unknown municipality", "Atlantis"]),
    (["reread", "--source", "nope"], ["no source 'nope'"]),
    (["reread", "--municipality", "Atlantis"], ["unknown municipality", "Atlantis"]),
    (["export", "--format", "xml"], ["invalid choice: 'xml'"]),
    (["alerts", "retry", "seven"], ["invalid int value: 'seven'"]),
    (["frobnicate"], ["invalid choice: 'frobnicate'"]),
]


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def kommunvakt(monkeypatch, capsys):
    """The real `kommunvakt` entry point, in this process (fast); `spawned` below runs it as a process."""
    monkeypatch.delenv("KOMMUNVAKT_CONFIG", raising=False)
    monkeypatch.delenv("KOMMUNVAKT_ENV_FILE", raising=False)

    def run(directory: Path, config: str, *args: str) -> Outcome:
        monkeypatch.chdir(directory)
        try:
            code = main(["--config", config, *args])
        except SystemExit as exit_:  # argparse's errors
            code = exit_.code if isinstance(exit_.code, int) else 2
        out = capsys.readouterr()
        return Outcome(code, out.out, out.err)

    return run


def spawned(directory: Path, config: str, *args: str) -> subprocess.CompletedProcess:
    return kommunvakt_process(config, *args, cwd=directory, timeout=60,
                              env={"PATH": "/usr/bin:/bin", "HOME": str(directory)})


def assert_nothing_written(directory: Path, allowed: set[str]) -> None:
    assert {p.name for p in directory.iterdir()} == allowed


COMMANDS = [["status"], ["crawl", "--municipality", "Vaggeryd"], ["run"]]  # each config meets one, in turn
CONFIG_CASES = [(text, words, COMMANDS[i % len(COMMANDS)]) for i, (text, words) in enumerate(BROKEN_CONFIGS)]


@pytest.mark.parametrize(("text", "words", "command"), CONFIG_CASES,
                         ids=[f"{c[1][0]}-{c[2][0]}" for c in CONFIG_CASES])
def test_a_broken_config_says_what_and_where_exits_2_and_writes_nothing(kommunvakt, tmp_path: Path, text: str,
                                                                        words: list[str], command: list[str]) -> None:
    (tmp_path / "kommunvakt.toml").write_text(text, encoding="utf-8")

    result = kommunvakt(tmp_path, "kommunvakt.toml", *command)

    assert result.returncode == 2, result.stdout + result.stderr
    assert "invalid configuration (kommunvakt.toml)" in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert "Traceback" not in result.stderr
    assert_nothing_written(tmp_path, {"kommunvakt.toml"})


@pytest.mark.parametrize(("args", "words"), BAD_COMMANDS, ids=[" ".join(c[0]) for c in BAD_COMMANDS])
def test_a_bad_command_says_what_exits_2_and_writes_nothing(kommunvakt, tmp_path: Path, args: list[str],
                                                           words: list[str]) -> None:
    (tmp_path / "kommunvakt.toml").write_text(GOOD + SOURCE, encoding="utf-8")

    result = kommunvakt(tmp_path, "kommunvakt.toml", *args)

    assert result.returncode == 2, result.stdout + result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert "Traceback" not in result.stderr
    assert_nothing_written(tmp_path, {"kommunvakt.toml"})


@pytest.mark.parametrize(("make", "words"), [
    (lambda d: d / "missing.toml", ["file not found"]),
    (lambda d: (d / "adir.toml").mkdir() or d / "adir.toml", ["cannot read", "Is a directory"]),
    (lambda d: (d / "latin1.toml").write_bytes(b"[crawl]\ncontact = \"k\xf6k@x.se\"\n") and d / "latin1.toml",
     ["not UTF-8 text", "0xf6"]),
])
def test_an_unreadable_config_file_is_named_exits_2_and_writes_nothing(kommunvakt, tmp_path: Path, make,
                                                                       words) -> None:
    path = make(tmp_path)
    before = {p.name for p in tmp_path.iterdir()}

    result = kommunvakt(tmp_path, path.name, "status")

    assert result.returncode == 2, result.stdout + result.stderr
    assert f"invalid configuration ({path.name})" in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert_nothing_written(tmp_path, before)


@pytest.mark.parametrize(("text", "args", "words"), [
    (BROKEN_CONFIGS[1][0], ["run"], BROKEN_CONFIGS[1][1]),
    (GOOD + SOURCE, ["crawl", "--municipality", "Atlantis"], ["unknown municipality"]),
    (GOOD + SOURCE, ["crawl", "--municipality", "Vaggeryd", "--bogus"], ["unrecognized arguments: --bogus"]),
])
def test_as_a_process_too(tmp_path: Path, text: str, args: list[str], words: list[str]) -> None:
    (tmp_path / "kommunvakt.toml").write_text(text, encoding="utf-8")

    result = spawned(tmp_path, "kommunvakt.toml", *args)

    assert result.returncode == 2
    assert all(word in result.stderr for word in words), result.stderr
    assert_nothing_written(tmp_path, {"kommunvakt.toml"})


def test_the_crawl_child_refuses_bad_arguments_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "kommunvakt.toml").write_text(GOOD + SOURCE, encoding="utf-8")

    result = subprocess.run([sys.executable, "-m", "crawler.run", "--config", "kommunvakt.toml", "--source",
                             "vaggeryd", "--run-id", "x"], cwd=tmp_path, capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert "invalid int value: 'x'" in result.stdout  # in its one summary line, for the parent to record
    assert_nothing_written(tmp_path, {"kommunvakt.toml"})
