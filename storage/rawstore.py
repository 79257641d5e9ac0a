"""Raw fetched bytes, stored content-addressed (written once, never twice): in a local folder by default, or
in an S3-compatible object store by URL (`s3://bucket/prefix`, through fsspec and s3fs).

Object-store credentials and endpoint come from the environment as the AWS SDK reads them
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_DEFAULT_REGION); none is in the config.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_url(location: str | os.PathLike[str]) -> bool:
    return "://" in str(location)


class Folder(Protocol):
    """Where named files are kept: a local directory or a prefix in an object store."""

    def read(self, name: str) -> bytes: ...
    def write(self, name: str, data: bytes) -> None: ...
    def exists(self, name: str) -> bool: ...


class LocalFolder:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def path(self, name: str) -> Path:
        return self.root / name

    def read(self, name: str) -> bytes:
        return self.path(name).read_bytes()

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def write(self, name: str, data: bytes) -> None:
        """Atomic: a crash leaves no half-written file."""
        target = self.path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)


class ObjectFolder:
    """A prefix in an object store; one PUT is atomic there, so no temporary file is needed."""

    def __init__(self, url: str):
        import fsspec

        self.url = url.rstrip("/")
        self.fs, self.prefix = fsspec.core.url_to_fs(self.url, skip_instance_cache=True, use_listings_cache=False)

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{name}"

    def read(self, name: str) -> bytes:
        try:
            return self.fs.cat_file(self._key(name))
        except FileNotFoundError:
            raise
        except Exception as exc:  # noqa: BLE001 - the object store's own errors read as I/O errors here
            raise OSError(f"cannot read {self.url}/{name}: {type(exc).__name__}: {exc}") from exc

    def exists(self, name: str) -> bool:
        return bool(self.fs.exists(self._key(name)))

    def write(self, name: str, data: bytes) -> None:
        try:
            self.fs.pipe_file(self._key(name), data)
        except Exception as exc:  # noqa: BLE001
            raise OSError(f"cannot write {self.url}/{name}: {type(exc).__name__}: {exc}") from exc


def open_folder(location: str | os.PathLike[str]) -> Folder:
    """A local directory for a path, an object-store prefix for a URL (s3://bucket/prefix)."""
    return ObjectFolder(str(location)) if is_url(location) else LocalFolder(location)


def child_location(location: str | os.PathLike[str], name: str) -> str:
    return f"{str(location).rstrip('/')}/{name}" if is_url(location) else str(Path(location) / name)


class RawStore:
    def __init__(self, root: str | os.PathLike[str] | Folder):
        self.folder: Folder = root if hasattr(root, "read") else open_folder(root)  # type: ignore[assignment]

    @staticmethod
    def name_for(digest: str) -> str:
        return f"{digest[:2]}/{digest[2:4]}/{digest}"

    def path_for(self, digest: str) -> Path:
        """The local file of `digest` (a local store only)."""
        if not isinstance(self.folder, LocalFolder):
            raise TypeError("an object store has no local paths")
        return self.folder.path(self.name_for(digest))

    def has(self, digest: str) -> bool:
        return self.folder.exists(self.name_for(digest))

    def put(self, data: bytes) -> str:
        """Store `data`; return its sha256."""
        digest = sha256(data)
        if not self.has(digest):
            self.folder.write(self.name_for(digest), data)
        return digest

    def get(self, digest: str) -> bytes:
        return self.folder.read(self.name_for(digest))
