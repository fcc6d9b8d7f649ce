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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("distributed", reason="the dask extra is not installed")
pytest.importorskip("pyarrow", reason="the dask extra is not installed")

import pyarrow.dataset as ds  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from arrangement_strategies import degenerate_arrangements  # noqa: E402

from hyperarr import library  # noqa: E402
from hyperarr.arrangement import Arrangement  # noqa: E402
from hyperarr.distributed import MANIFEST, PART_PATTERN, read_regions, regions_to_parquet  # noqa: E402
from hyperarr.exceptions import ArrangementError, HyperarrError  # noqa: E402


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


def test_exact_witnesses_over_4300_digits_round_trip(tmp_path):
    # Python's str() refuses integers over 4,300 digits: exact witnesses are
    # written and read by hyperarr's exact text kernel.
    A = Arrangement([[1, 0], [0, 1]], [10**5000, 0])
    assert not A.regions().points_inside.all()  # some witness is exact only
    regions_to_parquet(A, tmp_path / "out", partitions=2)
    got = _same(A, tmp_path / "out")
    assert max(abs(v) for p in got.exact_points for v in p) > 10**5000


@pytest.mark.parametrize("n, d, parts", [(1, 1, 1), (5, 2, 2), (7, 3, 3), (9, 4, 7), (6, 6, 2), (3, 5, 2)])
def test_generic_without_client_equals_regions(tmp_path, n, d, parts):
    A = library.generic(n, d, seed=n + d)
    m = regions_to_parquet(A, tmp_path, partitions=parts)
    assert m == len(A.regions())
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files[0] == MANIFEST
    files = files[1:]
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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(degenerate_arrangements(max_n=8, min_d=1, max_d=4), st.integers(1, 9))
def test_degenerate_parts_are_pairs_of_cells_and_read_back_as_regions(tmp_path_factory, A, parts):
    folder = tmp_path_factory.mktemp("cells")
    m = regions_to_parquet(A, folder, partitions=parts)
    assert m == A.n_regions()
    names = sorted(p.name for p in folder.iterdir() if p.name != MANIFEST)
    assert 1 <= len(names) <= parts
    _same(A, folder)


@pytest.mark.parametrize("make", [lambda: library.resonance(5), lambda: library.shi(4)], ids=["R5", "shi4"])
def test_each_task_enumerates_only_its_cells(tmp_path, make, monkeypatch):
    """Eight tasks, each on its own pair of cells: no task builds the whole table."""
    from hyperarr import distributed

    A = make()
    seen = []
    real = distributed._lattice_batches
    monkeypatch.setattr(distributed, "_lattice_batches",
                        lambda B, pairs, **k: seen.append(pairs) or real(B, pairs, **k))
    assert regions_to_parquet(A, tmp_path, partitions=8) == A.n_regions()
    assert seen == [(4, i, i + 1) for i in range(8)]
    assert distributed._KEPT == {}  # the arrangement kept for the tasks is let go at the end
    got = _same(A, tmp_path)
    sizes = [pq.read_metadata(tmp_path / PART_PATTERN.format(i)).num_rows for i in range(8)]
    assert sum(sizes) == len(got) and max(sizes) < len(got)


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


def test_read_needs_a_manifest(tmp_path):
    with pytest.raises(ArrangementError, match="path must be a folder written by regions_to_parquet.*has none"):
        read_regions(tmp_path)
    with pytest.raises(ArrangementError, match="which is missing"):
        read_regions(tmp_path / "nothing")


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


