"""Deep networks, exactly: the activation regions of a ReLU, LeakyReLU or step network in input space.

A [`Network`][hyperarr.deep.Network] holds exact weights; its regions
(``net.regions(domain)``) are listed with their activation patterns, exact
witnesses and bounded flags; ``net.n_regions`` counts them and
``net.iter_regions`` streams them.  See the guide page "Regions of a deep
network".
"""

from hyperarr.deep.activation import (
    ActivationRegion,
    ActivationRegions,
    estimate_regions,
    iter_regions,
    n_regions,
    regions,
)
from hyperarr.deep.adjacency import adjacency_graph, adjacency_matrix
from hyperarr.deep.network import ACTIVATIONS, Network

__all__ = [
    "Network",
    "ActivationRegions",
    "ActivationRegion",
    "regions",
    "iter_regions",
    "n_regions",
    "estimate_regions",
    "adjacency_matrix",
    "adjacency_graph",
    "ACTIVATIONS",
]
