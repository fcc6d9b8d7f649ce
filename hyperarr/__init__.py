"""hyperarr: exact hyperplane arrangements for the geometry of threshold networks.

A first-layer threshold neuron i computes ``a_i = w_i · x − θ_i``; its
hyperplane ``{x : w_i · x = θ_i}`` cuts the input space in two, and n of
them form an *arrangement* whose regions are named by their sign vectors.
"""

# The package root only re-exports; each name lives in the module of its concept.
import types as _types
from typing import Any as _Any

from hyperarr import counting, domain, faces, interop, library, occupancy, regions
from hyperarr.adjacency import adjacency_edges, adjacency_graph, adjacency_matrix
from hyperarr.arrangement import Arrangement, Hyperplane
from hyperarr.characteristic import (
    betti_numbers,
    characteristic_polynomial,
    n_bounded_regions,
    n_regions,
    poincare_polynomial,
)
from hyperarr.counting import approx_regions, max_bounded_regions, max_regions, region_count_table
from hyperarr.faces import Face, Faces
from hyperarr.domain import Box, Polytope
from hyperarr.exceptions import (
    ArrangementError,
    HyperarrError,
    ModelError,
    OutputTooLargeError,
    WitnessError,
)
from hyperarr.network import ThresholdNetwork
from hyperarr.poset import poset_of_regions
from hyperarr.polyhedron import RegionPolyhedron
from hyperarr.regions import Region, Regions
from hyperarr.synthesis import synthesize

__version__ = "0.1.0"


class _CallableModule(_types.ModuleType):
    """A module that, called, calls its function of the same name.

    ``hyperarr.regions`` is both the module of the concept and, at the package
    root, the function ``regions(A)``: an attribute of a package is what
    ``import hyperarr.regions`` binds, so it has to stay the module.
    """

    def __call__(self, *args: _Any, **kwargs: _Any) -> _Any:
        return getattr(self, self.__name__.rpartition(".")[2])(*args, **kwargs)


# `hyperarr.regions(A)`, `hyperarr.faces(A)`, `hyperarr.occupancy(A, X)`: the
# modules whose main function shares their name are callable as that function.
for _module in (faces, occupancy, regions):
    _module.__class__ = _CallableModule
del _module

__all__ = [
    "Arrangement",
    "Hyperplane",
    "regions",
    "Regions",
    "Region",
    "faces",
    "Faces",
    "Face",
    "occupancy",
    "poset_of_regions",
    "RegionPolyhedron",
    "adjacency_graph",
    "adjacency_edges",
    "adjacency_matrix",
    "ThresholdNetwork",
    "synthesize",
    "max_regions",
    "max_bounded_regions",
    "approx_regions",
    "region_count_table",
    "characteristic_polynomial",
    "n_regions",
    "n_bounded_regions",
    "betti_numbers",
    "poincare_polynomial",
    "Polytope",
    "Box",
    "library",
    "counting",
    "HyperarrError",
    "ArrangementError",
    "ModelError",
    "OutputTooLargeError",
    "WitnessError",
]
