r"""Enumeration past one machine: regions written as Parquet by Dask tasks.

Needs the ``dask`` extra (``pip install -e '.[dask]'``: ``dask[distributed]``
and pyarrow); both are imported only when a function here is called.

In general position the candidates of the vertex method come in blocks of
vertex subsets (``hyperarr._generic``), each computed on its own from the
arrangement.  [`regions_to_parquet`][hyperarr.distributed.regions_to_parquet]
splits the blocks into ``partitions`` contiguous ranges and proves the list
as ``A.regions()`` does, in three rounds of independent tasks:

1. **keys** (one task a range): build the blocks, check every witness
   exactly (and, at infinity, the recession direction), keep them in a
   work file, and write the bit-packed sign keys, split into buckets by a
   hash of the key;
2. **proof** (one task a bucket): no key repeats, and the bounded regions
   are those of level 0 whose antipode is no region at infinity; the driver
   then checks the totals $\sum_{k \le d} \binom{n}{k}$ and $\binom{n - 1}{d}$;
3. **write** (one task a range): write one Parquet file
   ``part-NNNNN.parquet``, the blocks of the range with the bounded flags
   of the proof.

Every task writes its files atomically (temporary file, then rename) under
names fixed by its inputs, so a task that runs twice, or on another worker
after one died, writes the same bytes: the files are the same whatever
failed along the way.  Reading the parts in order gives ``A.regions()``
exactly: the same rows in the same order, the same flags, and witnesses
each checked exactly (their last bits can differ from a local run's when
the BLAS of the workers runs with another number of threads, as Dask's
workers do by default: one).

An arrangement not in general position is cut into pairs of opposite
cells of the signs on its first hyperplanes (``hyperarr._lift.Cell``), and
each task enumerates a range of pairs over the intersection lattice and
writes one part.  The regions come in the canonical order of
``A.regions()`` (by sign vector, the first hyperplane's sign factored
out), so here too the parts in order are ``A.regions()``.

A part file holds one row a region: ``signs`` (fixed-size binary: the sign
vector over the input hyperplanes, +1 ↦ bit 1, packed big-endian by
`numpy.packbits`), ``point`` (fixed-size list of float64), ``exact_point``
(list of strings of Fractions, null where ``point`` is inside), ``bounded``
and ``relatively_bounded``; ``n``, ``d`` and the arrangement's fingerprint
are in the schema metadata.  pandas, polars, duckdb and `pyarrow.dataset`
read the folder directly: the manifest ``_manifest.json`` starts with an
underscore, which pyarrow's datasets skip.

**The folder is one value.**  The parts and the manifest are written into
a fresh sibling folder, which then takes the target's place in one rename
(``hyperarr._atomic.atomic_folder``): a run that fails or is interrupted
leaves the old output whole, and a second writer of the same folder is
turned away with a `HyperarrError` before it writes anything.  An existing
target is replaced only if it holds nothing but an earlier output (its
manifest and the parts it lists); anything else in it is left alone and
the write refused.  The manifest holds the arrangement's fingerprint (the
SHA-256 of its exact rows), n, d, the hyperarr version, and each part's
name, row count and SHA-256; [`read_regions`][hyperarr.distributed.read_regions]
checks all of it before it returns.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
from numpy.typing import NDArray

from hyperarr import _exact, _generic, _keys, _lattice, _levels, _lift, characteristic
from hyperarr._atomic import atomic_folder, atomic_write_bytes, atomic_write_text
from hyperarr.arrangement import Arrangement, checked
from hyperarr.exceptions import ArrangementError
from hyperarr.regions import Regions, _lattice_batches

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

__all__ = ["regions_to_parquet", "read_regions", "characteristic_polynomial", "PART_PATTERN",
           "MAX_BUCKETS", "MANIFEST", "fingerprint"]

#: The names of the part files, in enumeration order.
PART_PATTERN = "part-{:05d}.parquet"
#: The manifest of a folder of parts: what read_regions checks before it returns.
MANIFEST = "_manifest.json"
#: What a part's name in a manifest must look like.
_PART_NAME = re.compile(r"part-\d{5,}\.parquet\Z")
#: The manifest's format, and its version.
_FORMAT = ("hyperarr.regions", 1)
#: Where the tasks of one run keep their intermediate files (removed at the end).
_WORK = "_work"
#: The proof round's tasks: one a bucket of keys, at most this many.
MAX_BUCKETS = 64
#: Tasks outside general position when ``partitions`` is not given.
DEFAULT_CELL_TASKS = 8


def regions_to_parquet(A: "Arrangement", path: str | os.PathLike[str], client: Any = None,
                       partitions: int | None = None, *, progress: bool = False) -> int:
    """Enumerate the regions of ``A`` with Dask, one Parquet file a task.

    Parameters
    ----------
    A : Arrangement
    path : str or path-like
        A folder: new, empty, or an earlier output of this function, which
        is replaced only once the new one is complete.
    client : distributed.Client, optional
        Where the tasks run.  None: the current client if there is one
        (``distributed.get_client``), else every task in this process, in order.
    partitions : int, optional
        The number of part files (and of tasks a round), at most the number
        of candidate blocks; default ``min(blocks, 32)``.  Outside general
        position, the number of tasks, at most the number of pairs of sign
        cells (a power of two up to 128); default 8.
    progress : bool, default False
        Show Dask's progress bar for each round (``distributed.progress``).

    Returns
    -------
    int
        The number of regions written.

    Raises
    ------
    ArrangementError
        If ``partitions`` is not a positive integer, or ``path`` holds
        anything but an earlier output (nothing is written or deleted).
    HyperarrError
        If another process is writing ``path``, or a rebuilt block differs
        from the one proved (the floats are deterministic, so this means
        the workers compute differently).

    Notes
    -----
    Outside general position a task holds the levels of the lattice that
    are held whole and its pairs of cells (see
    [`iter_regions`][hyperarr.regions.iter_regions]).

    In general position each task holds one block of candidates at a time;
    a task holds its range; a proof task holds the keys of its bucket,
    8 bytes a region (or ⌈n/8⌉ bytes past 64 hyperplanes) divided by the
    number of buckets.  The work files (the blocks of each range, raw, and
    the keys) sit in the fresh folder and are removed before it takes the
    target's place.

    Examples
    --------
    >>> import tempfile, hyperarr as ha
    >>> from hyperarr.distributed import read_regions, regions_to_parquet
    >>> A = ha.library.generic(7, 3, seed=1)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     m = regions_to_parquet(A, folder, partitions=3)
    ...     same = read_regions(folder) == A.regions()
    >>> m, same
    (64, True)
    """
    checked(A)
    if partitions is not None and (isinstance(partitions, bool) or not isinstance(partitions, (int, np.integer))
                                   or partitions < 1):
        raise ArrangementError(f"partitions must be a positive integer or None; got {partitions!r}")
    run = _runner(client, progress)
    prep = A._prepared
    generic = len(prep.rows) == A.n and A.n > 0 and _generic.probably_generic(prep.rows, A.dim)
    print_ = fingerprint(A)
    with atomic_folder(path, _owned) as folder:
        parts = _generic_run(A, folder, run, partitions, print_) if generic else None
        if parts is None:
            shutil.rmtree(folder / _WORK, ignore_errors=True)
            for old in folder.glob("part-*.parquet"):
                old.unlink()
            parts = _cells_run(A, folder, run, partitions or DEFAULT_CELL_TASKS, print_)
        shutil.rmtree(folder / _WORK, ignore_errors=True)
        manifest = {"format": _FORMAT[0], "format_version": _FORMAT[1], "hyperarr": _version(),
                    "n": A.n, "d": A.dim, "fingerprint": print_, "rows": sum(r for _, r, _ in parts),
                    "parts": [{"name": name, "rows": r, "sha256": h} for name, r, h in parts]}
        atomic_write_text(folder / MANIFEST, json.dumps(manifest, indent=1) + "\n")
    return int(manifest["rows"])  # type: ignore[call-overload]


def _version() -> str:
    """The installed hyperarr's version (the package root is above this layer)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hyperarr")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


