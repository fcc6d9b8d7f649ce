"""Tests for hyperarr.synthesis (threshold networks) and the synthesize subcommand."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyperarr import cli, library
from hyperarr.cli import _synthesize as _cli_synthesize
from hyperarr.arrangement import Arrangement
from hyperarr.exceptions import ArrangementError, HyperarrError
from hyperarr.synthesis import ThresholdNetwork, positive_mask, synthesize

ADG = [0, 3, 6]  # region indices standing in for the labels A, D, G


def _units(net):
    return net.hidden_sizes[1]


def _random_points(A, count, rng):
    """Points spread over (and beyond) the bounded regions, off the hyperplanes."""
    R = A.regions()
    scale = 2.0 * max(1.0, float(np.abs(R.points).max()))
    X = rng.uniform(-scale, scale, size=(count, A.dim))
    idx = A.region_of(X)
    return X[idx >= 0], idx[idx >= 0]


def _distinct_columns(S):
    canon = S * np.where(S[:1] == 0, 1, S[:1])
    _, first = np.unique(canon.T, axis=0, return_index=True)
    return S[:, np.sort(first)]


DEGENERATE = {
    "parallel": Arrangement([[1, 0], [1, 0], [0, 1], [2, 0]], [0, 1, 0, 5]),
    "concurrent": Arrangement([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 0]),
    "repeated": Arrangement([[1, 2], [-2, -4], [1, -1], [0, 1]], [1, -2, 0, 0]),
    "braid3": library.braid(3),
    "shi3": library.shi(3),
    "line": Arrangement([[1], [2], [-1]], [0, 3, -5]),
}


# ---------------------------------------------------------------------------
# Exercise 3f
# ---------------------------------------------------------------------------


def test_exercise_3f_per_region():
    A = library.five_lines()
    net = synthesize(A, ADG, method="per-region")
    assert net.hidden_sizes == (5, 3)
    W, t = net.layers[1]
    assert set(np.unique(W).tolist()) == {-1.0, 1.0}
    R = A.regions()
    assert W.tolist() == R.signs[ADG].tolist()
    assert t.tolist() == [(R.signs[r] > 0).sum() - 0.5 for r in ADG]
    assert net.layers[2][0].tolist() == [[1.0, 1.0, 1.0]] and net.layers[2][1].tolist() == [0.5]
    assert net.predict(R.points).tolist() == [int(i in ADG) for i in range(16)]
    X, idx = _random_points(A, 4000, np.random.default_rng(0))
    assert (net.predict(X) == np.isin(idx, ADG)).all()
    assert net.verify() is True


def test_exercise_3f_labels():
    from hyperarr import plane

    A = library.five_lines()
    idx = [plane.region_by_label(A, x) for x in "ADG"]
    by_label = synthesize(A, "A,D,G", method="per-region")
    assert by_label.to_dict() == synthesize(A, idx, method="per-region").to_dict()
    assert synthesize(A, ["A", "D", "G"]).labels.nonzero()[0].tolist() == sorted(idx)
    assert positive_mask(A, np.array(["A", "D", "G"])).nonzero()[0].tolist() == sorted(idx)
    assert by_label.hidden_sizes == (5, 3)
    with pytest.raises(ArrangementError, match="positive label 'Z9' names no region"):
        synthesize(A, "A,Z9")


def test_exercise_3f_minimal_is_smaller():
    A = library.five_lines()
    per = synthesize(A, ADG, method="per-region")
    small = synthesize(A, ADG)
    assert _units(small) <= _units(per)
    assert small.optimal
    assert set(np.unique(small.layers[1][0]).tolist()) <= {-1.0, 0.0, 1.0}


# ---------------------------------------------------------------------------
# Classification of random points
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["per-region", "minimal", "threshold"])
@pytest.mark.parametrize(
    "A", [library.generic(6, 2, seed=1), library.generic(6, 3, seed=2), *DEGENERATE.values()],
    ids=["generic62", "generic63", *DEGENERATE],
)
def test_predict_matches_region_labels(A, method):
    rng = np.random.default_rng(7)
    m = len(A.regions())
    labels = rng.random(m) < 0.5
    net = synthesize(A, labels, method=method)
    assert net.labels.tolist() == labels.tolist()
    X, idx = _random_points(A, 3000, rng)
    assert X.shape[0] > 1000
    assert net.predict(X).tolist() == labels[idx].astype(int).tolist()
    assert net.predict(A.regions().points).tolist() == labels.astype(int).tolist()


def test_point_on_hyperplane_does_not_fire_that_unit():
    A = Arrangement([[1, 0]], [0])
    R = A.regions()
    plus = int(np.flatnonzero(R.signs[:, 0] > 0)[0])
    net = synthesize(A, [plus])
    assert net.predict([[1e-300, 0], [0, 0], [-1e-300, 3]]).tolist() == [1, 0, 0]


def test_predict_shapes_and_errors():
    net = synthesize(library.five_lines(), ADG)
    assert net.predict(np.zeros((2, 3, 2))).shape == (2, 3)
    assert net.predict([0.0, 0.0]).shape == ()
    with pytest.raises(ArrangementError, match=r"shape \(\.\.\., 2\); got \(4, 3\)"):
        net.predict(np.zeros((4, 3)))


# ---------------------------------------------------------------------------
# Minimality against an independent brute force
# ---------------------------------------------------------------------------


def _brute_force_min(D, cls):
    """Fewest partial sign vectors covering ``cls`` and no other realized region.

    Enumerates all 3^h partial vectors, keeps the valid implicants (at least
    one region, only class regions), keeps the maximal ones (a cover by valid
    implicants can use maximal ones instead), then tries all covers by
    increasing size.
    """
    m, h = D.shape
    target = sum(1 << r for r in np.flatnonzero(cls).tolist())
    if target == 0:
        return 0
    valid = set()
    for p in itertools.product((-1, 0, 1), repeat=h):
        p = np.array(p)
        agree = ((D == p) | (p == 0)).all(axis=1)
        if agree.any() and not (agree & ~cls).any():
            valid.add(sum(1 << r for r in np.flatnonzero(agree).tolist()))
    maximal = [s for s in valid if not any(s != t and s & t == s for t in valid)]
    for k in range(1, len(maximal) + 1):
        for combo in itertools.combinations(maximal, k):
            acc = 0
            for s in combo:
                acc |= s
            if acc == target:
                return k
    raise AssertionError("no cover")  # pragma: no cover


SMALL = [
    library.five_lines(),
    library.generic(5, 2, seed=3),
    library.generic(5, 3, seed=4),
    library.generic(6, 2, seed=5),
    library.coordinate(3),
    library.braid(3),
    DEGENERATE["parallel"],
    DEGENERATE["concurrent"],
    DEGENERATE["repeated"],
    DEGENERATE["line"],
]


@pytest.mark.parametrize("case", range(len(SMALL)))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_minimal_matches_brute_force(case, seed):
    A = SMALL[case]
    R = A.regions()
    D = _distinct_columns(R.signs)
    assert D.shape[1] <= 7
    labels = np.random.default_rng(seed).random(len(R)) < 0.5
    net = synthesize(A, labels)
    want = min(_brute_force_min(D, labels), _brute_force_min(D, ~labels))
    assert _units(net) == want
    assert net.optimal
    if net.form == "or":
        assert _units(net) == _brute_force_min(D, labels)
    else:
        assert _units(net) == _brute_force_min(D, ~labels)


def test_dont_care_primes_are_found():
    # Three lines bounding a triangle: 7 of the 8 sign vectors are realized.
    # The class "outside line 0 or outside line 1" is the union of two
    # halfspaces; covering it needs the don't-care vector.
    A = Arrangement([[1, 0], [0, 1], [-1, -1]], [1, 1, -1])
    R = A.regions()
    labels = (R.signs[:, 0] > 0) | (R.signs[:, 1] > 0)
    net = synthesize(A, labels)
    assert _units(net) == min(_brute_force_min(R.signs, labels), _brute_force_min(R.signs, ~labels))
    assert _units(net) == 1  # NOR: the complement is one convex union


@pytest.mark.parametrize("seed", range(4))
def test_method_order(seed):
    A = library.generic(7, 3, seed=seed)
    labels = np.random.default_rng(seed).random(len(A.regions())) < 0.4
    per = synthesize(A, labels, method="per-region")
    small = synthesize(A, labels, method="minimal")
    thr = synthesize(A, labels, method="threshold")
    assert _units(thr) <= _units(small) <= _units(per)
    assert per.method == "per-region" and small.method == "minimal" and thr.method == "threshold"


# ---------------------------------------------------------------------------
# Degenerate labellings
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["per-region", "minimal", "threshold"])
def test_nothing_positive_is_constant_zero(method):
    A = library.five_lines()
    net = synthesize(A, np.zeros(16, dtype=bool), method=method)
    assert net.hidden_sizes == (5, 0)
    W, t = net.layers[2]
    assert W.shape == (1, 0) and t.tolist() == [0.5]
    assert net.predict([[0, 0], [9, 9]]).tolist() == [0, 0]


@pytest.mark.parametrize("method", ["minimal", "threshold"])
def test_everything_positive_is_constant_one(method):
    A = library.five_lines()
    net = synthesize(A, np.ones(16, dtype=bool), method=method)
    assert net.hidden_sizes == (5, 0) and net.form == "nor" and net.optimal
    assert net.layers[2][1].tolist() == [-0.5]
    assert net.predict([[0, 0], [9, 9]]).tolist() == [1, 1]


@pytest.mark.parametrize("i", range(5))
@pytest.mark.parametrize("side", [1, -1])
def test_halfspace_needs_one_unit(i, side):
    A = library.five_lines()
    R = A.regions()
    net = synthesize(A, R.signs[:, i] == side)
    assert _units(net) == 1 and net.optimal
    W, _ = net.layers[1]
    assert np.count_nonzero(W) == 1 and W[0, i] == side


def test_convex_union_needs_one_unit():
    A = library.generic(7, 3, seed=9)
    R = A.regions()
    labels = (R.signs[:, 0] > 0) & (R.signs[:, 3] < 0) & (R.signs[:, 5] > 0)
    assert labels.sum() > 1
    assert _units(synthesize(A, labels)) == 1
    assert _units(synthesize(A, ~labels)) == 1  # NOR of the convex union


def test_single_region_per_region_and_minimal():
    A = library.generic(6, 2, seed=11)
    net = synthesize(A, [4])
    assert _units(net) == 1


def test_time_limit_still_returns_a_checked_network():
    A = library.generic(9, 3, seed=0)
    labels = np.random.default_rng(3).random(len(A.regions())) < 0.5
    net = synthesize(A, labels, time_limit=1e-9)
    assert net.verify()
    assert not net.optimal
    assert _units(net) <= int(labels.sum())


# ---------------------------------------------------------------------------
# The network value
# ---------------------------------------------------------------------------


def test_to_dict_round_trip_through_json():
    A = Arrangement([[1, 0.1], [0, 3]], [0.5, 1])  # 0.1 is kept as its exact binary value
    net = synthesize(A, [0, 2], method="minimal")
    data = json.loads(json.dumps(net.to_dict()))
    back = ThresholdNetwork.from_dict(data)
    assert back.to_dict() == net.to_dict()
    assert back.arrangement == A
    X = np.random.default_rng(0).normal(size=(500, 2))
    assert (back.predict(X) == net.predict(X)).all()
    assert data["hyperplanes"][0][1] == "3602879701896397/36028797018963968"


def test_from_dict_rejects_bad_data():
    net = synthesize(library.five_lines(), ADG)
    data = net.to_dict()
    with pytest.raises(ArrangementError, match="format"):
        ThresholdNetwork.from_dict({"format": "x"})
    bad = dict(data, layers=[{"weights": [[9.0, 9.0]] * 5, "thresholds": [0.0] * 5}, *data["layers"][1:]])
    with pytest.raises(ArrangementError, match="exact hyperplanes"):
        ThresholdNetwork.from_dict(bad)
    with pytest.raises(ArrangementError, match="not a valid"):
        ThresholdNetwork.from_dict(dict(data, hyperplanes=[["1", "x", "2"]]))


def _layers(data, k, weights=None, thresholds=None):
    layers = [dict(L) for L in data["layers"]]
    layers[k] = {"weights": layers[k]["weights"] if weights is None else weights,
                 "thresholds": layers[k]["thresholds"] if thresholds is None else thresholds}
    return dict(data, layers=layers)


def test_from_dict_with_mismatched_layers_names_the_layer():
    # Issue 23, item 5: mismatched layers said "cannot reshape".
    data = synthesize(library.five_lines(), ADG).to_dict()
    w0, w1 = data["layers"][0]["weights"], data["layers"][1]["weights"]
    cases = [
        (_layers(data, 0, weights=w0[:-1]), r"layers\[0\] must have weights of shape \(5, 2\) and thresholds "
                                            r"of shape \(5,\) \(one row a hyperplane\); got \(4, 2\) and \(5,\)"),
        (_layers(data, 1, thresholds=[1.5]), r"layers\[1\] must have weights of shape \(k, 5\) and thresholds "
                                             r"of shape \(k,\); got \(\d+, 5\) and \(1,\)"),
        (_layers(data, 1, weights=[r[:-1] for r in w1]), r"layers\[1\] must have weights of shape \(k, 5\).*"
                                                         r"got \(\d+, 4\)"),
        (_layers(data, 1, weights=[w1[0], w1[1][:2]]), r"layers\[1\] must hold numbers in rectangular lists"),
        (_layers(data, 0, weights="ab"), r"layers\[0\] must hold numbers in rectangular lists; got weights 'ab'"),
    ]
    for bad, message in cases:
        with pytest.raises(ArrangementError, match=message):
            ThresholdNetwork.from_dict(bad)


def test_network_is_read_only():
    net = synthesize(library.five_lines(), ADG)
    W, t = net.layers[1]
    with pytest.raises(ValueError, match="read-only"):
        W[0, 0] = 5
    with pytest.raises(ValueError, match="read-only"):
        net.labels[0] = True
    with pytest.raises(AttributeError):
        net.method = "x"


def test_verify_reports_the_first_mismatch():
    A = library.five_lines()
    good = synthesize(A, ADG)
    wrong = ThresholdNetwork(A, good.layers[1:], ~good.labels, method="minimal", optimal=False)
    with pytest.raises(HyperarrError, match=r"misclassifies region 0 .*16 of 16 regions"):
        wrong.verify()
    with pytest.raises(ArrangementError, match="network's arrangement"):
        good.verify(library.generic(5, 2, seed=0))
    assert good.verify(library.five_lines())


def test_constructor_validates_layers():
    A = library.five_lines()
    with pytest.raises(ArrangementError, match=r"weights of shape \(k, 5\)"):
        ThresholdNetwork(A, [(np.ones((2, 4)), [0, 0]), ([[1, 1]], [0.5])], np.zeros(16, bool),
                         method="minimal", optimal=False)
    with pytest.raises(ArrangementError, match="one unit"):
        ThresholdNetwork(A, [(np.ones((2, 5)), [0, 0])], np.zeros(16, bool),
                         method="minimal", optimal=False)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def test_bad_inputs():
    A = library.five_lines()
    with pytest.raises(ArrangementError, match=r"positive mask must have shape \(16,\).*got \(5,\)"):
        synthesize(A, np.ones(5, dtype=bool))
    with pytest.raises(ValueError, match=r"positive region indices must be in \[0, 16\); got 16"):
        synthesize(A, [1, 16])
    with pytest.raises(ArrangementError, match=r"got -1"):
        synthesize(A, [-1])
    with pytest.raises(ArrangementError, match=r"method must be one of 'minimal'.*got 'fast'"):
        synthesize(A, ADG, method="fast")
    with pytest.raises(ArrangementError, match="time_limit must be a positive number.*got 0"):
        synthesize(A, ADG, time_limit=0)
    with pytest.raises(ArrangementError, match="positive must be a boolean mask.*float64"):
        synthesize(A, [0.5, 1.5])
    with pytest.raises(ArrangementError, match="A must be an Arrangement; got list"):
        synthesize([[1, 0]], [0])
    with pytest.raises(ArrangementError, match=r"need a plane arrangement \(d = 2\); got d = 3"):
        synthesize(library.braid(3), ["A"])


def test_positive_forms_agree():
    A = library.five_lines()
    mask = np.zeros(16, dtype=bool)
    mask[ADG] = True
    for form in (ADG, np.array(ADG), tuple(ADG), (i for i in ADG), mask, mask.tolist()):
        assert positive_mask(A, form).tolist() == mask.tolist()
    assert not positive_mask(A, []).any()


# ---------------------------------------------------------------------------
# Property-based
# ---------------------------------------------------------------------------

small_int = st.integers(min_value=-3, max_value=3)


@st.composite
def labelled_arrangements(draw):
    d = draw(st.sampled_from((1, 2, 3)))
    n = draw(st.integers(min_value=0, max_value=6))
    rows = draw(
        st.lists(
            st.lists(small_int, min_size=d + 1, max_size=d + 1).filter(lambda r: any(r[:-1])),
            min_size=n, max_size=n,
        )
    )
    A = Arrangement.from_matrix(rows) if rows else Arrangement.empty(d)
    m = len(A.regions())
    labels = np.array(draw(st.lists(st.booleans(), min_size=m, max_size=m)), dtype=bool)
    return A, labels


@settings(max_examples=80, deadline=None)
@given(labelled_arrangements(), st.sampled_from(["per-region", "minimal", "threshold"]))
def test_synthesized_network_classifies_every_witness(case, method):
    A, labels = case
    net = synthesize(A, labels, method=method)
    assert net.predict(A.regions().points).tolist() == labels.astype(int).tolist()
    assert net.verify()


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def _cli(argv):
    return cli.main(argv)


def test_cli_example_writes_json(tmp_path, capsys):
    out = tmp_path / "net.json"
    status = _cli(["synthesize", "--example", "five-lines", "--positive", "0,3,6",
                   "--method", "per-region", "-o", str(out)])
    assert status == 0
    text = capsys.readouterr().out
    assert "5 -> 3 -> 1" in text and "per-region" in text
    net = ThresholdNetwork.from_dict(json.loads(out.read_text()))
    assert net.hidden_sizes == (5, 3) and net.verify()


def test_cli_csv_file(tmp_path, capsys):
    path = tmp_path / "lines.csv"
    path.write_text("# w1, w2, theta\n1, 0, 1/2\n0, 1, 0.1\n\n1, 1, 2\n")
    assert _cli(["synthesize", str(path), "--positive", "1,2"]) == 0
    assert "regions: 7, positive: 2" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, match",
    [
        (["--positive", "0"], "either FILE.csv or --example"),
        (["--example", "ten-lines", "--positive", "0"], "--example must be one of five-lines"),
        (["--example", "five-lines", "--positive", "0,99"], r"in \[0, 16\); got 99"),
        (["--example", "five-lines", "--positive", "0,,1"], "comma-separated list"),
        (["--example", "five-lines", "--positive", "0", "--method", "big"], "method must be one of"),
        (["--example", "five-lines", "--positive", "0", "--time-limit", "-1"], "positive finite"),
        (["nonexistent.csv", "--positive", "0"], "no file 'nonexistent.csv'"),
    ],
)
def test_cli_errors(argv, match, capsys):
    assert _cli(["synthesize", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hyperarr synthesize: error: ") and err.count("\n") == 1
    assert __import__("re").search(match, err)


def test_cli_bad_csv(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("1, 0, 1\n1, 2\n")
    assert _cli(["synthesize", str(path), "--positive", "0"]) == 2
    assert "line 2: expected 3 numbers" in capsys.readouterr().err


def test_demo_step(tmp_path):
    lines = _cli_synthesize.demo_step(str(tmp_path))
    text = "\n".join(lines)
    assert "3 second-layer neurons" in text
    small = ThresholdNetwork.from_dict(json.loads((tmp_path / "network_ADG.json").read_text()))
    assert small.verify()
    assert f"neurons (exact set cover over merged regions): {small.hidden_sizes[1]}" in text
