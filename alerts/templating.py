"""Message templates: files a user can override.

A template lives at ``<language>/<event>.<ext>`` (ext: ``txt``, ``md``, ``html``)
in an override directory, if one is given and holds it, else in the templates
shipped with this package (``alerts/templates/``), else in the shipped Swedish
ones.  Its first line is the title; the body follows after one blank line.
Placeholders use :class:`string.Template` syntax (``$municipality``,
``${new_stance}``); a placeholder the renderer does not know is left as it is.

The title is always plain text.  In the body every value is escaped for the
format, URLs are made safe for a link target, and "blocks" (lists, quoted
snippets) arrive already written in the format.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from string import Template
from types import MappingProxyType

from alerts.channels import Format
from alerts.labels import DEFAULT_LANGUAGE
from alerts.markup import markup_for
from monitor.domain import AlertMessage

TEMPLATE_ROOT = Path(__file__).parent / "templates"
EVENTS = ("stance_change", "new_mention", "source_health_failing", "source_health_stale", "source_health_recovered",
          "delivery_failed", "digest", "test")


_NONE: Mapping[str, str] = MappingProxyType({})


class TemplateMissing(FileNotFoundError):
    pass


def template_path(event: str, language: str, fmt: Format, template_dir: Path | None = None) -> Path:
    """The file that renders `event` in `language` and `fmt` (override first, then shipped, then Swedish)."""
    name = f"{event}.{fmt.extension}"
    roots = [template_dir] if template_dir else []
    candidates = [root / language / name for root in [*roots, TEMPLATE_ROOT]]
    candidates.append(TEMPLATE_ROOT / DEFAULT_LANGUAGE / name)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise TemplateMissing(f"no template {language}/{name} (looked in {', '.join(map(str, candidates))})")


def fill(event: str, language: str, fmt: Format, values: Mapping[str, str], *, urls: Mapping[str, str] = _NONE,
         blocks: Mapping[str, str] = _NONE, template_dir: Path | None = None) -> AlertMessage:
    """Render one template: `values` are plain text, `urls` are link targets, `blocks` are already formatted."""
    text = template_path(event, language, fmt, template_dir).read_text(encoding="utf-8")
    title_line, _, body = text.partition("\n")
    title = Template(title_line).safe_substitute({**values, **urls}).strip()
    body = Template(body.lstrip("\n")).safe_substitute(_body_values(fmt, values, urls, blocks))
    return AlertMessage(title=" ".join(title.split()), body=_tidy(body))


def _body_values(fmt: Format, values: Mapping[str, str], urls: Mapping[str, str],
                 blocks: Mapping[str, str]) -> dict[str, str]:
    markup = markup_for(fmt)
    escaped = {key: markup.escape(value) for key, value in values.items()}
    return {**escaped, **{key: markup.url(url) for key, url in urls.items()}, **blocks}


_BLANK_RUNS = re.compile(r"\n{3,}")


def _tidy(body: str) -> str:
    """Drop trailing spaces and the blank lines an empty optional value leaves behind."""
    lines = "\n".join(line.rstrip() for line in body.strip().splitlines())
    return _BLANK_RUNS.sub("\n\n", lines)