def fingerprint(A: "Arrangement") -> str:
    """The SHA-256 of the exact rows of ``A``: the arrangement a folder of parts was written for.

    Two arrangements have the same fingerprint exactly when they have the
    same dimension and the same rows ``(w_i, θ_i)`` in the same order, as
    exact rationals (a row and a multiple of it are different rows here).

    Examples
    --------
    >>> from hyperarr import library
    >>> fingerprint(library.braid(3)) == fingerprint(library.braid(3))
    True
    >>> fingerprint(library.braid(3)) == fingerprint(library.braid(4))
    False
    """
    A = checked(A)
    h = hashlib.sha256(f"hyperarr rows {A.n} {A.dim}\n".encode())
    for row in A.exact_rows:
        h.update((" ".join(_exact.exact_text(Fraction(v)) for v in row) + "\n").encode())
    return h.hexdigest()


def read_regions(path: str | os.PathLike[str]) -> Regions:
    """The regions written by [`regions_to_parquet`][hyperarr.distributed.regions_to_parquet], as one table.

    Parameters
    ----------
    path : str or path-like
        The folder of part files.

    Returns
    -------
    Regions
        The parts in order: equal to ``A.regions()`` of the arrangement written.

    Raises
    ------
    ArrangementError
        Before anything is returned, if the folder is not whole: no or an
        invalid manifest (a folder not written by `regions_to_parquet`), a
        part missing, a part not in the manifest, or a part whose checksum,
        row count, n, d or fingerprint differs from the manifest's.  The
        message names the part and what differs.

    Notes
    -----
    For data too large for one table, read the folder as a dataset instead,
    e.g. ``pyarrow.dataset.dataset(path)``, or with pandas, polars or duckdb;
    the signs unpack with ``numpy.unpackbits(..., count=n)``.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(path)
    shown = os.fspath(path)
    manifest = _load_manifest(folder, shown)
    listed = [p["name"] for p in manifest["parts"]]
    extra = sorted({f.name for f in folder.glob("part-*.parquet")} - set(listed))
    if extra:
        raise ArrangementError(f"{shown!r}: part {extra[0]!r} is not in the manifest {MANIFEST!r} "
                               f"(which lists {len(listed)} parts); it was not written with them")
    parts = []
    for entry in manifest["parts"]:
        name = entry["name"]
        try:
            data = (folder / name).read_bytes()
        except FileNotFoundError:
            raise ArrangementError(f"{shown!r}: part {name!r} is missing; the manifest lists it with "
                                   f"{entry['rows']} rows") from None
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry["sha256"]:
            raise ArrangementError(f"{shown!r}: part {name!r} is not the one written: "
                                   + _what_differs(data, entry, manifest, digest))
        part = _from_table(pq.read_table(pa.BufferReader(data)))
        if len(part) != entry["rows"] or part.signs.shape[1] != manifest["n"] \
                or part.points.shape[1] != manifest["d"]:  # only a forged manifest gets here
            raise ArrangementError(f"{shown!r}: part {name!r} has {len(part)} rows, n = "
                                   f"{part.signs.shape[1]}, d = {part.points.shape[1]}; the manifest "
                                   f"says {entry['rows']} rows, n = {manifest['n']}, d = {manifest['d']}")
        parts.append(part)
    if not parts:
        return _from_table(_empty_table(manifest["n"], manifest["d"]))
    return parts[0] if len(parts) == 1 else Regions.concatenate(parts)


def _load_manifest(folder: Path, shown: str) -> dict[str, Any]:
    """The manifest of ``folder``, checked for shape; ArrangementError naming what is wrong."""
    if not folder.is_dir():
        raise ArrangementError(f"path must be a folder written by regions_to_parquet; got {shown!r}, "
                               f"which is {'a file' if folder.exists() else 'missing'}")
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        found = sorted(p.name for p in folder.iterdir())[:3]
        raise ArrangementError(f"path must be a folder written by regions_to_parquet, with its "
                               f"{MANIFEST!r}; {shown!r} has none (it holds {found or 'nothing'}): "
                               f"a foreign folder, or one written before manifests") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ArrangementError(f"{shown!r}: the manifest {MANIFEST!r} cannot be read: {exc}") from None
    try:
        m = json.loads(text)
        ok = isinstance(m, dict) and (m.get("format"), m.get("format_version")) == _FORMAT \
            and all(_count(m.get(k)) for k in ("n", "d", "rows")) and isinstance(m.get("fingerprint"), str) \
            and isinstance(m.get("parts"), list) \
            and all(isinstance(p, dict) and isinstance(p.get("name"), str) and _PART_NAME.match(p["name"])
                    and _count(p.get("rows")) and isinstance(p.get("sha256"), str) for p in m["parts"]) \
            and len({p["name"] for p in m["parts"]}) == len(m["parts"]) \
            and sum(p["rows"] for p in m["parts"]) == m["rows"]
    except ValueError:
        ok = False
    if not ok:
        raise ArrangementError(f"{shown!r}: the manifest {MANIFEST!r} is not one written by "
                               f"regions_to_parquet (format {_FORMAT[0]!r} version {_FORMAT[1]})")
    return m  # type: ignore[no-any-return]


def _count(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and x >= 0


def _what_differs(data: bytes, entry: dict[str, Any], manifest: dict[str, Any], digest: str) -> str:
    """Say how a part whose checksum differs differs: its n, d, fingerprint or rows, else its bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(pa.BufferReader(data))
        kv = {k.decode(): v.decode() for k, v in (meta.metadata or {}).items()}
        found = {"n": kv.get("n"), "d": kv.get("d"), "fingerprint": kv.get("hyperarr.fingerprint"),
                 "rows": str(meta.num_rows)}
    except Exception:  # an unreadable footer: only the checksum can speak
        found = {}
    expected = {"n": str(manifest["n"]), "d": str(manifest["d"]),
                "fingerprint": manifest["fingerprint"], "rows": str(entry["rows"])}
    diffs = [f"its {k} is {found[k]}, the manifest's {v}" for k, v in expected.items()
             if k in found and found[k] != v]
    if "fingerprint" in found and found["fingerprint"] != expected["fingerprint"]:
        diffs.append("it belongs to the output of another arrangement")
    if not diffs:
        diffs = [f"its SHA-256 is {digest[:16]}…, the manifest's {entry['sha256'][:16]}… "
                 f"(the file is corrupted or was changed)"]
    return "; ".join(diffs)