def test_killing_a_worker_mid_degenerate_run_changes_nothing(client, tmp_path):
    """A degenerate arrangement's tasks run on the workers; one SIGKILLed mid-run changes no byte."""
    A = library.resonance(5)
    regions_to_parquet(A, tmp_path / "calm", client=client, partitions=16)
    target = tmp_path / "out"

    def mid_run():  # a first part is in the fresh sibling: the other tasks are running
        return any(any(w.glob("part-*.parquet")) for w in tmp_path.glob(".out.*.tmpdir"))

    with _killing_a_worker(client, mid_run) as killed:
        m = regions_to_parquet(A, target, client=client, partitions=16)
    assert killed, "the worker was not killed while the run was going"
    assert m == len(A.regions())
    _same(A, target, floats=False)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == \
        {p.name: p.read_bytes() for p in (tmp_path / "calm").iterdir()}
    assert sorted(os.listdir(tmp_path)) == ["calm", "out"]
    client.wait_for_workers(2, timeout=60)


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
    target = tmp_path / "out"

    def mid_run():  # round 1 has written keys into the fresh sibling's work folder
        return any(any(w.iterdir()) for w in tmp_path.glob(".out.*.tmpdir/_work"))

    with _killing_a_worker(client, mid_run) as killed:
        m = regions_to_parquet(A, target, client=client, partitions=12)
    assert killed, "the worker was not killed while the run was going"
    assert m == len(A.regions())
    _same(A, target, floats=False)
    assert os.listdir(tmp_path) == ["out"]
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


# ---------------------------------------------------------------------------
# The folder is one value: a manifest checked on reading, written atomically
# ---------------------------------------------------------------------------


def _written(folder, A, partitions=4):
    regions_to_parquet(A, folder, partitions=partitions)
    return sorted(folder.glob("part-*.parquet"))


def test_the_manifest_describes_the_parts(tmp_path):
    import hashlib
    import json

    from hyperarr import __version__
    from hyperarr.distributed import fingerprint

    A = library.generic(9, 3, seed=1)
    files = _written(tmp_path, A)
    m = json.loads((tmp_path / MANIFEST).read_text())
    assert (m["n"], m["d"], m["rows"], m["hyperarr"]) == (9, 3, len(A.regions()), __version__)
    assert m["fingerprint"] == fingerprint(A) != fingerprint(library.generic(9, 3, seed=2))
    assert [p["name"] for p in m["parts"]] == [f.name for f in files]
    assert [p["sha256"] for p in m["parts"]] == [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
    assert sum(p["rows"] for p in m["parts"]) == m["rows"]


def test_a_deleted_part_is_named(tmp_path):
    # Issue 23, item 1: with one part deleted, 26,722 of 35,443 rows came back.
    files = _written(tmp_path, library.generic(22, 5, seed=1))
    files[2].unlink()
    with pytest.raises(ArrangementError, match=r"part 'part-00002\.parquet' is missing; the manifest lists it with \d+ rows"):
        read_regions(tmp_path)


def test_a_part_of_another_run_with_the_same_n_and_d_is_named(tmp_path):
    # Issue 23, item 1: a part copied from another run of the same n and d.
    files = _written(tmp_path / "a", library.generic(9, 3, seed=1), 2)
    other = _written(tmp_path / "b", library.generic(9, 3, seed=2), 2)
    files[1].write_bytes(other[1].read_bytes())
    with pytest.raises(ArrangementError, match=r"part 'part-00001\.parquet' is not the one written: .*"
                                               r"belongs to the output of another arrangement"):
        read_regions(tmp_path / "a")


def test_a_part_with_another_n_is_named(tmp_path):
    # Issue 23, item 5: parts with another n gave a numpy concatenate error.
    files = _written(tmp_path / "a", library.generic(9, 3, seed=1), 2)
    other = _written(tmp_path / "b", library.generic(10, 3, seed=1), 2)
    files[0].write_bytes(other[0].read_bytes())
    with pytest.raises(ArrangementError, match=r"part 'part-00000\.parquet' .*its n is 10, the manifest's 9"):
        read_regions(tmp_path / "a")


def test_zero_bytes_in_a_part_are_found(tmp_path):
    # Issue 23, item 1: 200 zero bytes in one part changed 67 sign vectors in silence.
    files = _written(tmp_path, library.generic(22, 5, seed=1))
    data = bytearray(files[1].read_bytes())
    data[1000:1200] = bytes(200)
    files[1].write_bytes(bytes(data))
    with pytest.raises(ArrangementError, match=r"part 'part-00001\.parquet' is not the one written: "
                                               r".*SHA-256 .*corrupted or was changed"):
        read_regions(tmp_path)


def test_a_part_not_in_the_manifest_is_named(tmp_path):
    files = _written(tmp_path, library.generic(9, 3, seed=1), 2)
    (tmp_path / "part-00007.parquet").write_bytes(files[0].read_bytes())
    with pytest.raises(ArrangementError, match=r"part 'part-00007\.parquet' is not in the manifest"):
        read_regions(tmp_path)


def test_a_foreign_parquet_folder_is_refused(tmp_path):
    # Issue 23, item 5: a foreign Parquet gave KeyError b'n'.
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"x": [1, 2, 3]}), tmp_path / "part-00000.parquet")
    with pytest.raises(ArrangementError, match=r"written by regions_to_parquet.*has none .*'part-00000\.parquet'"):
        read_regions(tmp_path)
    (tmp_path / MANIFEST).write_text('{"format": "something else"}')
    with pytest.raises(ArrangementError, match=r"the manifest '_manifest\.json' is not one written by"):
        read_regions(tmp_path)
    (tmp_path / MANIFEST).write_bytes(b"\xff\x00garbage")
    with pytest.raises(ArrangementError, match=r"the manifest '_manifest\.json' (is not one|cannot be read)"):
        read_regions(tmp_path)


