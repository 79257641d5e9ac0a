"""Issue 15, defect 3: the README's systemd install gives a config the service user can read and a database
in the unit's StateDirectory (writable under ProtectSystem=strict), not next to the config under /etc."""

from __future__ import annotations

import grp
import os
import pwd
import re
import shlex
import stat
import subprocess
from pathlib import Path

from monitor.config import load_config

ROOT = Path(__file__).parents[2]
UNIT = ROOT / "deploy" / "kommunvakt.service"
EXAMPLE = ROOT / "deploy" / "kommunvakt.example.toml"


def unit_settings() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in UNIT.read_text().splitlines() if "=" in line and not line.startswith("#"))
    return {key: value for key, value in pairs}


def readme_install_commands() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("`kommunvakt.service` — a hardened systemd unit"):]
    block = section[section.index("```sh") + 5:section.index("```", section.index("```sh") + 5)]
    return [shlex.split(part) for line in block.splitlines() for part in line.split("&&") if part.strip()]


def run_installs_under(root: Path) -> dict[str, str]:
    """Run the README's `install` commands with their targets under `root`; returns target -> README's group."""
    me, my_group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
    groups = {}
    for command in readme_install_commands():
        if command[:2] != ["sudo", "install"]:
            continue
        arguments = command[1:]
        target = arguments[-1]
        groups[target] = arguments[arguments.index("-g") + 1]
        arguments[arguments.index("-o") + 1] = me  # the service user and group do not exist on this machine
        arguments[arguments.index("-g") + 1] = my_group
        arguments[-1] = str(root / target.lstrip("/"))
        arguments = [str(ROOT / a) if a.startswith("deploy/") else a for a in arguments]
        if "-D" not in arguments:
            Path(arguments[-1]).parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(arguments, check=True)
    return groups


def test_the_readme_install_commands_make_the_config_readable_by_the_service_group_only(tmp_path):
    groups = run_installs_under(tmp_path)
    settings = unit_settings()
    config = tmp_path / "etc/kommunvakt/kommunvakt.toml"
    assert stat.S_IMODE(config.stat().st_mode) == 0o640  # owner rw, group r, others nothing
    assert groups["/etc/kommunvakt/kommunvakt.toml"] == settings["Group"] == "kommunvakt"  # was root:root
    assert stat.S_IMODE((tmp_path / "etc/kommunvakt/env").stat().st_mode) == 0o600  # secrets: read by systemd
    assert stat.S_IMODE((tmp_path / "etc/systemd/system/kommunvakt.service").stat().st_mode) == 0o644
    assert settings["Environment"] == "KOMMUNVAKT_CONFIG=/etc/kommunvakt/kommunvakt.toml"


def test_the_readme_creates_the_user_and_group_the_unit_runs_as():
    (useradd,) = [c for c in readme_install_commands() if c[1:2] == ["useradd"]]
    settings = unit_settings()
    assert useradd[-1] == settings["User"] == settings["Group"] and "--user-group" in useradd
    (pip,) = [c for c in readme_install_commands() if c[1:2] == [".venv/bin/pip"]]
    assert "-e" not in pip  # the unit runs the installed code, as in the container
    assert settings["ExecStart"].startswith("/opt/kommunvakt/.venv/bin/kommunvakt ")


def state_directory() -> Path:
    return Path("/var/lib") / unit_settings()["StateDirectory"]


def test_the_example_config_keeps_the_database_and_raw_files_in_the_state_directory(tmp_path):
    installed = tmp_path / "etc/kommunvakt/kommunvakt.toml"
    installed.parent.mkdir(parents=True)
    installed.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    systemd_environment = {"STATE_DIRECTORY": str(state_directory()), "KOMMUNVAKT_CONFIG": str(installed)}

    config = load_config(None, environ=systemd_environment)

    assert config.database_url == f"sqlite:///{state_directory()}/kommunvakt.db"  # was /etc/kommunvakt/data/...
    assert config.data_dir == state_directory() and config.raw_dir.is_relative_to(state_directory())
    assert str(state_directory()) in unit_settings()["ReadWritePaths"].split()
    assert unit_settings()["ProtectSystem"] == "strict"


def test_without_data_dir_the_state_directory_systemd_gives_is_used(tmp_path):
    text = re.sub(r"(?m)^data_dir = .*$", "", EXAMPLE.read_text(encoding="utf-8"))
    path = tmp_path / "kommunvakt.toml"
    path.write_text(text, encoding="utf-8")
    assert load_config(str(path), environ={"STATE_DIRECTORY": "/var/lib/kommunvakt"}).database_url == \
        "sqlite:////var/lib/kommunvakt/kommunvakt.db"
    assert load_config(str(path), environ={}).data_dir == tmp_path / "data"  # outside systemd: next to the config


def test_the_unit_waits_for_ready_and_has_a_watchdog():
    settings = unit_settings()
    assert settings["Type"] == "notify" and int(settings["WatchdogSec"]) >= 3 * 30  # pinged every 30 s
