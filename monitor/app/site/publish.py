"""Composition: read the rows, build the view, render, install.  Used by `publish`, `export` and the daemon."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from monitor.app.site import downloads
from monitor.app.site.install import install_site
from monitor.app.site.render import render_site
from monitor.app.site.view import SiteView, site_view
from storage.site_rows import site_rows

log = logging.getLogger("kommunvakt.site")


@dataclass(frozen=True)
class Published:
    folder: Path
    files: int
    index_bytes: int
    municipalities: int
    changes: int


def gather(service, now: datetime | None = None) -> SiteView:
    """Everything the site shows, read in one transaction (service: monitor.app.service.Service)."""
    config = service.config
    with service.database.transaction() as session:
        rows = site_rows(session, service.topic.name)
    return site_view(rows, tuple(service.registry), config.sources, service.topic.name, config.alerts.language,
                     config.site.base_url, now or datetime.now(UTC))


def publish(service, folder: Path | None = None, now: datetime | None = None) -> Published:
    view = gather(service, now)
    files = render_site(view)
    target = folder or service.config.site_dir
    install_site(files, target)
    return Published(target, len(files), len(files["index.html"]), len(view.municipalities), len(view.changes))


def refresh_site(service, changed: bool) -> Published | None:
    """The daemon's hook: rebuild after a recorded change, or when no site was built yet; never raises."""
    if not changed and service.config.site_dir.exists():
        return None
    try:
        published = publish(service)
    except Exception:  # noqa: BLE001 - the site must not stop crawling or alerting
        log.exception("could not rebuild the site in %s; will try again after the next change",
                      service.config.site_dir)
        return None
    log.info("site rebuilt in %s (%d changes)", published.folder, published.changes)
    return published


def export_text(service, fmt: str) -> str:
    """`kommunvakt export`: the site's download of all 290 municipalities, as CSV or JSON."""
    view = gather(service)
    return downloads.stances_json(view) if fmt == "json" else downloads.stances_csv(view)
