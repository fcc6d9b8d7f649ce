"""Tests for hyperarr.distributed: regions written as Parquet by Dask tasks."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from fractions import Fraction

import numpy as np
import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed")
pytest.importorskip("pyarrow", reason="the dask extra is not installed")

import pyarrow.dataset as ds  # noqa: E402

from hyperarr import library  # noqa: E402
from hyperarr.arrangement import Arrangement  # noqa: E402
from hyperarr.distributed import PART_PATTERN, read_regions, regions_to_parquet  # noqa: E402
from hyperarr.exceptions import ArrangementError  # noqa: E402


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                      silence_logs=40) as cluster, Client(cluster) as c:
        yield c


def _same(A, folder, floats=True):
    """The parts equal A.regions(): rows in order, flags, exact witnesses; the float
    witnesses bit for bit when computed in this process (``floats``), else each
    checked exactly (a worker's BLAS may use another thread count)."""
    R, got = A.regions(max_regions=None), read_regions(folder)
    if floats:
        assert got == R
    for name in ("signs", "bounded", "relatively_bounded", "points_inside"):
        assert np.array_equal(getattr(got, name), getattr(R, name)), name
    inside = got.points_inside
    assert np.array_equal(A.signs(got.points[inside]), got.signs[inside])
    assert [p for p, ok in zip(got.exact_points, inside) if not ok] == \
        [p for p, ok in zip(R.exact_points, inside) if not ok]
    return got


# ---------------------------------------------------------------------------
# In this process (no client)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n, d, parts", [(1, 1, 1), (5, 2, 2), (7, 3, 3), (9, 4, 7), (6, 6, 2), (3, 5, 2)])
def test_generic_without_client_equals_regions(tmp_path, n, d, parts):
    A = library.generic(n, d, seed=n + d)
    m = regions_to_parquet(A, tmp_path, partitions=parts)
    assert m == len(A.regions())
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [PART_PATTERN.format(i) for i in range(len(files))]  # intermediate files removed
    assert 1 <= len(files) <= parts
    _same(A, tmp_path)


@pytest.mark.parametrize("make", [lambda: library.braid(3), lambda: library.shi(2),
                                  lambda: Arrangement([[1, 0], [0, 1], [1, 1]], [0.1, 0.2, 0.3]),
                                  lambda: Arrangement.empty(2)])
def test_any_arrangement_equals_regions(tmp_path, make):
    A = make()
    regions_to_parquet(A, tmp_path, partitions=3)
    _same(A, tmp_path)


def test_exact_witnesses_round_trip(tmp_path):
    A = Arrangement([[1.0], [1.0]], [1.0, 1.0 + 2.0**-52])  # a region thinner than the float grid
    regions_to_parquet(A, tmp_path, partitions=2)
    R = _same(A, tmp_path)
    (thin,) = np.flatnonzero(~R.points_inside).tolist()
    assert R.exact_points[thin] == (1 + Fraction(1, 2**53),)


def test_dataset_columns_unpack_to_the_signs(tmp_path):
    A = library.generic(8, 3, seed=2)
    regions_to_parquet(A, tmp_path, partitions=4)
    table = ds.dataset(tmp_path, format="parquet").to_table()
    assert table.column_names == ["signs", "point", "exact_point", "bounded", "relatively_bounded"]
    raw = np.array([np.frombuffer(b, dtype=np.uint8) for b in table.column("signs").to_pylist()])
    signs = np.where(np.unpackbits(raw, axis=1, count=A.n) > 0, 1, -1)
    R = A.regions()
    assert np.array_equal(signs, R.signs)
    assert table.column("bounded").to_pylist() == R.bounded.tolist()
    assert int(np.sum(table.column("bounded").to_pylist())) == A.n_bounded_regions()


def test_rerun_replaces_the_parts(tmp_path):
    A = library.generic(9, 3, seed=0)
    regions_to_parquet(A, tmp_path, partitions=6)
    regions_to_parquet(A, tmp_path, partitions=2)
    assert len(list(tmp_path.glob("part-*.parquet"))) == 2
    _same(A, tmp_path)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3"])
def test_partitions_must_be_positive(tmp_path, bad):
    with pytest.raises(ArrangementError, match="partitions must be a positive integer or None; got"):
        regions_to_parquet(library.five_lines(), tmp_path, partitions=bad)


def test_needs_an_arrangement(tmp_path):
    with pytest.raises(ArrangementError, match="A must be an Arrangement; got list"):
        regions_to_parquet([[1, 0]], tmp_path)


def test_read_needs_part_files(tmp_path):
    with pytest.raises(ArrangementError, match="path must be a folder of part-"):
        read_regions(tmp_path)


# ---------------------------------------------------------------------------
# On a real LocalCluster, two worker processes
# ---------------------------------------------------------------------------


def test_cluster_equals_regions(client, tmp_path):
    A = library.generic(12, 5, seed=3)
    assert regions_to_parquet(A, tmp_path, client=client, partitions=5) == len(A.regions())
    _same(A, tmp_path, floats=False)
    # The same folder, again, gives the same bytes (idempotent tasks).
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    regions_to_parquet(A, tmp_path, client=client, partitions=5)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_cluster_degenerate_arrangement(client, tmp_path):
    A = library.braid(4)
    regions_to_parquet(A, tmp_path, client=client, partitions=3)
    _same(A, tmp_path, floats=False)


@contextlib.contextmanager
def _killing_a_worker(client, now):
    """Kill (SIGKILL) one worker process as soon as ``now()`` is true, while
    the body runs; yields the list of killed pids."""
    pids = client.run(os.getpid)
    killed: list[int] = []

    def watch():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            if now():
                pid = next(iter(pids.values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.002)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield killed
    finally:
        watcher.join()


def test_killing_a_worker_mid_run_changes_nothing(client, tmp_path):
    A = library.generic(14, 6, seed=5)
    work = tmp_path / "_work"
    # Round 1 has written keys: mid-run.
    with _killing_a_worker(client, lambda: work.exists() and any(work.iterdir())) as killed:
        m = regions_to_parquet(A, tmp_path, client=client, partitions=12)
    assert killed, "the worker was not killed while the run was going"
    assert m == len(A.regions())
    _same(A, tmp_path, floats=False)
    client.wait_for_workers(2, timeout=60)  # the nanny restarts it for the next tests


def test_progress_bar_on_the_cluster(client, tmp_path, capsys):
    A = library.generic(6, 2, seed=1)
    assert regions_to_parquet(A, tmp_path, client=client, partitions=2, progress=True) == 22
    _same(A, tmp_path, floats=False)


def test_region_counts_enumerates_on_the_cluster(client):
    # python -m benchmarks.region_counts --dask ADDRESS counts through regions_to_parquet.
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks import region_counts

    A = library.generic(10, 3, seed=0)
    assert region_counts._enumerate(A, client) == len(A.regions()) == 176
    row = region_counts._count_row(10, 3, True, client=client)
    assert row.enumerated == row.exact == row.chi_count == 176


# ---------------------------------------------------------------------------
# The characteristic polynomial, depth by depth over the workers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("make, symmetry", [
    (lambda: library.threshold(5), lambda: library.threshold_symmetry(5)),
    (lambda: library.resonance(5), lambda: None),
    (lambda: library.shi(4), lambda: None),            # affine: through the cone
    (lambda: library.braid(6), lambda: library.braid_symmetry(6)),
])
@pytest.mark.parametrize("partitions", [None, 1, 7])
def test_cluster_characteristic_polynomial_equals_the_local_one(client, make, symmetry, partitions):
    from hyperarr.distributed import characteristic_polynomial

    A = make()
    assert characteristic_polynomial(A, client, symmetry(), partitions=partitions) == \
        A.characteristic_polynomial()


