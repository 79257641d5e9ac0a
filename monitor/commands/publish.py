"""`kommunvakt publish`: write the readers' site (map, table, a page per municipality, feeds, downloads)."""

from __future__ import annotations

import argparse
from pathlib import Path

from monitor.config import Config


def register(sub) -> None:
    p = sub.add_parser("publish", help="write the readers' site: map, table, a page per municipality, "
                                                    "Atom feeds, CSV/JSON downloads")
    p.add_argument("--out", metavar="DIR", help="folder to write (default: [site] dir, else "
                                                             "<data_dir>/site); replaced atomically")
    p.set_defaults(handler=publish)


def publish(config: Config, args: argparse.Namespace) -> int:
    from monitor.app.service import open_service
    from monitor.app.site.publish import publish as publish_site

    service = open_service(config)
    try:
        published = publish_site(service, Path(args.out) if args.out else None)
    finally:
        service.close()
    print(f"published {published.files} files to {published.folder}: {published.municipalities} municipalities, "
          f"{published.changes} changes; index.html {published.index_bytes / 1024:.0f} KB")
    return 0
