"""Loading and validating the one TOML config file.

This is the only module that reads the environment.  The whole file is
validated at once; every problem is collected and reported in one
:class:`ConfigError` (the CLI turns it into exit code 2).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from dotenv import dotenv_values

from monitor.analysis.stance import DEFAULT_REVIEW_THRESHOLDS
from monitor.analysis.topic import TopicError, load_topic, shipped_topics
from monitor.cron import CronError, cron_trigger
from monitor.domain import EventType, SourceConfig, SourceKind, Stance
from monitor.municipalities import Registry, UnknownMunicipality
from monitor.press_feeds import default_press_sources

DEFAULT_CONFIG_PATH = Path("kommunvakt.toml")
DEFAULT_DATABASE_URL = "sqlite:///data/kommunvakt.db"
SCHEDULE_TIMEZONE = ZoneInfo("Europe/Stockholm")  # cron schedules are read in it
_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_DURATION_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ConfigError(ValueError):
    def __init__(self, path: Path | None, problems: list[str]):
        self.path = path
        self.problems = problems
        where = str(path) if path else "built-in defaults"
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"invalid configuration ({where}):\n{lines}")


@dataclass(frozen=True)
class CrawlSettings:
    allow_private_addresses: bool = False
    contact: str = "kommunvakt@example.org"
    obey_robots_txt: bool = True
    max_depth: int = 3
    download_delay: float = 0.5
    concurrent_requests_per_host: int = 2
    max_document_bytes: int = 50 * 1024 * 1024
    download_timeout_seconds: int = 30  # one request, body included; a slower answer is retried, then given up
    max_requests_per_run: int = 2000
    timeout_seconds: int = 1800
    pdf_timeout_seconds: int = 60
    pdf_memory_mb: int = 1024
    pdf_max_pages: int = 500
    ocr_command: str = "tesseract"  # Tesseract for PDFs without a text layer; '' turns OCR off
    ocr_languages: str = "swe+eng"
    ocr_timeout_seconds: int = 600  # OCR of one document, in the sandbox with pdf_memory_mb and pdf_max_pages
    default_sources: bool = True  # a protocol source from each municipality's website
    default_press_feeds: bool = True  # with default_sources: the press feeds in monitor/data/press_feeds.toml
    max_feed_bytes: int = 5 * 1024 * 1024  # a larger news feed is refused (an error recorded for the feed)


@dataclass(frozen=True)
class DaemonSettings:
    max_concurrent_crawls: int = 2
    dispatch_every_s: int = 60
    shutdown_grace_s: int = 30
    failure_threshold: int = 3  # failed runs in a row before one health alert
    stale_factor: float = 3.0  # no new document for this many expected intervals: stale
    heartbeat_every_s: int = 30  # the daemon's heartbeat in the database (and systemd's watchdog ping)


@dataclass(frozen=True)
class HealthSettings:
    """What `kommunvakt health` calls healthy."""

    heartbeat_max_age_s: int = 180  # the daemon's last heartbeat is at most this old
    dispatch_max_delay_s: int = 900  # no alert waits longer than this past its due time
    max_failing_share: float = 0.25  # at most this share of the enabled sources is failing


@dataclass(frozen=True)
class AlertTarget:
    name: str
    url: str  # resolved; may contain secrets: never log it unmasked
    events: frozenset[EventType] = frozenset({EventType.STANCE_CHANGE})
    municipalities: frozenset[str] = frozenset()  # kommunkoder; empty means all
    counties: frozenset[str] = frozenset()
    to_stances: frozenset[Stance] = frozenset()  # only changes to these; empty means all
    language: str = "sv"
    digest: str = "daily"  # daily | weekly, for targets that subscribe to "digest"
    digest_time: str = "07:00"  # Europe/Stockholm


@dataclass(frozen=True)
class AlertSettings:
    backfill_days: int = 14
    review_threshold: float = 0.6  # the old single threshold: what declined and neutral use unless told otherwise
    # Per stance: a change to a stance whose confidence is below its threshold waits for `kommunvakt review`.
    review_thresholds: Mapping[Stance, float] = field(default_factory=lambda: dict(DEFAULT_REVIEW_THRESHOLDS))
    max_attempts: int = 8
    language: str = "sv"
    templates_dir: Path | None = None  # overrides for alerts/templates/<language>/<event>.<format>
    targets: tuple[AlertTarget, ...] = ()


@dataclass(frozen=True)
class SiteSettings:
    """The readers' site (`kommunvakt publish` / `serve`; the daemon rebuilds it after each change)."""

    dir: Path | None = None  # None: <data_dir>/site
    base_url: str = ""  # public address of the site, for absolute links in its Atom feeds