def _owned(target: Path) -> list[str]:
    """The entries of ``target`` that regions_to_parquet wrote; refuse if it holds anything else."""
    entries = sorted(os.listdir(target))
    if not entries:
        return []
    try:
        listed = {MANIFEST, *(p["name"] for p in _load_manifest(target, os.fspath(target))["parts"])}
    except ArrangementError:
        listed = set()
    foreign = [e for e in entries if e not in listed]
    if foreign:
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        raise ArrangementError(
            f"path must be a new or empty folder, or an earlier output of regions_to_parquet; "
            f"{os.fspath(target)!r} holds {', '.join(map(repr, foreign[:3]))}{more}, which it did not "
            f"write{'' if MANIFEST in entries else ' (there is no ' + repr(MANIFEST) + ')'}. "
            f"Nothing was written or deleted")
    return entries


# ----------------------------------------------------------------------
# Running tasks
# ----------------------------------------------------------------------


class _Runner:
    """``run(fn, args_list) -> results`` on the Dask client (or here, in order), and `submit`
    / `gather` for tasks whose results stay on the workers and feed later tasks."""

    def __init__(self, client: Any, progress: bool) -> None:
        self.client, self.progress = client, progress

    def __call__(self, fn: Any, args: Sequence[tuple[Any, ...]]) -> list[Any]:
        if self.client is None:
            return [fn(*a) for a in args]
        futures = [self.submit(fn, *a) for a in args]
        if self.progress:
            from distributed import progress as bar

            bar(futures)
        return list(self.client.gather(futures))

    def submit(self, fn: Any, *args: Any, spread: int | None = None) -> Any:
        """A handle on ``fn(*args)``: a Dask future (handles in ``args`` resolved on the
        worker), or the value itself here.

        ``spread = i`` asks for the i-th worker (in turn), any other if it is gone:
        tasks that take the same inputs would otherwise all go where the inputs are.
        """
        if self.client is None:
            return fn(*args)
        where = {}
        if spread is not None:
            workers = sorted(self.client.scheduler_info()["workers"])
            if workers:
                where = {"workers": [workers[spread % len(workers)]], "allow_other_workers": True}
        return self.client.submit(fn, *args, pure=False, key=f"hyperarr-{fn.__name__}-{_token(args)}", **where)

    def gather(self, handles: Sequence[Any]) -> list[Any]:
        return list(handles) if self.client is None else list(self.client.gather(list(handles)))

    @property
    def workers(self) -> int:
        """Worker threads to share a round of tasks (1 here)."""
        if self.client is None:
            return 1
        return max(1, sum(self.client.nthreads().values()))


