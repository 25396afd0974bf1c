from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from ._postgres import Cluster, cluster_or_skip

ROOT = Path(__file__).resolve().parent.parent
UNICODE_DATA = ROOT / "tools" / "data" / "unicode"

# Hypothesis profiles (docs/fuzzing.md).  "ci" is the default: derandomized so that a red CI run
# is reproducible from the commit alone (exploration is the job of the fuzz pass and of "long"),
# no deadline because the 2-core CI machine is shared and timing is measured by bench/, not
# asserted.  "long" explores with fresh random examples and the example database for local runs:
#   HYPOTHESIS_PROFILE=long python -m pytest -m property
settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=20_000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True, scope="session")
def _lgr_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The LGR cache of ``lgr.load`` (docs/lgr.md) in a folder of this session, never the user's.

    Set in the environment so that the commands the tests run as subprocesses use it too.
    """
    folder = tmp_path_factory.mktemp("idnkit-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IDNKIT_CACHE_DIR", str(folder))
        mp.delenv("IDNKIT_NO_CACHE", raising=False)
        yield folder


def data_file(*parts: str) -> Path:
    """A conformance file inside the repository; missing data is a failure, never a skip."""
    path = UNICODE_DATA.joinpath(*parts)
    if not path.is_file():
        pytest.fail(f"conformance data file missing: {path}")
    return path


# --- PostgreSQL (tests/_postgres.py): one throwaway server for the session, a new database per test ---


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """A PostgreSQL server for the whole run; skipped (failed with IDNKIT_REQUIRE_POSTGRES=1) without one."""
    with cluster_or_skip() as cluster:
        yield cluster


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> str:
    """The URL of a new, empty database on the session's server."""
    return postgres_cluster.create_database()
