"""The downloads: CSV and JSON of all 290 municipalities, the history as CSV (also `kommunvakt export`).

Columns are stable (new ones are only ever added at the end); times are ISO 8601 with their UTC offset,
dates ISO 8601; empty cells mean "none".
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

from monitor.app.site.view import ChangeView, MunicipalityView, SiteView

STANCE_COLUMNS = (
    "municipality_code", "municipality", "county", "stance", "since", "reading", "evidence", "authority",
    "outlet", "observed_on", "document_title", "document_url", "page", "confidence", "last_read_at",
    "source_problem",
)
HISTORY_COLUMNS = (
    "change_id", "recorded_at", "municipality_code", "municipality", "county", "old_stance", "new_stance",
    "status", "evidence", "authority", "outlet", "observed_on", "document_title", "document_url", "page",
    "confidence",
)


def stance_records(view: SiteView) -> list[dict[str, object]]:
    return [_stance_record(m) for m in view.municipalities]


def _stance_record(m: MunicipalityView) -> dict[str, object]:
    e = m.evidence
    return {
        "municipality_code": m.code, "municipality": m.name, "county": m.county, "stance": m.stance.value,
        "since": _iso(m.since), "reading": m.reading.value, "evidence": e.quote if e else None,
        "authority": e.authority if e else None, "outlet": e.outlet if e else None,
        "observed_on": _iso(e.observed_on) if e else None, "document_title": e.document_title if e else None,
        "document_url": e.document_url if e else None, "page": e.page if e else None,
        "confidence": round(e.confidence, 3) if e else None, "last_read_at": _iso(m.last_read_at),
        "source_problem": m.problem,
    }


def history_records(view: SiteView) -> list[dict[str, object]]:
    return [_history_record(c) for c in reversed(view.changes)]  # oldest first, like `kommunvakt history`


def _history_record(c: ChangeView) -> dict[str, object]:
    r = c.change
    return {
        "change_id": r.id, "recorded_at": _iso(r.recorded_at), "municipality_code": r.municipality_code,
        "municipality": c.municipality, "county": c.county, "old_stance": r.old_stance,
        "new_stance": r.new_stance, "status": r.status, "evidence": r.evidence, "authority": r.authority,
        "outlet": r.outlet, "observed_on": _iso(r.observed_on), "document_title": r.document_title,
        "document_url": r.document_url, "page": r.page, "confidence": round(r.confidence, 3),
    }


def stances_csv(view: SiteView) -> str:
    return _csv(STANCE_COLUMNS, stance_records(view))


def stances_json(view: SiteView) -> str:
    return json.dumps(stance_records(view), ensure_ascii=False, indent=2) + "\n"


def history_csv(view: SiteView) -> str:
    return _csv(HISTORY_COLUMNS, history_records(view))


def _csv(columns: tuple[str, ...], records: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: ("" if v is None else v) for k, v in record.items()} for record in records)
    return buffer.getvalue()


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