def _runner(client: Any, progress: bool = False) -> _Runner:
    """The `_Runner` of ``client``: the one given, the current Dask client, or none (here)."""
    if client is None:
        try:
            from distributed import get_client

            client = get_client()
        except (ImportError, ValueError):
            client = None
    return _Runner(client, progress)


def characteristic_polynomial(A: "Arrangement", client: Any = None, symmetry: Any = None, *,
                              partitions: int | None = None,
                              progress: bool = False) -> tuple[int, ...]:
    r"""$\chi_A(t)$, with the level-by-level count spread over Dask workers.

    The same count as [`hyperarr.characteristic_polynomial`][hyperarr.characteristic.characteristic_polynomial],
    with the same checks (general position, ``symmetry`` verified exactly,
    budgets), and an identical result.  Each depth is cut into
    ``partitions`` buckets (default: twice the workers' threads); every
    bucket is expanded by one task, which returns the Betti counts it
    settles and its children; the children are cut into the next depth's
    buckets by a hash of their exact key and reduced there, so identical
    restrictions meet in one bucket and are merged.  The restrictions stay
    on the workers; only counts come back.  A task is a pure function of its
    inputs, so Dask may run it again after a worker dies.

    Parameters
    ----------
    A : Arrangement
    client : distributed.Client, optional
        Default: the current client, or this process if there is none.
    symmetry : sequence of permutations, optional
        As in `hyperarr.characteristic_polynomial`.
    partitions : int, optional
        Pieces per depth.
    progress : bool, default False
        Show Dask's progress bar for each depth.

    Examples
    --------
    >>> from hyperarr import library
    >>> characteristic_polynomial(library.threshold(3))  # in this process
    (23, -44, 28, -8, 1)
    """
    A = checked(A)
    if partitions is not None and (not isinstance(partitions, int) or partitions < 1):
        raise ArrangementError(f"partitions must be a positive integer; got {partitions!r}")
    cl = _client(client)

    def count(rows: list[tuple[int, ...]], dim: int, progress: Any = None) -> list[int]:
        p = _levels.field_prime(_levels.hadamard_bound_squared(rows, dim))
        if p is None or cl is None:
            return _levels.betti_central(rows, dim, progress=progress)
        return _betti_on(cl, rows, dim, p, partitions, bar)

    bar = progress
    return characteristic._chi(A, symmetry, False, count)


def _client(client: Any) -> Any:
    if client is not None:
        return client
    try:
        from distributed import get_client

        return get_client()
    except (ImportError, ValueError):
        return None


