"""`kommunvakt serve`: the published site, read-only over HTTP (loopback unless told otherwise)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from monitor.config import Config


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the published site read-only over HTTP")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, loopback)")
    p.add_argument("--port", type=int, default=8080, help="port (default: 8080; 0 picks a free one)")
    p.add_argument("--dir", metavar="DIR", help="folder to serve (default: the published site)")
    p.set_defaults(handler=serve, needs_database=False)


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
