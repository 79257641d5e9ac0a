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
    attribution: str


@cache
def map_shapes() -> MapShapes:
    raw = json.loads(resources.files("monitor.app.site").joinpath("data/geometry.json").read_text("utf-8"))
    return MapShapes(raw["width"], raw["height"], dict(raw["paths"]), raw["attribution"])