def _betti_on(client: Any, rows: list[tuple[int, ...]], dim: int, p: int,
              partitions: int | None, progress: bool) -> list[int]:
    """The level-by-level count with each depth mapped over the workers.

    The restrictions of a depth stay on the workers, in ``partitions``
    buckets by a hash of their key: each bucket is expanded by one task, the
    children of every task are cut into the buckets of the next depth, and
    bucket b of the next depth merges the b-th cut of every task.  Only the
    Betti counts and each bucket's size come back to this process.
    """
    if partitions is None:
        partitions = 2 * max(1, sum(client.nthreads().values()))
    betti = [0] * (dim + 1)
    betti[0] = 1
    # Depth 0 is built by tasks too (not scattered), so that Dask can rebuild
    # anything a dead worker held from the task graph alone.
    first = len(_levels.split(_levels.start(rows, dim, p), partitions))
    pieces: list[Any] = [client.submit(_start_piece, rows, dim, p, partitions, i, pure=True)
                         for i in range(first)]
    depth = 0
    while pieces:
        sizes = client.gather([client.submit(_size, pc, pure=True) for pc in pieces])
        restrictions = sum(r for r, _ in sizes)
        _levels.refuse_depth(depth, dim, restrictions, sum(q for _, q in sizes),
                             limit=_levels.MAX_PAIRS_PER_DEPTH * partitions)
        live = [pc for pc, (r, _) in zip(pieces, sizes) if r]
        if not live:
            break
        tag = _token((p, dim, depth, rows[:4], len(rows)))
        expanded = [client.submit(_levels.expand, pc, p, dim, depth, pure=True,
                                  key=f"hyperarr-expand-{depth}-{i}-{tag}")
                    for i, pc in enumerate(live)]
        if progress:
            from distributed import progress as bar

            bar(expanded)
        cuts = [client.submit(_cut, e, partitions, pure=True) for e in expanded]
        pieces = [client.submit(_bucket, b, *cuts, pure=True) for b in range(partitions)]
        for got in client.gather([client.submit(_first, e, pure=True) for e in expanded]):
            betti = [a + b for a, b in zip(betti, got)]
        depth += 1
    return betti


def _start_piece(rows: list[tuple[int, ...]], dim: int, p: int, parts: int, i: int) -> Any:
    return _levels.split(_levels.start(rows, dim, p), parts)[i]


def _size(lev: Any) -> tuple[int, int]:
    return (0, 0) if lev is None else (len(lev.mult), _levels.pairs_of(lev))


def _first(pair: tuple[Any, Any]) -> Any:
    return pair[0]


def _cut(pair: tuple[Any, Any], buckets: int) -> list[Any]:
    return _levels.partition(pair[1], buckets)


def _bucket(b: int, *cuts: list[Any]) -> Any:
    return _levels.merge([cut[b] for cut in cuts])


def _token(args: tuple[Any, ...]) -> str:
    return hashlib.blake2b(repr(args).encode(), digest_size=8).hexdigest()


# ----------------------------------------------------------------------
# General position: three rounds of tasks
# ----------------------------------------------------------------------


def _generic_run(A: "Arrangement", folder: Path, run: Any, partitions: int | None,
                 print_: str) -> list[tuple[str, int, str]] | None:
    prep = A._prepared
    rows, d = [tuple(r) for r in prep.rows], A.dim
    g = _generic.Generic(rows, d)
    if not np.isfinite(g.F).all():
        return None
    # Ranges of blocks holding about the same number of candidates each.
    sizes = np.array([1 if spec is None else math.comb(spec[1], spec[2]) for _, spec in g.block_specs()])
    parts = min(partitions or 32, sizes.size)
    ends = np.cumsum(sizes)
    cuts = np.searchsorted(ends, ends[-1] * np.arange(1, parts) / parts, side="right")
    bounds = [0, *sorted(set(np.clip(cuts, 1, sizes.size - 1).tolist())), sizes.size] if parts > 1 \
        else [0, sizes.size]
    ranges = list(zip(bounds[:-1], bounds[1:]))
    parts = len(ranges)
    buckets = min(parts, MAX_BUCKETS)
    work = folder / _WORK
    work.mkdir(exist_ok=True)
    job = (rows, d, os.fspath(work), buckets)
    sizes = run(_keys_task, [(*job, i, lo, hi) for i, (lo, hi) in enumerate(ranges)])
    if any(x is None for x in sizes):
        return None
    counts = run(_proof_task, [(*job, parts, j) for j in range(buckets)])
    if any(c is None for c in counts) or sum(c[0] for c in counts) != g.expected \
            or sum(c[1] for c in counts) != g.n_bounded:
        return None
    column, orient = prep.column.tolist(), prep.orient.tolist()
    written = run(_write_task, [(os.fspath(work), buckets, i, os.fspath(folder), column, orient, A.n == 0,
                                 print_) for i in range(parts)])
    return [(PART_PATTERN.format(i), r, h) for i, (r, h) in enumerate(written)]