def test_a_users_files_in_the_target_are_kept_and_the_write_refused(tmp_path):
    # Issue 23, item 2: a user's own <target>/_work/ folder was deleted outright.
    target = tmp_path / "out"
    (target / "_work").mkdir(parents=True)
    (target / "_work" / "mine.txt").write_text("mine")
    with pytest.raises(ArrangementError, match=r"'_work', which it did not write .*Nothing was written or deleted"):
        regions_to_parquet(library.five_lines(), target)
    assert (target / "_work" / "mine.txt").read_text() == "mine"
    assert sorted(os.listdir(tmp_path)) == ["out"] and os.listdir(target) == ["_work"]


def test_a_users_file_added_to_an_output_is_kept(tmp_path):
    A = library.generic(7, 2, seed=1)
    regions_to_parquet(A, tmp_path / "out")
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with pytest.raises(ArrangementError, match="'notes.txt', which it did not write"):
        regions_to_parquet(library.braid(3), tmp_path / "out")
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"
    assert read_regions(tmp_path / "out") == A.regions()
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_a_rerun_replaces_only_once_complete_and_an_empty_folder_is_fine(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    regions_to_parquet(library.generic(9, 3, seed=0), target, partitions=4)
    B = library.braid(4)
    regions_to_parquet(B, target, partitions=2)
    assert read_regions(target) == B.regions()
    assert sorted(os.listdir(tmp_path)) == ["out"]
    assert sorted(os.listdir(target)) == [MANIFEST, "part-00000.parquet", "part-00001.parquet"]


def test_a_file_as_target_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(HyperarrError, match="path must be a folder .*got the file"):
        regions_to_parquet(library.five_lines(), tmp_path / "f")
    assert (tmp_path / "f").read_text() == "x"


_WRITER = """
import sys
from hyperarr import library
from hyperarr.distributed import regions_to_parquet
regions_to_parquet(library.generic(30, 5, seed=1), sys.argv[1], partitions=8)
"""


def _start_writer(target):
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.Popen([sys.executable, "-c", _WRITER, str(target)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_mid_run(proc, parent, timeout=60):
    """Until the writer's fresh sibling holds work files or parts (or the writer ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if any(any(p.iterdir()) for p in parent.glob(".out.*.tmpdir")):
            return True
        time.sleep(0.005)
    return False


def test_an_interrupted_rerun_leaves_the_old_output_whole(tmp_path):
    # Issue 23, item 2: Ctrl-C during a re-run had already deleted the old output.
    A = library.generic(9, 3, seed=1)
    target = tmp_path / "out"
    regions_to_parquet(A, target, partitions=3)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    proc = _start_writer(target)
    assert _wait_mid_run(proc, tmp_path), proc.communicate()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and b"KeyboardInterrupt" in err
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert read_regions(target) == A.regions()
    assert os.listdir(tmp_path) == ["out"]  # no fresh sibling, no lock


def test_a_killed_writer_leaves_the_old_output_and_the_next_write_cleans_up(tmp_path):
    A = library.generic(9, 3, seed=1)
    target = tmp_path / "out"
    regions_to_parquet(A, target, partitions=3)
    proc = _start_writer(target)
    assert _wait_mid_run(proc, tmp_path)
    proc.kill()
    proc.communicate(timeout=60)
    assert read_regions(target) == A.regions()
    assert len(list(tmp_path.glob(".out.*.tmpdir"))) == 1  # SIGKILL leaves its sibling
    B = library.braid(3)
    regions_to_parquet(B, target)
    assert read_regions(target) == B.regions()
    assert os.listdir(tmp_path) == ["out"]


def test_two_writers_one_wins_the_other_is_refused_and_nothing_is_left(tmp_path):
    # Issue 23, item 2: the second writer failed with a raw IndexError or FileNotFoundError.
    target = tmp_path / "out"
    proc = _start_writer(target)
    assert _wait_mid_run(proc, tmp_path)
    with pytest.raises(HyperarrError, match=r"path '.*out' is being written by another process; nothing was written"):
        regions_to_parquet(library.braid(3), target)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert len(read_regions(target)) == len(library.generic(30, 5, seed=1).regions())
    assert os.listdir(tmp_path) == ["out"]


@pytest.mark.parametrize("make", [lambda: library.resonance(5), lambda: library.threshold(4)], ids=["R5", "T4"])
def test_levels_built_in_shares_are_the_levels_built_here(make):
    """Each round's flats split among three tasks (as among workers, each task on a fresh one),
    every task given the whole level below: the tables are the stream's own, bit for bit."""
    from hyperarr import _lattice, _lift, distributed

    A = make()
    rows, d, key = [tuple(r) for r in A.exact_rows], A.dim, distributed.fingerprint(A)
    below: list = []
    try:
        for dim in range(1, d - 1):
            shares = []
            for c in range(3):
                distributed._KEPT.clear()  # a fresh worker: its lattice not walked yet
                shares.append(distributed._level_task(rows, d, key, dim, c, 3, *below))
            below = shares
            assert sorted(k for share in below for k in share) == sorted({k for share in below for k in share})
    finally:
        distributed._KEPT.clear()
    lat = A._lattice
    by_dim = _lattice.levels(lat, lat.top)
    _lift._build_up_to(lat, by_dim, d - 2)
    got = {k: t for share in below for k, t in share.items()}
    assert sorted(got) == sorted(f.key for f in by_dim[d - 2])
    for f in by_dim[d - 2]:
        S, W, X = got[f.key]
        assert np.array_equal(S, f.regions[0]) and np.array_equal(W, f.regions[1], equal_nan=True)
        assert X == f.regions[2]


def test_a_lattice_over_its_budget_is_refused_before_any_task(tmp_path, monkeypatch):
    """The lattice check runs in the caller, before the rounds that build the levels."""
    from hyperarr import _lattice, distributed
    from hyperarr.exceptions import OutputTooLargeError

    monkeypatch.setattr(_lattice.Lattice, "max_flats", 10)
    called: list = []
    monkeypatch.setattr(distributed, "_level_task", lambda *a: called.append(a))
    with pytest.raises(OutputTooLargeError, match="max_flats=10"):
        regions_to_parquet(library.resonance(4), tmp_path / "out")
    assert called == [] and not (tmp_path / "out").exists()
