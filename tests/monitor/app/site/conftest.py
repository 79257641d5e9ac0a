from __future__ import annotations

import pytest

from monitor.app.service import open_service
from monitor.app.site.publish import publish
from tests.support.readers_site import NOW, build_world


@pytest.fixture
def world(tmp_path):
    return build_world(tmp_path)


@pytest.fixture
def published(world):
    """The world's site, built with `publish` at NOW into the configured folder."""
    service = open_service(world.config)
    try:
        publish(service, now=NOW)
    finally:
        service.close()
    return world