def _bucket_of(keys: NDArray[Any], buckets: int) -> NDArray[np.intp]:
    """A hash of each key, in range(buckets) (the same on every worker)."""
    if keys.dtype == np.uint64:
        words = keys
    else:  # wide keys: the first 8 bytes
        raw = np.frombuffer(keys.tobytes(), dtype=np.uint8).reshape(keys.size, -1)[:, :8]
        words = np.ascontiguousarray(raw).view(">u8").reshape(-1).astype(np.uint64)
    with np.errstate(over="ignore"):
        mixed = (words ^ (words >> np.uint64(29))) * np.uint64(0x9E3779B97F4A7C15)
    return ((mixed >> np.uint64(40)) % np.uint64(buckets)).astype(np.intp)


def _keys_task(rows: list[tuple[int, ...]], d: int, work: str, buckets: int, i: int, lo: int,
               hi: int) -> int | None:
    """Round 1: build and check the blocks of range i exactly; keep them, and
    write their keys by bucket.

    Returns the number of candidates, or None if a check fails.
    """
    g = _generic.Generic(rows, d)
    blocks = g.blocks(lo, hi)
    keys, level0, antipodes, S_parts, W_parts = [], [], [], [], []
    for blk in blocks:
        if blk is None or not g.verified(*blk):
            return None
        level, S, W = blk
        k = _keys.pack(S)
        keys.append(k)
        level0.append(np.full(k.size, level == 0))
        if level:
            antipodes.append(_keys.pack(-S))
        S_parts.append(S)
        W_parts.append(W)
    _save(Path(work) / f"blocks-{i:05d}.npz", S=np.concatenate(S_parts), W=np.concatenate(W_parts))
    allk = np.concatenate(keys)
    flags = np.concatenate(level0)
    anti = np.concatenate(antipodes) if antipodes else allk[:0]
    # Keys, then antipodes, each grouped by bucket (stable: row order within a
    # bucket); the offsets let a proof task read its slices only (memory map).
    kb, ab = _bucket_of(allk, buckets), _bucket_of(anti, buckets)
    ko, ao = np.argsort(kb, kind="stable"), np.argsort(ab, kind="stable")
    offsets = np.concatenate([np.searchsorted(kb[ko], np.arange(buckets + 1)),
                              allk.size + np.searchsorted(ab[ao], np.arange(buckets + 1))])
    _save_npy(Path(work) / f"keys-{i:05d}.npy", np.concatenate([allk[ko], anti[ao]]))
    _save_npy(Path(work) / f"level0-{i:05d}.npy", flags[ko])
    _save_npy(Path(work) / f"offsets-{i:05d}.npy", offsets.astype(np.int64))
    return int(allk.size)


def _proof_task(rows: list[tuple[int, ...]], d: int, work: str, buckets: int, parts: int,
                j: int) -> tuple[int, int] | None:
    """Round 2: bucket j has distinct keys; flag its bounded ones, per range.

    Returns (keys, bounded) in the bucket, or None if a key repeats.
    """
    keys, level0, antipodes = [], [], []
    for i in range(parts):
        off = np.load(Path(work) / f"offsets-{i:05d}.npy").tolist()
        allk = np.load(Path(work) / f"keys-{i:05d}.npy", mmap_mode="r")
        keys.append(np.array(allk[off[j] : off[j + 1]]))
        level0.append(np.array(np.load(Path(work) / f"level0-{i:05d}.npy", mmap_mode="r")[off[j] : off[j + 1]]))
        antipodes.append(np.array(allk[off[buckets + 1 + j] : off[buckets + 2 + j]]))
    every = np.concatenate(keys)
    if not _keys.all_distinct(every):
        return None
    anti = np.sort(np.concatenate(antipodes))
    flags = {f"t{i:05d}": level0[i] & ~_keys.member(keys[i], anti) for i in range(parts)}
    _save(Path(work) / f"bounded-{j:05d}.npz", **flags)
    return int(every.size), int(sum(int(f.sum()) for f in flags.values()))


def _write_task(work: str, buckets: int, i: int, folder: str, column: list[int], orient: list[int],
                empty: bool, print_: str) -> tuple[int, str]:
    """Round 3: write part i, the blocks of range i with their bounded flags."""
    with np.load(Path(work) / f"blocks-{i:05d}.npz") as z:
        S, W = z["S"], z["W"]
    kb = _bucket_of(_keys.pack(S), buckets)
    bounded = np.zeros(S.shape[0], dtype=bool)
    for j in range(buckets):
        with np.load(Path(work) / f"bounded-{j:05d}.npz") as z:
            bounded[kb == j] = z[f"t{i:05d}"]  # rows of bucket j, in row order, as round 1 wrote them
    signs = np.ascontiguousarray(S[:, column] * np.asarray(orient, dtype=np.int8)[None, :], dtype=np.int8)
    relative = np.ones_like(bounded) if empty else bounded
    return _write_part(Path(folder) / PART_PATTERN.format(i), signs, W, bounded, relative, None, print_)


