"""Shared fixtures. Models are real and loaded once per session; stores and indexes live in tmp dirs."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from retrieval.offline import enforce_offline

enforce_offline()

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips outside CI when it is missing, fails in CI."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing; CI must run with ../shared beside the checkout")
        pytest.skip(f"{path} not available (../shared is absent outside CI)")
    return path


@pytest.fixture(scope="session")
def seed_article_path() -> Path:
    return shared_path("seeds", "000_c8b6d13b762dce65.txt")


@pytest.fixture(scope="session")
def extractor():
    from claims.segment import ClaimExtractor

    return ClaimExtractor()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("claimdesk-data")


@pytest.fixture(scope="session")
def settings(data_dir):
    from claimdesk.settings import Settings

    return Settings.load(environ={}, data_dir=data_dir)


@pytest.fixture(scope="session")
def pipeline(settings):
    from claimdesk.pipeline import Pipeline

    return Pipeline(settings)


@pytest.fixture(scope="session")
def encoder(pipeline):
    return pipeline.encoder


@pytest.fixture(scope="session")
def demo_result(pipeline):
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article

    return pipeline.check(read_article(DEMO_ARTICLE))


@contextmanager
def _postgres_or_skip():
    from tests.postgres import PostgresMissing, postgres_server

    try:
        with postgres_server() as server:
            yield server
    except PostgresMissing as exc:
        if IN_CI:
            pytest.fail(f"{exc}; .ci/run installs it with apt-get")
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server from Debian's packages, on 127.0.0.1, for this test session only."""
    with _postgres_or_skip() as server:
        yield server.url


@pytest.fixture
def restartable_postgres():
    """A PostgreSQL server of the test's own, which it may stop, restart or crash (``tests.postgres``)."""
    with _postgres_or_skip() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty review store of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reviews.db'}"
    from tests.postgres import fresh_database

    return fresh_database(request.getfixturevalue("postgres_server"))


def start_milvus(data: Path, port: int = 0):
    """A real Milvus-protocol server (``milvus-lite server``, gRPC) on 127.0.0.1 over ``data``: (process, URL).
    Port 0 picks a free one; a restart passes the port it had."""
    import socket
    import subprocess
    import sys
    import time

    if not port:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    command = [str(Path(sys.executable).with_name("milvus-lite")), "server", "--data-dir", str(data),
               "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server, f"http://127.0.0.1:{port}"
        if server.poll() is not None:
            pytest.fail(f"milvus-lite server exited with {server.returncode}")
        time.sleep(0.1)
    server.kill()
    pytest.fail("milvus-lite server did not listen within 60 s")


@pytest.fixture(scope="session")
def milvus_server(tmp_path_factory):
    """A Milvus server on 127.0.0.1 for this test session only."""
    server, url = start_milvus(tmp_path_factory.mktemp("milvus-server"))
    yield url
    server.terminate()
    server.wait(timeout=20)


LANES = ("unit", "integration", "slow", "browser")


def pytest_collection_modifyitems(config, items):
    """Every test runs in one lane (its module's ``pytestmark``, or its own mark); tests that start a PostgreSQL or
    Milvus server are also marked for it, from the engine parameter they run with, so `-m "not postgres"` works."""
    for item in items:
        params = " ".join(str(v) for v in getattr(getattr(item, "callspec", None), "params", {}).values())
        if "postgres" in params:
            item.add_marker(pytest.mark.postgres)
        if "milvus" in params:
            item.add_marker(pytest.mark.milvus)
        lanes = [lane for lane in LANES if item.get_closest_marker(lane)]
        if not lanes:
            raise pytest.UsageError(f"{item.nodeid}: mark it with one of {', '.join(LANES)}")
