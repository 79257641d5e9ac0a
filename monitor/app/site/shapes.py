"""The map's shapes: SCB's municipality boundaries, simplified once by build_geometry.py and shipped as data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class MapShapes:
    width: int
    height: int
    paths: dict[str, str]  # kommunkod -> SVG path data in the view box
    boxes: dict[str, tuple[int, int, int, int]]  # kommunkod -> left, top, right, bottom in the view box
    attribution: str

    def view_box(self, codes: list[str], margin: int = 2) -> str:
        """The SVG viewBox around these municipalities (for an enlarged inset)."""
        boxes = [self.boxes[code] for code in codes]
        left, top = min(b[0] for b in boxes) - margin, min(b[1] for b in boxes) - margin
        right, bottom = max(b[2] for b in boxes) + margin, max(b[3] for b in boxes) + margin
        return f"{left} {top} {right - left} {bottom - top}"


@cache
def map_shapes() -> MapShapes:
    raw = json.loads(resources.files("monitor.app.site").joinpath("data/geometry.json").read_text("utf-8"))
    boxes = {code: tuple(box) for code, box in raw["boxes"].items()}
    return MapShapes(raw["width"], raw["height"], dict(raw["paths"]), boxes, raw["attribution"])
