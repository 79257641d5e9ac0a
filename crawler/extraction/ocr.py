"""OCR for PDFs without a text layer: pdftoppm (poppler-utils) renders the pages, Tesseract reads them.

`ocr_pages` runs inside the sandbox child (crawler.extraction.sandbox), so the time limit, the memory limit (inherited
by the two programs as an address-space limit) and the page cap hold for OCR as for pdfminer.  When a
program is missing, `ocr_unavailable` says which and how to install it; such documents wait (ReadState
NEEDS_OCR) and are read again once it is installed (see crawler.extraction.reread).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

RENDERER = "pdftoppm"
LONG_SIDE_PIXELS = 3000  # about 250 dpi on A4; bounds the image of an absurdly large page
INSTALL_HINT = "install tesseract-ocr, tesseract-ocr-swe, tesseract-ocr-eng and poppler-utils"


@dataclass(frozen=True)
class OcrSettings:
    command: str = "tesseract"  # '' turns OCR off
    languages: str = "swe+eng"


class OcrError(RuntimeError):
    pass


def ocr_unavailable(settings: OcrSettings) -> str | None:
    """Why OCR cannot run here ('tesseract not found ...'), or None when it can."""
    if not settings.command:
        return "OCR is turned off (crawl.ocr_command is empty)"
    return _unavailable(settings.command, settings.languages, os.environ.get("PATH", ""))


def _unavailable(command: str, languages: str, path: str) -> str | None:
    for program in (command, RENDERER):
        if shutil.which(program, path=path) is None:
            return f"{program} not found ({INSTALL_HINT})"
    missing = [code for code in languages.split("+") if code not in _installed_languages(command)]
    if missing:
        return f"Tesseract has no language data for {', '.join(missing)} ({INSTALL_HINT})"
    return None


def _installed_languages(command: str) -> set[str]:
    try:
        listed = subprocess.run([command, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return set()
    lines = (listed.stdout + listed.stderr).splitlines()
    return {line.strip() for line in lines if line.strip() and " " not in line.strip()}


@functools.lru_cache(maxsize=8)
def ocr_extractor(command: str) -> str:
    """The extractor name for OCR text: 'ocr:tesseract/5.3.0' (the 'ocr:' prefix marks OCR text)."""
    try:
        shown = subprocess.run([command, "--version"], capture_output=True, text=True, timeout=30)
        words = (shown.stdout or shown.stderr).split()
    except (OSError, subprocess.SubprocessError):
        words = []
    version = words[1] if len(words) > 1 else "unknown"
    return f"ocr:tesseract/{version}"


def is_ocr_text(extractor: str) -> bool:
    return extractor.startswith("ocr:")


# --- in the sandbox child --------------------------------------------------------------------------


def work_directory() -> tempfile.TemporaryDirectory:
    """Made and removed by the parent, so a child killed on its time limit leaves no page images behind."""
    return tempfile.TemporaryDirectory(prefix="kommunvakt-ocr-")


def ocr_pages(data: bytes, settings: OcrSettings, max_pages: int, work: Path) -> tuple[str, ...]:
    """The text of each of the first `max_pages` pages, read by Tesseract.  Raises OcrError."""
    images = render_pages(data, work, max_pages)
    return tuple(read_image(image, settings) for image in images)


def render_pages(data: bytes, work: Path, max_pages: int) -> list[Path]:
    source = work / "document.pdf"
    source.write_bytes(data)
    _run([RENDERER, "-gray", "-png", "-scale-to", str(LONG_SIDE_PIXELS), "-f", "1", "-l", str(max_pages),
          str(source), str(work / "page")], "rendering the pages")
    return sorted(work.glob("page*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[-1]))


def read_image(image: Path, settings: OcrSettings) -> str:
    return _run([settings.command, str(image), "stdout", "-l", settings.languages], "Tesseract")


def _run(command: list[str], what: str) -> str:
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core per OCR: the machine is shared
    try:
        done = subprocess.run(command, capture_output=True, env=environment, check=False)
    except OSError as exc:
        raise OcrError(f"{what} could not start: {exc}") from None
    if done.returncode != 0:
        detail = " ".join(done.stderr.decode("utf-8", "replace").split())[:300]
        raise OcrError(f"{what} failed (exit code {done.returncode}): {detail}")
    return done.stdout.decode("utf-8", "replace")
