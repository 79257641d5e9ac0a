"""The one writer of `kommunvakt.toml` for tests: plain dicts in, a TOML file out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

# What every test crawl needs: loopback sites, no default sources for all 290 municipalities, no delay.
LOOPBACK_CRAWL = {"allow_private_addresses": True, "default_sources": False, "download_delay": 0}


def write_config(directory: Path, *, database_url: str | None = None, data_dir: Path | None = None,
                 crawl: Mapping | None = None, daemon: Mapping | None = None, alerts: Mapping | None = None,
                 sources: Iterable[Mapping] = (), targets: Iterable[Mapping] = (), extra: str = "",
                 name: str = "kommunvakt.toml") -> Path:
    """Write `directory/name`; `crawl` adds to (or overrides) LOOPBACK_CRAWL; `extra` is appended verbatim."""
    path = directory / name
    path.write_text(config_text(database_url=database_url, data_dir=data_dir, crawl=crawl, daemon=daemon,
                                alerts=alerts, sources=sources, targets=targets) + extra, encoding="utf-8")
    return path


def config_text(*, database_url: str | None = None, data_dir: Path | None = None, crawl: Mapping | None = None,
                daemon: Mapping | None = None, alerts: Mapping | None = None, sources: Iterable[Mapping] = (),
                targets: Iterable[Mapping] = ()) -> str:
    tables = [("database", {"url": database_url} if database_url else {}),
              ("service", {"data_dir": str(data_dir)} if data_dir else {}),
              ("crawl", {**LOOPBACK_CRAWL, **(crawl or {})}),
              ("daemon", daemon or {}),
              ("alerts", alerts or {})]
    parts = [_table(f"[{name}]", values) for name, values in tables if values]
    parts += [_table("[[sources]]", source) for source in sources]
    parts += [_table("[[alerts.targets]]", target) for target in targets]
    return "\n".join(parts)


def _table(header: str, values: Mapping) -> str:
    return header + "\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in values.items())


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def write_vaggeryd_config(directory: Path, start_url: str, mail_url: str | None = None) -> Path:
    """Vaggeryd's protocols on a loopback site, SQLite in ./data; a `newsroom` mailbox when `mail_url` is given."""
    return write_config(directory, database_url="sqlite:///data/kommunvakt.db", crawl={"contact": "test@example.org"},
                        sources=[{"name": "vaggeryd-protocols", "municipality": "vaggeryd", "kind": "protocols",
                                  "start_urls": [start_url]}],
                        targets=[{"name": "newsroom", "url": mail_url}] if mail_url else ())


def write_daemon_config(directory: Path, start_url: str, mail_url: str,
                        events: tuple[str, ...] = ("stance_change", "source_health")) -> Path:
    """The daemon on Vaggeryd's loopback site every 2 s, analysing and dispatching every second."""
    return write_config(directory, daemon={"dispatch_every_s": 1, "shutdown_grace_s": 5},
                        sources=[{"name": "vaggeryd-protocols", "municipality": "0665", "start_urls": [start_url],
                                  "every": "2s"}],
                        targets=[{"name": "newsroom", "url": mail_url, "events": list(events)}])