def test_characteristic_polynomial_without_a_cluster_runs_here():
    from hyperarr.distributed import characteristic_polynomial

    A = library.catalan(3)
    assert characteristic_polynomial(A) == A.characteristic_polynomial()


def test_cluster_characteristic_polynomial_checks_like_the_local_one(client):
    from hyperarr.distributed import characteristic_polynomial

    with pytest.raises(ArrangementError, match="is not a symmetry"):
        characteristic_polynomial(library.resonance(3), client, [[2, 1, 0, 3, 4, 5, 6]])
    with pytest.raises(ArrangementError, match="partitions must be a positive integer; got 0"):
        characteristic_polynomial(library.resonance(3), client, partitions=0)


def test_killing_a_worker_mid_count_changes_nothing(client):
    from hyperarr.distributed import characteristic_polynomial

    A = library.threshold(6)

    def expanding_depth_3():
        return any(str(k).startswith("hyperarr-expand-3")
                   for keys in client.processing().values() for k in keys)

    with _killing_a_worker(client, expanding_depth_3) as killed:
        chi = characteristic_polynomial(A, client, partitions=16)
    assert killed, "no worker was killed while depth 3 was being expanded"
    assert chi == A.characteristic_polynomial()
    client.wait_for_workers(2, timeout=60)