@dataclass(frozen=True)
class WorkerSettings:
    """[workers]: crawls go to worker nodes through Celery (monitor.app.engine) instead of local children."""

    broker_url: str  # may hold a password: never log it unmasked
    queue: str = "kommunvakt-crawls"
    lease_seconds: int = 120  # a node that stops renewing its source locks loses them after this long
    batch_size: int = 1  # sources per job


@dataclass(frozen=True)
class Config:
    path: Path | None
    database_url: str
    data_dir: Path
    topic: str
    crawl: CrawlSettings
    daemon: DaemonSettings
    alerts: AlertSettings
    sources: tuple[SourceConfig, ...]
    health: HealthSettings = HealthSettings()
    env: dict[str, str] = field(default_factory=dict, repr=False)
    site: SiteSettings = SiteSettings()
    files_url: str | None = None  # [storage] files_url: raw files and page cache in an object store
    workers: WorkerSettings | None = None

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def site_dir(self) -> Path:
        return self.site.dir or self.data_dir / "site"

    @property
    def raw_location(self) -> str:
        """Where raw files live: the local folder, or `<files_url>/raw` in an object store."""
        return f"{self.files_url.rstrip('/')}/raw" if self.files_url else str(self.raw_dir)

    @property
    def state_location(self) -> str:
        """Where the page cache lives (crawler.pagecache), beside the raw files."""
        return f"{self.files_url.rstrip('/')}/crawl-state" if self.files_url else str(self.data_dir / "crawl-state")

    def sources_for(self, municipality_code: str) -> list[SourceConfig]:
        return [s for s in self.sources if s.municipality_code == municipality_code and s.enabled]

    def source(self, key: str) -> SourceConfig:
        for candidate in self.sources:
            if candidate.key == key:
                return candidate
        raise KeyError(key)


def config_path(explicit: str | os.PathLike[str] | None, environ: dict[str, str] | None = None) -> Path | None:
    """--config PATH, else $KOMMUNVAKT_CONFIG, else ./kommunvakt.toml if present, else None."""
    environ = os.environ if environ is None else environ
    if explicit:
        return Path(explicit)
    if environ.get("KOMMUNVAKT_CONFIG"):
        return Path(environ["KOMMUNVAKT_CONFIG"])
    return DEFAULT_CONFIG_PATH if DEFAULT_CONFIG_PATH.exists() else None


def load_config(
    explicit: str | os.PathLike[str] | None = None,
    environ: dict[str, str] | None = None,
    registry: Registry | None = None,
) -> Config:
    environ = dict(os.environ if environ is None else environ)
    path = config_path(explicit, environ)
    raw = _read_toml(path)
    base = path.resolve().parent if path else Path.cwd()
    problems: list[str] = []
    reader = _Reader(raw, problems, _LineFinder(path))
    config = _build(reader, base, environ, registry or Registry.load())
    if problems:
        raise ConfigError(path, problems)
    return replace(config, path=path)


