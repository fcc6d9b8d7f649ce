"""[`Network`][hyperarr.deep.Network]: a feed-forward network with exact weights and its
activation regions in input space.

Layer k computes ``z = W_k a + b_k`` on the previous layer's output a (the
input x for k = 0), then its activation, unit by unit: ``"relu"``,
``"leaky_relu:s"`` (z where z > 0, s·z elsewhere), ``"step"`` (1 where
z > 0, else 0: the sheet's g) or ``"identity"``.  A unit with a kink is
*active* where z > 0; the activation pattern of an input is the 0/1 vector
of its units with a kink, layer after layer, and on the inputs of one
pattern the network is affine.
"""

from __future__ import annotations

from typing import Any, Iterator

from hyperarr.arrangement import DEFAULT_MAX_REGIONS
from hyperarr.deep import activation, adjacency
from hyperarr.deep._model import ACTIVATIONS, Model

__all__ = ["Network", "ACTIVATIONS"]


class Network(Model):
    """A feed-forward network with exact weights, and its activation regions.

    Parameters
    ----------
    layers : sequence of (weight, bias, activation)
        ``weight`` has shape (out, in), as torch's ``nn.Linear.weight``;
        ``bias`` shape (out,); ``activation`` is ``"relu"``,
        ``"leaky_relu:<slope>"`` (e.g. ``"leaky_relu:1/10"``), ``"step"``
        or ``"identity"``.  Entries may be int, float (float32 and float64
        are exact binary rationals), `fractions.Fraction` or tensors.

    Notes
    -----
    The value is immutable.  ``pattern(X)`` is exact: a float filter settles
    most pre-activations and the rest are recomputed with fractions.

    Examples
    --------
    >>> net = Network([([[1, 0], [0, 1]], [0, 0], "relu"),
    ...                ([[1, 1]], [-1], "relu")])
    >>> net.widths, net.n_units
    ((2, 2, 1), 3)
    >>> net.pattern([[2, 2], [0.25, 0.25], [-1, 3]]).tolist()
    [[1, 1, 1], [1, 1, 0], [0, 1, 1]]
    >>> R = net.regions()
    >>> len(R), int(R.bounded.sum())
    (7, 1)
    """

    __slots__ = ()

    def regions(self, domain: Any = None,
                max_regions: int | None = DEFAULT_MAX_REGIONS) -> activation.ActivationRegions:
        """Every activation region meeting ``domain``, exactly.

        See [`hyperarr.deep.regions`][hyperarr.deep.activation.regions].
        """
        return activation.regions(self, domain, max_regions)

    def iter_regions(self, domain: Any = None,
                     chunk_size: int = 100_000) -> Iterator[activation.ActivationRegions]:
        """The activation regions meeting ``domain``, in tables of at most ``chunk_size`` rows."""
        return activation.iter_regions(self, domain, chunk_size)

    def n_regions(self, domain: Any = None, max_regions: int | None = DEFAULT_MAX_REGIONS) -> int:
        """The number of activation regions meeting ``domain``, exactly."""
        return activation.n_regions(self, domain, max_regions)

    def estimate_regions(self, domain: Any = None) -> dict[str, Any]:
        """Bounds on the number of regions, in well under a second.

        See [`estimate_regions`][hyperarr.deep.activation.estimate_regions].
        """
        return activation.estimate_regions(self, domain)

    def adjacency_matrix(self, domain: Any = None) -> Any:
        """The adjacency matrix of the regions meeting ``domain``.

        See [`hyperarr.deep.adjacency_matrix`][hyperarr.deep.adjacency.adjacency_matrix].
        """
        return adjacency.adjacency_matrix(self, domain)

    def adjacency_graph(self, domain: Any = None) -> Any:
        """The graph of the regions meeting ``domain``, each edge with its units.

        See [`hyperarr.deep.adjacency_graph`][hyperarr.deep.adjacency.adjacency_graph].
        """
        return adjacency.adjacency_graph(self, domain)
