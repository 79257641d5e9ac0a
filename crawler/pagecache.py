"""What a source's listing and meeting pages looked like last time: validators, digests and bodies.

Listing pages are asked for again on every crawl with If-None-Match / If-Modified-Since; a 304 means
nothing changed there, and the links are read from the body kept here.  Servers that send no validators
(and portal API calls made with POST) are recognised as unchanged by the digest of their body.  The index
is one small JSON file per source; bodies are content-addressed (RawStore) beside it, kept only for pages
with validators (only those can answer 304).  Both live in a local folder or an object store (by URL), so any
crawl node finds what the last crawl of the source left.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from storage.rawstore import Folder, RawStore, child_location, open_folder, sha256

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class PageEntry:
    etag: str | None
    last_modified: str | None
    digest: str  # sha256 of the body, in the page store
    content_type: str


def index_name(source_key: str) -> str:
    return f"{_UNSAFE.sub('_', source_key)}.json"


def index_path(state_dir: Path, source_key: str) -> Path:
    return Path(state_dir) / index_name(source_key)


class PageCache:
    def __init__(self, folder: Folder, index: str, bodies: RawStore):
        self.folder, self.index = folder, index
        self.bodies = bodies
        self._entries: dict[str, PageEntry] = {}
        self._touched: set[str] = set()

    @classmethod
    def open(cls, state_dir: str | os.PathLike[str], source_key: str) -> PageCache:
        """The cache of `source_key` in `state_dir`: a local folder or an object-store URL."""
        cache = cls(open_folder(state_dir), index_name(source_key), RawStore(child_location(state_dir, "pages")))
        cache.load()
        return cache

    def load(self) -> None:
        try:
            raw = json.loads(self.folder.read(self.index).decode("utf-8"))
            self._entries = {url: PageEntry(**entry) for url, entry in raw.items()}
        except (OSError, ValueError, TypeError):
            self._entries = {}  # missing or damaged: every page is fetched in full once

    def validators(self, url: str) -> dict[str, str]:
        """Conditional request headers for `url`, when we still hold its body."""
        entry = self._entries.get(url)
        if entry is None or not (entry.etag or entry.last_modified) or not self.bodies.has(entry.digest):
            return {}
        headers = {"If-None-Match": entry.etag} if entry.etag else {}
        if entry.last_modified:
            headers["If-Modified-Since"] = entry.last_modified
        return headers

    def remember(self, url: str, body: bytes, etag: str | None, last_modified: str | None,
                 content_type: str) -> bool:
        """Keep what `url` answered; True when its body is the same as last time."""
        self._touched.add(url)
        previous = self._entries.get(url)
        digest = self.bodies.put(body) if etag or last_modified else sha256(body)
        self._entries[url] = PageEntry(etag, last_modified, digest, content_type)
        return previous is not None and previous.digest == digest

    def recall(self, url: str) -> tuple[PageEntry, bytes] | None:
        """The entry and body kept for `url` (after a 304)."""
        entry = self._entries.get(url)
        if entry is None:
            return None
        try:
            body = self.bodies.get(entry.digest)
        except OSError:
            return None
        self._touched.add(url)
        return entry, body

    def save(self, prune: bool) -> None:
        """Write the index atomically; with `prune`, keep only pages seen in this crawl."""
        if prune:
            self._entries = {u: e for u, e in self._entries.items() if u in self._touched}
        payload = json.dumps({u: asdict(e) for u, e in sorted(self._entries.items())}, indent=0)
        self.folder.write(self.index, payload.encode("utf-8"))