def _read_toml(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(path, [f"file not found: {path}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [f"not valid TOML: {exc}"]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [f"not UTF-8 text: byte {exc.object[exc.start]:#04x} at offset {exc.start}"]) from None
    except OSError as exc:
        raise ConfigError(path, [f"cannot read: {exc}"]) from None


class _LineFinder:
    """Best-effort line numbers for keys, so messages can say where."""

    def __init__(self, path: Path | None):
        self.lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if path else []

    def line_of(self, table: str, index: int | None, key: str | None) -> int | None:
        header = f"[[{table}]]" if index is not None else f"[{table}]"
        seen = -1
        start = None
        for number, line in enumerate(self.lines, 1):
            if line.strip().startswith(header):
                seen += 1
                if index is None or seen == index:
                    start = number
                    if key is None:
                        return number
            elif start is not None and key and re.match(rf"\s*{re.escape(key)}\s*=", line):
                return number
            elif start is not None and line.strip().startswith("["):
                break
        return start or self._top_level_key(table)

    def _top_level_key(self, name: str) -> int | None:
        """`crawl = 5` where a table was expected: the line of the key."""
        for number, line in enumerate(self.lines, 1):
            if line.strip().startswith("["):
                return None
            if re.match(rf"\s*{re.escape(name)}\s*=", line):
                return number
        return None


class _Reader:
    """Typed access to the parsed TOML that records problems instead of raising."""

    def __init__(self, raw: dict[str, Any], problems: list[str], lines: _LineFinder):
        self.raw = raw
        self.problems = problems
        self.lines = lines

    def table(self, name: str) -> dict[str, Any]:
        value = self.raw.get(name, {})
        if not isinstance(value, dict):
            self.problem(name, None, None, "must be a table")
            return {}
        return value

    def problem(self, table: str, index: int | None, key: str | None, message: str) -> None:
        where = table + (f"[{index}]" if index is not None else "") + (f".{key}" if key else "")
        line = self.lines.line_of(table, index, key)
        self.problems.append(f"{where}: {message}" + (f" (line {line})" if line else ""))

    def get(self, data: dict, table: str, index: int | None, key: str, kind: type | tuple, default: Any) -> Any:
        value = data.get(key, default)
        if value is default:
            return default
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.problem(table, index, key, f"must be {_kind_name(kind)}, got {value!r}")
            return default
        return value

    def unknown_keys(self, data: dict, allowed: set[str], table: str, index: int | None = None) -> None:
        for key in sorted(set(data) - allowed):
            self.problem(table, index, key, "unknown key")


def _kind_name(kind: type | tuple) -> str:
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string", list: "a list"}
    return names.get(kind, str(kind))


def _build(reader: _Reader, base: Path, environ: dict[str, str], registry: Registry) -> Config:
    reader.unknown_keys(reader.raw, {"database", "crawl", "daemon", "alerts", "sources", "service", "analysis",
                                     "site", "health", "storage", "workers"},
                        "config")
    service = reader.table("service")
    reader.unknown_keys(service, {"data_dir", "env_file"}, "service")
    data_dir = base / reader.get(service, "service", None, "data_dir", str, default_data_dir(environ))
    env = _environment(reader, service, base, environ)
    crawl = _crawl_settings(reader)
    analysis = reader.table("analysis")
    reader.unknown_keys(analysis, {"topic"}, "analysis")
    sources = _sources(reader, registry, crawl)
    database_url = _database_url(reader, base, env, data_dir)
    return Config(
        path=None,
        database_url=database_url,
        data_dir=data_dir,
        topic=_topic(reader, analysis, base),
        crawl=crawl,
        daemon=_daemon_settings(reader),
        alerts=_alert_settings(reader, env, registry, base),
        sources=sources,
        health=_health_settings(reader),
        env=env,
        site=_site_settings(reader, base),
        files_url=_files_url(reader),
        workers=_workers(reader, env, database_url),
    )


def _site_settings(reader: _Reader, base: Path) -> SiteSettings:
    data = reader.table("site")
    reader.unknown_keys(data, {"dir", "base_url"}, "site")
    folder = reader.get(data, "site", None, "dir", str, None)
    base_url = reader.get(data, "site", None, "base_url", str, "")
    if base_url and not re.match(r"^https?://", base_url):
        reader.problem("site", None, "base_url", f"must start with http:// or https://, got {base_url!r}")
        base_url = ""
    return SiteSettings(dir=base / folder if folder else None, base_url=base_url)


def _daemon_settings(reader: _Reader) -> DaemonSettings:
    daemon = _simple_table(reader, "daemon", DaemonSettings())
    if daemon.heartbeat_every_s < 1:
        reader.problem("daemon", None, "heartbeat_every_s", "must be at least 1")
    return daemon


def _health_settings(reader: _Reader) -> HealthSettings:
    health = _simple_table(reader, "health", HealthSettings())
    if not 0.0 <= health.max_failing_share <= 1.0:
        reader.problem("health", None, "max_failing_share", "must be between 0 and 1")
    for name in ("heartbeat_max_age_s", "dispatch_max_delay_s"):
        if getattr(health, name) < 1:
            reader.problem("health", None, name, "must be at least 1")
    return health


def default_data_dir(environ: dict[str, str]) -> str:
    """$KOMMUNVAKT_DATA_DIR, else the state directory systemd gives the unit (StateDirectory=), else ./data.

    A relative one is relative to the config file, like every path in it.
    """
    state_directory = environ.get("STATE_DIRECTORY", "").split(":")[0]
    return environ.get("KOMMUNVAKT_DATA_DIR") or state_directory or "data"


def _topic(reader: _Reader, analysis: dict, base: Path) -> str:
    """A shipped topic's name, or a topic file (relative to this file); it must load."""
    name = reader.get(analysis, "analysis", None, "topic", str, "atervandring")
    if name.endswith(".toml"):
        name = str(base / name)
    try:
        load_topic(name)
    except TopicError as exc:
        reader.problem("analysis", None, "topic", f"{exc}; shipped topics: {', '.join(shipped_topics())}")
    return name


def _files_url(reader: _Reader) -> str | None:
    storage = reader.table("storage")
    reader.unknown_keys(storage, {"files_url"}, "storage")
    url = reader.get(storage, "storage", None, "files_url", str, None)
    if url is not None and not re.match(r"^(s3|file|memory)://\S+$", url):
        reader.problem("storage", None, "files_url", "must be an object store's URL such as s3://bucket/prefix")
        return None
    return url


def _workers(reader: _Reader, env: dict[str, str], database_url: str) -> WorkerSettings | None:
    """[workers] turns on crawl workers; they share the database, so it must be PostgreSQL."""
    if "workers" not in reader.raw:
        return None
    table = reader.table("workers")
    reader.unknown_keys(table, {"broker_url", "broker_url_env", "queue", "lease_seconds", "batch_size"}, "workers")
    url = reader.get(table, "workers", None, "broker_url", str, None)
    url_env = reader.get(table, "workers", None, "broker_url_env", str, None)
    if url_env:
        url = env.get(url_env) or reader.problem("workers", None, "broker_url_env",
                                                 f"environment variable {url_env} is not set")
    if not url:
        if not url_env:
            reader.problem("workers", None, "broker_url", "is required (or broker_url_env)")
        return None
    if database_url.startswith("sqlite"):
        reader.problem("workers", None, None, "crawl workers share one database: [database] url must be "
                       "PostgreSQL (postgresql+psycopg://...), not SQLite")
    defaults = WorkerSettings(broker_url=url)
    settings = WorkerSettings(broker_url=url,
                              queue=reader.get(table, "workers", None, "queue", str, defaults.queue),
                              lease_seconds=reader.get(table, "workers", None, "lease_seconds", int,
                                                       defaults.lease_seconds),
                              batch_size=reader.get(table, "workers", None, "batch_size", int, defaults.batch_size))
    for name in ("lease_seconds", "batch_size"):
        if getattr(settings, name) < 1:
            reader.problem("workers", None, name, "must be at least 1")
    return settings


def _environment(reader: _Reader, service: dict, base: Path, environ: dict[str, str]) -> dict[str, str]:
    env_file = reader.get(service, "service", None, "env_file", str, None) or environ.get("KOMMUNVAKT_ENV_FILE")
    merged: dict[str, str] = {}
    if env_file:
        file_path = base / env_file
        if file_path.exists():
            merged.update({k: v for k, v in dotenv_values(file_path).items() if v is not None})
        else:
            reader.problem("service", None, "env_file", f"env file not found: {file_path}")
    merged.update(environ)
    return merged


def _database_url(reader: _Reader, base: Path, env: dict[str, str], data_dir: Path) -> str:
    """The database's URL; without one, a SQLite file in the data directory."""
    database = reader.table("database")
    reader.unknown_keys(database, {"url", "url_env"}, "database")
    url = reader.get(database, "database", None, "url", str, f"sqlite:///{data_dir / 'kommunvakt.db'}")
    url_env = reader.get(database, "database", None, "url_env", str, None)
    if url_env:
        if not env.get(url_env):
            reader.problem("database", None, "url_env", f"environment variable {url_env} is not set")
            return DEFAULT_DATABASE_URL
        url = env[url_env]
    if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", url):
        reader.problem("database", None, "url", "must start with sqlite:/// or postgresql+psycopg://")
        return DEFAULT_DATABASE_URL
    return _absolute_sqlite(url, base)


def _absolute_sqlite(url: str, base: Path) -> str:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite:///:memory:":
        return url
    path = Path(url[len(prefix):])
    return prefix + str(path if path.is_absolute() else base / path)


def _simple_table(reader: _Reader, table: str, defaults):
    """A table of scalar settings typed by the defaults' dataclass."""
    data = reader.table(table)
    values = {}
    for name, default in vars(defaults).items():
        kind = float if isinstance(default, float) else type(default)
        values[name] = reader.get(data, table, None, name, kind, default)
    reader.unknown_keys(data, set(values), table)
    for name, value in values.items():
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            reader.problem(table, None, name, "must not be negative")
    return type(defaults)(**values)


def _crawl_settings(reader: _Reader) -> CrawlSettings:
    values = vars(_simple_table(reader, "crawl", CrawlSettings()))
    for name in ("max_depth", "max_document_bytes", "max_requests_per_run", "timeout_seconds",
                 "concurrent_requests_per_host", "pdf_timeout_seconds", "pdf_memory_mb", "pdf_max_pages",
                 "ocr_timeout_seconds", "download_timeout_seconds"):
        if values[name] < 1:
            reader.problem("crawl", None, name, "must be at least 1")
    if values["max_feed_bytes"] < 1:
        reader.problem("crawl", None, "max_feed_bytes", "must be at least 1")
    return CrawlSettings(**values)


_SOURCE_KEYS = {"municipality", "kind", "start_urls", "feed_urls", "max_depth", "enabled", "schedule", "every", "name",
                "outlet"}


def _sources(reader: _Reader, registry: Registry, crawl: CrawlSettings) -> tuple[SourceConfig, ...]:
    entries = reader.raw.get("sources", [])
    if not isinstance(entries, list):
        reader.problem("sources", None, None, "must be an array of tables: [[sources]]")
        return ()
    configured = [_source(reader, i, entry, registry, crawl) for i, entry in enumerate(entries)]
    sources = [s for s in configured if s is not None]
    _check_unique_keys(reader, sources)
    if crawl.default_sources:
        sources += _default_sources(registry, sources, crawl)
    if crawl.default_sources and crawl.default_press_feeds:
        sources += default_press_sources(sources)
    return tuple(sources)


def _source(reader: _Reader, index: int, entry: Any, registry: Registry, crawl: CrawlSettings) -> SourceConfig | None:
    if not isinstance(entry, dict):
        reader.problem("sources", index, None, "must be a table")
        return None
    reader.unknown_keys(entry, _SOURCE_KEYS, "sources", index)
    kind = _source_kind(reader, index, entry)
    code = _source_municipality(reader, index, entry, registry, kind)
    start_urls = _url_list(reader, index, entry, "start_urls")
    feed_urls = _url_list(reader, index, entry, "feed_urls")
    switched_off = entry.get("enabled") is False  # `enabled = false` alone switches a default source off
    if kind is SourceKind.PROTOCOLS and not start_urls and not switched_off:
        reader.problem("sources", index, "start_urls", "a protocols source needs at least one start URL")
    if kind is SourceKind.PRESS and not feed_urls:
        reader.problem("sources", index, "feed_urls", "a press source needs at least one feed URL")
    schedule = reader.get(entry, "sources", index, "schedule", str, None)
    every = reader.get(entry, "sources", index, "every", str, None)
    _check_schedule(reader, index, schedule, every)
    if kind is None:
        return None
    name = reader.get(entry, "sources", index, "name", str, None)
    return SourceConfig(
        key=name or f"{code or 'press'}-{kind.value}-{index}",
        kind=kind,
        municipality_code=code,
        start_urls=tuple(start_urls),
        feed_urls=tuple(feed_urls),
        max_depth=reader.get(entry, "sources", index, "max_depth", int, crawl.max_depth),
        enabled=reader.get(entry, "sources", index, "enabled", bool, True),
        schedule=schedule,
        every=every,
        outlet=reader.get(entry, "sources", index, "outlet", str, None),
    )


def _source_kind(reader: _Reader, index: int, entry: dict) -> SourceKind | None:
    value = entry.get("kind", "protocols")
    try:
        return SourceKind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in SourceKind)
        reader.problem("sources", index, "kind", f"must be one of {allowed}, got {value!r}")
        return None


def _source_municipality(reader, index, entry, registry, kind) -> str | None:
    value = entry.get("municipality")
    if value is None:
        if kind is SourceKind.PROTOCOLS:
            reader.problem("sources", index, "municipality", "required for a protocols source")
        return None
    try:
        return registry.resolve(str(value)).code
    except UnknownMunicipality as exc:
        reader.problem("sources", index, "municipality", str(exc))
        return None


def _url_list(reader: _Reader, index: int, entry: dict, key: str) -> list[str]:
    urls = reader.get(entry, "sources", index, key, list, [])
    good = []
    for url in urls:
        if isinstance(url, str) and re.match(r"^https?://[^\s/]+", url):
            good.append(url)
        else:
            reader.problem("sources", index, key, f"not an http(s) URL: {url!r}")
    return good


def _check_schedule(reader: _Reader, index: int, schedule: str | None, every: str | None) -> None:
    if schedule and every:
        reader.problem("sources", index, "every", "give either schedule or every, not both")
    if every and parse_duration(every) is None:
        reader.problem("sources", index, "every", f"not a duration like '30s', '15m', '6h', '1d': {every!r}")
    if schedule:
        _check_cron(reader, index, schedule)


def _check_cron(reader: _Reader, index: int, schedule: str) -> None:
    try:
        cron_trigger(schedule, SCHEDULE_TIMEZONE)
    except CronError as exc:
        reader.problem("sources", index, "schedule", str(exc))


def _check_unique_keys(reader: _Reader, sources: list[SourceConfig]) -> None:
    seen: set[str] = set()
    for source in sources:
        if source.key in seen:
            reader.problem("sources", None, "name", f"duplicate source name {source.key!r}")
        seen.add(source.key)


def _default_sources(registry: Registry, configured: list[SourceConfig], crawl: CrawlSettings) -> list[SourceConfig]:
    covered = {s.municipality_code for s in configured if s.kind is SourceKind.PROTOCOLS}
    return [
        SourceConfig(key=f"{m.code}-protocols", kind=SourceKind.PROTOCOLS, municipality_code=m.code,
                     start_urls=(m.website,), max_depth=crawl.max_depth)
        for m in registry
        if m.code not in covered and m.website
    ]


def parse_duration(text: str) -> int | None:
    match = _DURATION.match(text)
    return int(match.group(1)) * _DURATION_SECONDS[match.group(2)] if match else None


_TARGET_KEYS = {"name", "url", "url_env", "events", "municipalities", "counties", "to_stances", "language",
                "digest", "digest_time"}
_LANGUAGES = ("sv", "en")


def _alert_settings(reader: _Reader, env: dict[str, str], registry: Registry, base: Path) -> AlertSettings:
    data = reader.table("alerts")
    reader.unknown_keys(data, {"backfill_days", "review_threshold", "review_thresholds", "max_attempts", "language",
                               "targets", "templates_dir"}, "alerts")
    templates = reader.get(data, "alerts", None, "templates_dir", str, None)
    if templates and not (base / templates).is_dir():
        reader.problem("alerts", None, "templates_dir", f"not a directory: {base / templates}")
    targets = data.get("targets", [])
    if not isinstance(targets, list):
        reader.problem("alerts.targets", None, None, "must be an array of tables: [[alerts.targets]]")
        targets = []
    language = reader.get(data, "alerts", None, "language", str, "sv")
    if language not in _LANGUAGES:
        reader.problem("alerts", None, "language", f"must be one of {', '.join(_LANGUAGES)}, got {language!r}")
        language = "sv"
    built = [_target(reader, i, t, env, registry, language) for i, t in enumerate(targets)]
    thresholds = _review_thresholds(reader, data)
    return AlertSettings(
        backfill_days=reader.get(data, "alerts", None, "backfill_days", int, 14),
        review_threshold=thresholds[Stance.DECLINED],
        review_thresholds=thresholds,
        max_attempts=reader.get(data, "alerts", None, "max_attempts", int, 8),
        language=language,
        templates_dir=base / templates if templates else None,
        targets=tuple(t for t in built if t is not None),
    )


_REVIEWED_STANCES = (Stance.DECLINED, Stance.ACCEPTED, Stance.NEUTRAL)


def _review_thresholds(reader: _Reader, data: dict) -> dict[Stance, float]:
    """Per-stance review thresholds: the defaults, then `review_threshold` (declined and neutral; the old
    single key), then `[alerts.review_thresholds]` per stance."""
    thresholds = dict(DEFAULT_REVIEW_THRESHOLDS)
    single = reader.get(data, "alerts", None, "review_threshold", float, None)
    if single is not None and _in_unit_range(reader, "alerts", "review_threshold", single):
        thresholds[Stance.DECLINED] = thresholds[Stance.NEUTRAL] = single
    table = data.get("review_thresholds", {})
    if not isinstance(table, dict):
        reader.problem("alerts", None, "review_thresholds", "must be a table: [alerts.review_thresholds]")
        return thresholds
    name = "alerts.review_thresholds"
    reader.unknown_keys(table, {s.value for s in _REVIEWED_STANCES}, name)
    for stance in _REVIEWED_STANCES:
        value = reader.get(table, name, None, stance.value, float, None)
        if value is not None and _in_unit_range(reader, name, stance.value, value):
            thresholds[stance] = value
    return thresholds


def _in_unit_range(reader: _Reader, table: str, key: str, value: float) -> bool:
    if 0.0 <= value <= 1.0:
        return True
    reader.problem(table, None, key, f"must be between 0 and 1, got {value!r}")
    return False


def _target(reader, index, entry, env, registry, language) -> AlertTarget | None:
    table = "alerts.targets"
    if not isinstance(entry, dict):
        reader.problem(table, index, None, "must be a table")
        return None
    reader.unknown_keys(entry, _TARGET_KEYS, table, index)
    url = _target_url(reader, index, entry, env)
    events = _enum_set(reader, index, entry, "events", EventType, {EventType.STANCE_CHANGE})
    to_stances = _enum_set(reader, index, entry, "to_stances", Stance, set())
    codes = set()
    for value in reader.get(entry, table, index, "municipalities", list, []):
        try:
            codes.add(registry.resolve(str(value)).code)
        except UnknownMunicipality as exc:
            reader.problem(table, index, "municipalities", str(exc))
    counties = set(reader.get(entry, table, index, "counties", list, []))
    for county in counties - set(registry.counties()):
        reader.problem(table, index, "counties", f"unknown county {county!r}")
    digest = reader.get(entry, table, index, "digest", str, "daily")
    if digest not in ("daily", "weekly"):
        reader.problem(table, index, "digest", f"must be daily or weekly, got {digest!r}")
    digest_time = reader.get(entry, table, index, "digest_time", str, "07:00")
    if not re.match(r"^([01]\d|2[0-3]):[0-5]\d$", digest_time):
        reader.problem(table, index, "digest_time", f"not a time like 07:00: {digest_time!r}")
    target_language = reader.get(entry, table, index, "language", str, language)
    if target_language not in _LANGUAGES:
        reader.problem(table, index, "language", f"must be one of {', '.join(_LANGUAGES)}")
    if url is None:
        return None
    return AlertTarget(
        name=reader.get(entry, table, index, "name", str, f"target-{index + 1}"),
        url=url,
        events=frozenset(events),
        municipalities=frozenset(codes),
        counties=frozenset(counties),
        to_stances=frozenset(to_stances),
        language=target_language,
        digest=digest,
        digest_time=digest_time,
    )


def _target_url(reader: _Reader, index: int, entry: dict, env: dict[str, str]) -> str | None:
    table = "alerts.targets"
    url = reader.get(entry, table, index, "url", str, None)
    url_env = reader.get(entry, table, index, "url_env", str, None)
    if bool(url) == bool(url_env):
        reader.problem(table, index, None, "give exactly one of url or url_env")
        return None
    if url_env:
        if not env.get(url_env):
            reader.problem(table, index, "url_env", f"environment variable {url_env} is not set")
            return None
        return env[url_env]
    return url


def _enum_set(reader, index, entry, key, enum_type, default) -> set:
    values = reader.get(entry, "alerts.targets", index, key, list, None)
    if values is None:
        return set(default)
    result = set()
    for value in values:
        try:
            result.add(enum_type(value))
        except ValueError:
            allowed = ", ".join(e.value for e in enum_type if e.value != "unknown")
            reader.problem("alerts.targets", index, key, f"{value!r} is not one of {allowed}")
    return result
