"""Region enumeration benchmark: hyperarr against an LP baseline and Sage.

Run from the repository root::

    python -m benchmarks.enumeration             # default run, about 10 minutes on 2 cores
    python -m benchmarks.enumeration --quick     # small workloads, under a minute
    python -m benchmarks.enumeration --sage-python PATH   # Sage timings from another interpreter
    python -m benchmarks.enumeration --only stream,is_generic --no-sage   # two rows, about a minute

It prints a markdown table and writes it, with a header naming the machine,
the versions, the date and the seed, to ``benchmarks/results/enumeration.md``
(``--out DIR`` to change the folder; ``--only OPS`` writes
``enumeration_<ops>.md`` instead, with the rows of those operations only).
The ``stream`` row streams ``generic(20, 10)`` with
``iter_regions(chunk_size=10_000)`` and compares its tracemalloc peak with
that of ``regions()`` on the same arrangement, in the same child; the
``is_generic`` row certifies general position of 30 standard normal float
hyperplanes in R^8 (20 million minors).

How the figures are taken
-------------------------
* Every measurement runs in a child process (``--worker``) with a time limit,
  so one slow case cannot stall the run; a case that hits its limit is
  reported as "timed out at X s".  The whole run has a time budget too.
* The arrangements are built once by the parent (``hyperarr.library``,
  ``seed=0``) and handed to the children as exact integer data.  Each timing
  uses a *fresh* `hyperarr.Arrangement`, because results are cached
  on the object, and includes everything the call does (for ``regions()``:
  exact witness verification and boundedness).  Fast calls are repeated on
  fresh objects (up to 5 times or 1 s) and the best time is reported.
* Peak memory is the `tracemalloc` peak of a separate run of the same
  call on another fresh object (numpy reports its buffers to tracemalloc), so
  the tracing overhead does not enter the timings.  MB = 10^6 bytes.  It is
  taken only when the timed run was short (5 s, more for the rows with a
  memory target), since tracing slows Python-level code several times.
* The LP baseline (`benchmarks.baselines.incremental_lp`) runs in the
  same child process as the hyperarr call it is compared with, and its sign
  vectors are checked against hyperarr's.
* Sage (passagemath) is timed only if it imports, in this interpreter or in
  the one given by ``--sage-python``; otherwise the table shows quoted
  reference figures (taken on a 2-core machine), marked "(quoted)".

The modules, in the order a run uses them
-----------------------------------------
* ``workloads``: the arrangements, the plan of tasks, their data on disk;
* ``operations``: what each operation calls and which columns it fills;
* ``targets``: the performance targets and the quoted reference figures;
* ``worker``: the child process that times one task, and the parent's side;
* ``sage``: the optional Sage comparison, in a separate interpreter;
* ``rows``: the typed row records, filled from the children's results;
* ``report``: the one formatter from rows to the table, and the document;
* ``cli``: ``main``, the options, the time budget and the run.
"""

from benchmarks.enumeration.cli import main
from benchmarks.enumeration.rows import Baseline, Outcome, Row, collect_rows
from benchmarks.enumeration.targets import QUOTED_SAGE, TARGETS
from benchmarks.enumeration.workloads import WORKLOADS, Task

__all__ = ["main", "WORKLOADS", "QUOTED_SAGE", "TARGETS", "Task", "Row", "Outcome", "Baseline",
           "collect_rows"]
