"""hyperarr: exact hyperplane arrangements for the geometry of threshold networks.

A first-layer threshold neuron i computes ``a_i = w_i · x − θ_i``; its
hyperplane ``{x : w_i · x = θ_i}`` cuts the input space in two, and n of
them form an *arrangement* whose regions are named by their sign vectors.
"""

# The package root only re-exports; each name lives in the module of its concept.
from hyperarr import counting, domain, interop, library, occupancy
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
from hyperarr.regions import Region, Regions
from hyperarr.synthesis import synthesize

__version__ = "0.1.0"

__all__ = [
    "Arrangement",
    "Hyperplane",
    "Regions",
    "Region",
    "Faces",
    "Face",
    "poset_of_regions",
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