def _save_npy(path: Path, array: NDArray[Any]) -> None:
    import io

    buf = io.BytesIO()
    np.save(buf, array)
    atomic_write_bytes(path, buf.getvalue())


def _save(path: Path, **arrays: NDArray[Any]) -> None:
    import io

    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]
    atomic_write_bytes(path, buf.getvalue())


# ----------------------------------------------------------------------
# Any arrangement: one task a range of pairs of sign cells
# ----------------------------------------------------------------------


def _cells_run(A: "Arrangement", folder: Path, run: _Runner, partitions: int,
               print_: str) -> list[tuple[str, int, str]]:
    """Parts that are ranges of the pairs of opposite sign cells of ``_lift.cells_of(p)``.

    First the levels of the lattice held whole are built on the workers,
    one round a dimension (`_levels_run`); then each task enumerates the
    regions of its pairs above them (the regions come in canonical order,
    so the parts in order are ``A.regions()``) and writes its part.  A
    worker keeps the arrangement of its last task, with its lattice and the
    tables it holds, for the next task of the same run.
    """
    h = len(A._prepared.rows)
    p = min(h, _lift.MAX_CELL_PLANES, 1 + math.ceil(math.log2(partitions)))  # 0: no hyperplane, one task
    pairs = 2 ** (p - 1) if p else 1
    tasks = min(partitions, pairs)
    bounds = np.linspace(0, pairs, tasks + 1).round().astype(int).tolist()
    rows = [tuple(r) for r in A.exact_rows]
    characteristic._check_lattice(A, 1, "Enumerating its regions")  # a lattice too large: refused here, at once
    try:
        base = _levels_run(A, rows, run, print_) if p else []
        written = run.gather([run.submit(_cells_task, rows, A.dim, p, lo, hi, os.fspath(folder), i, print_, *base,
                                         spread=i) for i, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:]))])
    finally:
        _KEPT.clear()  # tasks that ran in this process
    return [(PART_PATTERN.format(i), r, digest) for i, (r, digest) in enumerate(written)]


def _levels_run(A: "Arrangement", rows: list[tuple[Any, ...]], run: _Runner, print_: str) -> list[Any]:
    """The levels of the lattice that the stream holds whole (`_lift.stream_regions`' rule),
    built one round a dimension, each round's flats shared among the workers.

    A task of a round takes the tables of the whole level below (handles on
    the previous round's tasks) and returns those of its share of the
    flats; only their row counts come back here.  Returns the handles on
    the last level built (nothing if the stream builds no level).
    """
    d = A.dim
    if d <= 2 or len(A._prepared.rows) <= 1:
        return []
    shares = run.workers
    budget = _lift.level_rows(len(A._prepared.rows), d)
    level: list[Any] = []
    got, growth = 0, 1.0
    for dim in range(1, d - 1):
        if dim > _lift.MIN_LEVELS and got * growth > budget:
            break
        level = [run.submit(_level_task, rows, d, print_, dim, c, shares, *level, spread=c) for c in range(shares)]
        new = sum(run.gather([run.submit(_table_rows, t) for t in level]))
        growth = new / got if got else 1.0
        got = new
    return level


def _table_rows(tables: dict[int, Any]) -> int:
    """Rows of the tables of a share of a level."""
    return sum(t[0].shape[0] for t in tables.values())


#: The arrangement of a worker's last task, by fingerprint (see `_cells_run`).
_KEPT: dict[str, "Arrangement"] = {}


def _kept(rows: list[tuple[Any, ...]], d: int, print_: str, *below: dict[int, Any]) -> "Arrangement":
    """The worker's arrangement for this run, with the tables of ``below`` (shares of one
    level, by flat key) in its lattice."""
    A = _KEPT.get(print_)
    if A is None:
        _KEPT.clear()
        A = _KEPT[print_] = Arrangement._from_rows(rows, d)
    lat = A._lattice
    _lattice.levels(lat, lat.top)  # a fresh worker (or one restarted) has not walked it yet
    for share in below:
        for key, table in share.items():
            lat.flats[key].regions = table
    return A


def _level_task(rows: list[tuple[Any, ...]], d: int, print_: str, dim: int, c: int, shares: int,
                *below: dict[int, Any]) -> dict[int, Any]:
    """The tables of share c of the flats of dimension ``dim``, from those of the level below."""
    A = _kept(rows, d, print_, *below)
    lat = A._lattice
    by_dim = _lattice.levels(lat, lat.top)
    for f in by_dim[dim - 2] if dim >= 3 else ():
        f.regions = None  # two levels down: not needed any more
    out = {}
    for f in by_dim[dim][c::shares]:
        if f.regions is None:
            f.regions = _lift.level_table(lat, f)
        out[f.key] = f.regions
    return out


