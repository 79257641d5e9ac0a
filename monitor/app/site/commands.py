"""`kommunvakt publish` and `kommunvakt serve`: their parsers and handlers (registered in monitor/cli.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from monitor.config import Config


def add_parsers(sub) -> None:
    publish_parser = sub.add_parser("publish", help="write the readers' site: map, table, a page per municipality, "
                                                    "Atom feeds, CSV/JSON downloads")
    publish_parser.add_argument("--out", metavar="DIR", help="folder to write (default: [site] dir, else "
                                                             "<data_dir>/site); replaced atomically")
    publish_parser.set_defaults(handler=publish)
    serve_parser = sub.add_parser("serve", help="serve the published site read-only over HTTP")
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, loopback)")
    serve_parser.add_argument("--port", type=int, default=8080, help="port (default: 8080; 0 picks a free one)")
    serve_parser.add_argument("--dir", metavar="DIR", help="folder to serve (default: the published site)")
    serve_parser.set_defaults(handler=serve, needs_database=False)


def publish(config: Config, args: argparse.Namespace) -> int:
    from monitor.app.site.publish import publish as publish_site
    from monitor.service import open_service

    service = open_service(config)
    try:
        published = publish_site(service, Path(args.out) if args.out else None)
    finally:
        service.close()
    print(f"published {published.files} files to {published.folder}: {published.municipalities} municipalities, "
          f"{published.changes} changes; index.html {published.index_bytes / 1024:.0f} KB")
    return 0


def serve(config: Config, args: argparse.Namespace) -> int:
    from monitor.app.site.serve import make_server

    folder = Path(args.dir) if args.dir else config.site_dir
    if not (folder / "index.html").is_file():
        print(f"kommunvakt: no site in {folder}: run `kommunvakt publish` (or the daemon, `kommunvakt run`) first",
              file=sys.stderr)
        return 1
    try:
        server = make_server(folder, args.host, args.port)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        print(f"kommunvakt: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    host, port = server.server_address[:2]
    print(f"serving {folder} at http://{host}:{port}/ (read-only; Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