def _cells_task(rows: list[tuple[Any, ...]], d: int, p: int, lo: int, hi: int, folder: str, i: int,
                print_: str, *base: dict[int, Any]) -> tuple[int, str]:
    """Write part i: the regions of the pairs of cells lo to hi − 1 (``base``: the level held
    whole, in shares)."""
    A = _kept(rows, d, print_, *base)
    held = next((share for share in base if share), None)
    if held is not None:  # the levels below the one held whole are not needed
        lat = A._lattice
        by_dim = _lattice.levels(lat, lat.top)
        for k in range(1, lat.flats[next(iter(held))].dim):
            for f in by_dim[k]:
                f.regions = None
    chunks = list(_lattice_batches(A, (p, lo, hi) if p else None, release=False))
    R = Regions.concatenate(chunks) if chunks else Regions._wrap(
        np.zeros((0, A.n), dtype=np.int8), np.zeros((0, d)), np.zeros(0, dtype=bool))
    return _write_part(Path(folder) / PART_PATTERN.format(i), R.signs, R.points, R.bounded,
                       R.relatively_bounded, R._exact, print_)


# ----------------------------------------------------------------------
# Parquet
# ----------------------------------------------------------------------


def _write_part(path: Path, signs: NDArray[np.int8], points: NDArray[np.float64], bounded: NDArray[np.bool_],
                relative: NDArray[np.bool_], exact: NDArray[Any] | None, print_: str) -> tuple[int, str]:
    """Write one part; its row count and the SHA-256 of its bytes."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    m, n = signs.shape
    d = points.shape[1]
    width = max(1, -(-n // 8))
    packed = np.zeros((m, width), dtype=np.uint8)
    packed[:, : -(-n // 8)] = np.packbits(signs > 0, axis=1)
    exact_col: list[list[str] | None] = [None] * m
    if exact is not None:
        for r, point in enumerate(exact.tolist()):
            if point is not None:
                exact_col[r] = [_exact.exact_text(v) for v in point]
    table = pa.table(
        {
            "signs": pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), m,
                                                         [None, pa.py_buffer(packed.tobytes())]),
            "point": pa.FixedSizeListArray.from_arrays(pa.array(points.reshape(-1), type=pa.float64()), d)
            if d else pa.array([[]] * m, type=pa.list_(pa.float64(), 0)),
            "exact_point": pa.array(exact_col, type=pa.list_(pa.string())),
            "bounded": pa.array(bounded, type=pa.bool_()),
            "relatively_bounded": pa.array(relative, type=pa.bool_()),
        },
        metadata={"n": str(n), "d": str(d), "hyperarr.fingerprint": print_},
    )
    buf = io.BytesIO()
    pq.write_table(table, buf)
    data = buf.getvalue()
    atomic_write_bytes(path, data)
    return m, hashlib.sha256(data).hexdigest()


def _empty_table(n: int, d: int) -> "pa.Table":
    """A table of no regions with the parts' schema."""
    import pyarrow as pa

    width = max(1, -(-n // 8))
    return pa.table({"signs": pa.array([], type=pa.binary(width)),
                     "point": pa.array([], type=pa.list_(pa.float64(), d)),
                     "exact_point": pa.array([], type=pa.list_(pa.string())),
                     "bounded": pa.array([], type=pa.bool_()),
                     "relatively_bounded": pa.array([], type=pa.bool_())},
                    metadata={"n": str(n), "d": str(d)})


def _from_table(table: "pa.Table") -> Regions:
    meta = table.schema.metadata or {}
    names = ["signs", "point", "exact_point", "bounded", "relatively_bounded"]
    if b"n" not in meta or b"d" not in meta or table.column_names != names:
        raise ArrangementError(f"a part must have the columns {names} and n, d in its metadata; got "
                               f"{table.column_names} and {sorted(k.decode() for k in meta)}")
    n, d = int(meta[b"n"]), int(meta[b"d"])
    m = table.num_rows
    raw = np.frombuffer(table.column("signs").combine_chunks().buffers()[1], dtype=np.uint8)
    width = max(1, -(-n // 8))
    bits = np.unpackbits(raw[: m * width].reshape(m, width), axis=1, count=n)
    signs = np.where(bits > 0, 1, -1).astype(np.int8)
    points = np.asarray(table.column("point").combine_chunks().flatten(), dtype=np.float64).reshape(m, d)
    exact_list = table.column("exact_point").to_pylist()
    exact = None
    if any(v is not None for v in exact_list):
        exact = np.full(m, None, dtype=object)
        for r, vals in enumerate(exact_list):
            if vals is not None:
                exact[r] = tuple(_exact.parse_exact(v, max_digits=None) for v in vals)
    bounded = table.column("bounded").to_numpy(zero_copy_only=False).astype(bool)
    relative = table.column("relatively_bounded").to_numpy(zero_copy_only=False).astype(bool)
    for a in (signs, points, bounded, relative):
        a.setflags(write=False)
    return Regions._wrap(signs, points, bounded, relative, exact)
