"""Tests of skbalance.weights: schemes, normalisation, labels and errors."""

import inspect
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.class_weight import compute_class_weight

from skbalance.weights import (
    NORMALIZATIONS,
    SCHEMES,
    _class_counts,
    _weights_from_counts,
    compute_class_weights,
)

# 6 of "a", 3 of "b", 1 of "c": n = 10, k = 3; shuffled so order is not sorted
Y = np.array(["b", "a", "c", "a", "b", "a", "a", "b", "a", "a"])
COUNTS = np.array([6.0, 3.0, 1.0])
INVERSE_SCHEMES = ("balanced", "inverse", "inverse_sqrt", "effective_number", "log_inverse")
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, database=None)


def _values(class_weight):
    return np.array(list(class_weight.values()))


# --- hand-computed expectations, one per scheme ---------------------------------


@pytest.mark.parametrize(
    "scheme, kwargs, expected",
    [
        ("balanced", {}, [10 / 18, 10 / 9, 10 / 3]),
        ("inverse", {}, [1 / 6, 1 / 3, 1.0]),
        ("inverse_sqrt", {}, [1 / math.sqrt(6), 1 / math.sqrt(3), 1.0]),
        # (1 - b) / (1 - b ** n) with b = 0.5: n=6 -> 32/63, n=3 -> 4/7, n=1 -> 1
        ("effective_number", {"beta": 0.5}, [32 / 63, 4 / 7, 1.0]),
        # b = 0 makes every class count as one sample
        ("effective_number", {"beta": 0.0}, [1.0, 1.0, 1.0]),
        ("log_inverse", {}, [1 + math.log(10 / 6), 1 + math.log(10 / 3), 1 + math.log(10)]),
        ("none", {}, [1.0, 1.0, 1.0]),
    ],
)
def test_raw_weights_of_each_scheme(scheme, kwargs, expected):
    """Check that each built-in scheme gives the hand-computed raw weights."""
    class_weight = compute_class_weights(Y, scheme, normalize=None, **kwargs)
    assert list(class_weight) == ["a", "b", "c"]
    assert_allclose(_values(class_weight), expected, rtol=1e-12)


def test_effective_number_default_beta():
    """Check that the default beta is 0.999, as in Cui et al."""
    class_weight = compute_class_weights(Y, "effective_number", normalize=None)
    expected = [(1 - 0.999) / (1 - 0.999**n) for n in (6, 3, 1)]
    assert_allclose(_values(class_weight), expected, rtol=1e-12)


def test_effective_number_tends_to_inverse_and_none():
    """Check that effective_number goes from 'none' (beta=0) towards 'inverse' (beta->1)."""
    near_inverse = compute_class_weights(
        Y, "effective_number", beta=1 - 1e-9, normalize="sum"
    )
    inverse = compute_class_weights(Y, "inverse", normalize="sum")
    assert_allclose(_values(near_inverse), _values(inverse), rtol=1e-6)


@pytest.mark.parametrize(
    "normalize, expected",
    [
        # inverse raw weights 1/6, 1/3, 1: sum_c n_c w_c = 3 -> times 10/3
        ("mean", [10 / 18, 10 / 9, 10 / 3]),
        # sum_c w_c = 3/2 -> times 2/3
        ("sum", [1 / 9, 2 / 9, 2 / 3]),
        # sum_c w_c = 3/2 -> times 3 / (3/2) = 2
        ("classes", [1 / 3, 2 / 3, 2.0]),
        (None, [1 / 6, 1 / 3, 1.0]),
    ],
)
def test_normalisations(normalize, expected):
    """Check that every normalisation scales the raw weights as documented."""
    class_weight = compute_class_weights(Y, "inverse", normalize=normalize)
    assert_allclose(_values(class_weight), expected, rtol=1e-12)


def test_default_is_balanced_mean():
    """Check that the defaults are the balanced scheme with mean normalisation."""
    assert compute_class_weights(Y) == pytest.approx(
        {"a": 10 / 18, "b": 10 / 9, "c": 10 / 3}
    )
    assert compute_class_weights(Y) == pytest.approx(compute_class_weights(Y, "inverse"))


@pytest.mark.parametrize(
    "y",
    [
        Y,
        np.array([0, 0, 0, 1, 2, 2]),
        np.array(["1", "2", "2", "10"], dtype=object),
        np.repeat(np.arange(7), np.arange(1, 8)),
        np.array([True, False, False]),
    ],
)
def test_balanced_equals_scikit_learn(y):
    """Check that 'balanced' equals scikit-learn's compute_class_weight('balanced')."""
    classes = np.unique(y)
    expected = compute_class_weight("balanced", classes=classes, y=y)
    assert_allclose(_values(compute_class_weights(y, "balanced")), expected, rtol=1e-12)


@pytest.mark.skipif(
    "sample_weight" not in inspect.signature(compute_class_weight).parameters,
    reason="compute_class_weight takes sample_weight from scikit-learn 1.7",
)
def test_balanced_equals_scikit_learn_with_sample_weight():
    """Check that weighted 'balanced' also equals scikit-learn's weighted version."""
    rng = np.random.RandomState(0)
    y = rng.randint(0, 4, size=50)
    sample_weight = rng.uniform(0.1, 3, size=50)
    expected = compute_class_weight(
        "balanced", classes=np.unique(y), y=y, sample_weight=sample_weight
    )
    result = compute_class_weights(y, "balanced", sample_weight=sample_weight)
    assert_allclose(_values(result), expected, rtol=1e-12)


# --- dict and callable schemes ---------------------------------------------------


def test_dict_scheme():
    """Check that dict weights are looked up by label, extra keys ignored, then normalised."""
    scheme = {"c": 4, "b": 2, "a": 1, "unused": 100}
    assert compute_class_weights(Y, scheme, normalize=None) == {"a": 1.0, "b": 2.0, "c": 4.0}
    # sum_c n_c w_c = 6 + 6 + 4 = 16 -> times 10 / 16
    mean = compute_class_weights(Y, scheme)
    assert_allclose(_values(mean), np.array([1, 2, 4]) * 10 / 16, rtol=1e-12)
    assert scheme == {"c": 4, "b": 2, "a": 1, "unused": 100}


def test_dict_scheme_missing_label_is_named():
    """Check that a dict missing a label of y raises a ValueError naming that label."""
    with pytest.raises(ValueError, match=re.escape("no weight for the labels ['c']")):
        compute_class_weights(Y, {"a": 1, "b": 2})


def test_dict_scheme_numeric_looking_strings_are_not_ints():
    """Check that '1' and 1 are different labels, and the error says which is missing."""
    y = np.array(["1", "2", "2"], dtype=object)
    assert compute_class_weights(y, {"1": 2.0, "2": 1.0}, normalize=None) == {
        "1": 2.0,
        "2": 1.0,
    }
    with pytest.raises(ValueError, match=re.escape("['1', '2']")):
        compute_class_weights(y, {1: 2.0, 2: 1.0})


@pytest.mark.parametrize(
    "weights, error, match",
    [
        ({"a": -1, "b": 1, "c": 1}, ValueError, "negative"),
        ({"a": np.nan, "b": 1, "c": 1}, ValueError, "non-finite"),
        ({"a": np.inf, "b": 1, "c": 1}, ValueError, "non-finite"),
        ({"a": "heavy", "b": 1, "c": 1}, TypeError, "numeric"),
    ],
)
def test_dict_scheme_bad_weights(weights, error, match):
    """Check that negative, non-finite or non-numeric dict weights are refused."""
    with pytest.raises(error, match=match):
        compute_class_weights(Y, weights)


def test_callable_scheme_receives_counts_aligned_with_classes():
    """Check that a callable gets the class counts in sorted class order, as a copy."""
    seen = []

    def scheme(counts):
        seen.append(counts.copy())
        counts[:] = -1  # must not leak into the result
        return np.array([3.0, 2.0, 1.0])

    class_weight = compute_class_weights(Y, scheme, normalize=None)
    assert_allclose(seen[0], COUNTS)
    assert class_weight == {"a": 3.0, "b": 2.0, "c": 1.0}


def test_callable_scheme_is_normalised():
    """Check that a callable scheme is normalised like a built-in one."""
    class_weight = compute_class_weights(Y, lambda counts: 1.0 / counts)
    assert class_weight == pytest.approx(compute_class_weights(Y, "inverse"))


@pytest.mark.parametrize(
    "func, match",
    [
        (lambda counts: -counts, "negative class weights"),
        (lambda counts: counts * np.inf, "non-finite class weights"),
        (lambda counts: counts * np.nan, "non-finite class weights"),
        (lambda counts: counts[:1], r"one weight per class \(3\)"),
        (lambda counts: np.zeros_like(counts), "all zero"),
    ],
)
def test_callable_scheme_bad_weights(func, match):
    """Check that a callable giving negative, non-finite, misshaped or zero weights fails."""
    with pytest.raises(ValueError, match=match):
        compute_class_weights(Y, func)


def test_zero_weights_without_normalisation_are_kept():
    """Check that all-zero user weights are allowed when nothing is normalised."""
    assert compute_class_weights([0, 1], {0: 0, 1: 0}, normalize=None) == {0: 0.0, 1: 0.0}


# --- max_ratio ---------------------------------------------------------------------


@pytest.mark.parametrize("normalize", [*NORMALIZATIONS, None])
def test_max_ratio_binds_exactly(normalize):
    """Check that the capped weights have a ratio of exactly max_ratio."""
    # inverse raw weights 1/6, 1/3, 1 -> capped at 2 * 1/6 = 1/3
    class_weight = compute_class_weights(Y, "inverse", max_ratio=2, normalize=normalize)
    weights = _values(class_weight)
    assert weights.max() / weights.min() == pytest.approx(2.0, rel=1e-12)
    assert weights[1] == pytest.approx(weights[2], rel=1e-12)
    if normalize is None:
        assert_allclose(weights, [1 / 6, 1 / 3, 1 / 3], rtol=1e-12)


def test_max_ratio_that_does_not_bind_changes_nothing():
    """Check that a cap above the actual ratio leaves the weights alone."""
    assert compute_class_weights(Y, "inverse", max_ratio=6) == pytest.approx(
        compute_class_weights(Y, "inverse")
    )
    assert compute_class_weights(Y, "inverse", max_ratio=1) == pytest.approx(
        compute_class_weights(Y, "none")
    )


# --- classes= ---------------------------------------------------------------------


def test_classes_fix_order_and_unseen_labels_get_zero():
    """Check that classes= sets the order and a listed label without samples weighs 0."""
    class_weight = compute_class_weights(Y, classes=["c", "z", "a", "b"])
    assert list(class_weight) == ["c", "z", "a", "b"]
    assert class_weight["z"] == 0.0
    # k counts only present classes, so the other weights are unchanged
    expected = compute_class_weights(Y)
    for label in "abc":
        assert class_weight[label] == pytest.approx(expected[label])


@pytest.mark.parametrize("normalize", [*NORMALIZATIONS, None])
def test_classes_with_unseen_label_keeps_normalisation(normalize):
    """Check that an unseen listed label does not change the normalisation of the others."""
    with_extra = compute_class_weights(
        Y, "inverse_sqrt", normalize=normalize, classes=["a", "b", "c", "d"]
    )
    without = compute_class_weights(Y, "inverse_sqrt", normalize=normalize)
    assert with_extra.pop("d") == 0.0
    assert with_extra == pytest.approx(without)


def test_classes_missing_a_label_of_y_is_an_error():
    """Check that a label of y missing from classes raises a ValueError naming it."""
    with pytest.raises(ValueError, match=re.escape("['c']")):
        compute_class_weights(Y, classes=["a", "b"])


def test_classes_with_duplicates_is_an_error():
    """Check that duplicate labels in classes are refused."""
    with pytest.raises(ValueError, match="duplicate"):
        compute_class_weights(Y, classes=["a", "b", "c", "a"])


# --- sample_weight -------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("normalize", [*NORMALIZATIONS, None])
def test_integer_sample_weight_equals_repeated_rows(scheme, normalize):
    """Check that integer sample weights give the weights of repeated rows."""
    y = np.array([0, 1, 2, 0, 1, 3, 3])
    sample_weight = np.array([2, 1, 3, 4, 0, 1, 5])
    weighted = compute_class_weights(
        y, scheme, sample_weight=sample_weight, normalize=normalize
    )
    repeated = compute_class_weights(np.repeat(y, sample_weight), scheme, normalize=normalize)
    assert weighted == pytest.approx(repeated, rel=1e-12)


def test_sample_weight_gives_weighted_counts():
    """Check that class counts are sums of sample weights."""
    classes, counts, codes = _class_counts(
        np.array(["x", "y", "x"]), sample_weight=[0.5, 2.0, 1.0]
    )
    assert classes.tolist() == ["x", "y"]
    assert_allclose(counts, [1.5, 2.0])
    assert codes.tolist() == [0, 1, 0]


def test_class_with_zero_total_sample_weight_gets_weight_zero():
    """Check that a class whose samples all weigh 0 gets weight 0 and is not counted in k."""
    class_weight = compute_class_weights([0, 0, 1, 2], sample_weight=[1, 1, 0, 2])
    assert class_weight[1] == 0.0
    assert class_weight == pytest.approx(compute_class_weights([0, 0, 2, 2]) | {1: 0.0})


@pytest.mark.parametrize(
    "sample_weight, match",
    [
        ([1, -1, 1], "Negative"),
        ([1, np.nan, 1], "NaN"),
        ([1, 1], "shape|length|samples"),
        # recent scikit-learn refuses all-zero weights first; older, we do
        ([0, 0, 0], "non-zero|no sample carries weight"),
    ],
)
def test_bad_sample_weight(sample_weight, match):
    """Check that negative, NaN, misshaped or all-zero sample weights are refused."""
    with pytest.raises(ValueError, match=match):
        compute_class_weights([0, 1, 1], sample_weight=sample_weight)


def test_sample_weight_with_2d_y_is_an_error():
    """Check that sample_weight with a 2-D y is a clear ValueError."""
    with pytest.raises(ValueError, match="only supported with a 1-D y"):
        compute_class_weights([[0, 1], [1, 1]], sample_weight=[1, 2])


# --- labels of any kind ----------------------------------------------------------------


@pytest.mark.parametrize(
    "y, expected_keys",
    [
        ([3, 1, 1, 1], [1, 3]),
        (np.array([3, 1, 1, 1], dtype=np.uint8), [1, 3]),
        (["b", "a", "a", "a"], ["a", "b"]),
        (np.array(["2", "1", "1", "1"], dtype=object), ["1", "2"]),
        ([True, False, False, False], [False, True]),
        ([0.5, -1.5, -1.5, -1.5], [-1.5, 0.5]),
        (pd.Series(["b", "a", "a", "a"], index=[10, 20, 30, 40]), ["a", "b"]),
        (pd.Series([3, 1, 1, 1], dtype="Int64"), [1, 3]),
        (pd.Series(["b", "a", "a", "a"], dtype="string"), ["a", "b"]),
        (pd.Series(pd.Categorical(["b", "a", "a", "a"], categories=["z", "b", "a"])), ["a", "b"]),
        (pd.Categorical(["b", "a", "a", "a"], categories=["a", "b", "unused"]), ["a", "b"]),
        (pd.DataFrame({"label": ["b", "a", "a", "a"]}), ["a", "b"]),
    ],
    ids=[
        "int",
        "uint8",
        "str",
        "numeric-looking-str-object",
        "bool",
        "float",
        "series",
        "nullable-int",
        "string-dtype",
        "categorical-series",
        "categorical",
        "one-column-frame",
    ],
)
def test_labels_of_any_kind(y, expected_keys):
    """Check that labels of any kind give one weight per used label (rare one = 2)."""
    class_weight = compute_class_weights(y)
    assert list(class_weight) == expected_keys
    # 3 of the first, 1 of the second: balanced weights 4/6 and 4/2
    rare = expected_keys[1]
    assert class_weight[rare] == pytest.approx(2.0)
    assert sum(class_weight.values()) == pytest.approx(2.0 + 4 / 6)


def test_numeric_looking_strings_keep_their_type():
    """Check that object labels '1', '2' stay strings (scikit-learn's class_weight fails here)."""
    y = np.array(["1", "2", "2", "10"], dtype=object)
    class_weight = compute_class_weights(y)
    assert list(class_weight) == ["1", "10", "2"]
    assert all(isinstance(label, str) for label in class_weight)


def test_2d_labels_count_every_element():
    """Check that a 2-D y (sequence labels) counts every element."""
    y = np.array([["a", "a", "b"], ["a", "c", "a"]])
    assert compute_class_weights(y, normalize=None) == compute_class_weights(
        y.ravel(), normalize=None
    )


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "y, match",
    [
        ([0.0, np.nan, 1.0], "NaN or infinite"),
        ([0.0, np.inf, 1.0], "NaN or infinite"),
        (np.array(["a", None, "b"], dtype=object), "missing"),
        (np.array(["a", np.nan, "b"], dtype=object), "missing"),
        (np.array([1.0, -np.inf], dtype=object), "infinite"),
        (pd.Series([1, None, 2], dtype="Int64"), "NaN|missing"),
        ([], "empty"),
        (np.empty((0, 3)), "empty"),
        (np.zeros((2, 2, 2)), "1-D or 2-D"),
    ],
    ids=["nan", "inf", "none-object", "nan-object", "inf-object", "pd-NA", "empty",
         "empty-2d", "3d"],
)
def test_bad_labels(y, match):
    """Check that NaN, missing, infinite, empty or 3-D labels raise a ValueError."""
    with pytest.raises(ValueError, match=match):
        compute_class_weights(y)


def test_unorderable_mixed_labels():
    """Check that labels mixing unorderable types raise a TypeError that says so."""
    with pytest.raises(TypeError, match="mix types"):
        compute_class_weights(np.array([1, "a", 2], dtype=object))


def test_unknown_scheme_lists_the_valid_ones():
    """Check that an unknown scheme name raises an error listing every valid scheme."""
    with pytest.raises(InvalidParameterError) as excinfo:
        compute_class_weights(Y, "balance")
    assert isinstance(excinfo.value, ValueError)
    for scheme in SCHEMES:
        assert repr(scheme) in str(excinfo.value)


def test_unknown_scheme_in_private_helper():
    """Check that the unvalidated helper also names the valid schemes."""
    with pytest.raises(ValueError, match="valid schemes are"):
        _weights_from_counts(COUNTS, "balance", classes=np.arange(3))


@pytest.mark.parametrize("beta", [1, 1.5, -0.1, np.nan])
def test_beta_outside_unit_interval(beta):
    """Check that beta outside [0, 1) is refused."""
    with pytest.raises(ValueError, match=r"beta.*\[0\.0, 1\.0\)"):
        compute_class_weights(Y, "effective_number", beta=beta)


@pytest.mark.parametrize(
    "kwargs",
    [{"normalize": "max"}, {"max_ratio": 0.5}, {"max_ratio": "2"}, {"scheme": 3}],
)
def test_other_invalid_parameters(kwargs):
    """Check that invalid normalize, max_ratio or scheme types are refused."""
    with pytest.raises(InvalidParameterError):
        compute_class_weights(Y, **kwargs)


def test_all_counts_zero_in_private_helper():
    """Check that counts that are all zero are refused."""
    with pytest.raises(ValueError, match="All class counts are zero"):
        _weights_from_counts(np.zeros(3), "balanced", classes=np.arange(3))


def test_inputs_are_not_modified():
    """Check that y, sample_weight, classes and a dict scheme are left unchanged."""
    y = Y.copy()
    y_object = Y.astype(object)
    sample_weight = np.linspace(0.5, 2, Y.size)
    classes = np.array(["c", "b", "a"])
    scheme = {"a": 1.0, "b": 2.0, "c": 3.0}
    y_series = pd.Series(Y, name="label")
    for labels in (y, y_object, y_series):
        compute_class_weights(
            labels, scheme, sample_weight=sample_weight, classes=classes, max_ratio=2
        )
    np.testing.assert_array_equal(y, Y)
    np.testing.assert_array_equal(y_object, Y.astype(object))
    pd.testing.assert_series_equal(y_series, pd.Series(Y, name="label"))
    assert_allclose(sample_weight, np.linspace(0.5, 2, Y.size))
    np.testing.assert_array_equal(classes, ["c", "b", "a"])
    assert scheme == {"a": 1.0, "b": 2.0, "c": 3.0}


# --- properties ----------------------------------------------------------------------


counts_strategy = st.one_of(
    st.lists(st.integers(1, 10**7), min_size=1, max_size=30),
    st.lists(
        st.floats(1e-3, 1e7, allow_nan=False, allow_infinity=False), min_size=1, max_size=30
    ),
).map(lambda values: np.asarray(values, dtype=np.float64))
scheme_strategy = st.sampled_from(SCHEMES)
beta_strategy = st.one_of(st.just(0.999), st.floats(0, 0.9999))
max_ratio_strategy = st.one_of(st.none(), st.floats(1, 1e3))


def _weights(counts, scheme, beta, normalize, max_ratio):
    return _weights_from_counts(
        counts,
        scheme,
        classes=np.arange(counts.size),
        beta=beta,
        normalize=normalize,
        max_ratio=max_ratio,
    )


@PROPERTY_SETTINGS
@given(counts_strategy, scheme_strategy, beta_strategy, max_ratio_strategy)
def test_property_normalisation_invariants(counts, scheme, beta, max_ratio):
    """Check that mean/sum/classes normalisations hold for any counts, with or without cap."""
    n, k = counts.sum(), counts.size
    mean = _weights(counts, scheme, beta, "mean", max_ratio)
    assert np.dot(counts, mean) == pytest.approx(n, rel=1e-9)
    total = _weights(counts, scheme, beta, "sum", max_ratio)
    assert total.sum() == pytest.approx(1.0, rel=1e-9)
    per_class = _weights(counts, scheme, beta, "classes", max_ratio)
    assert per_class.sum() == pytest.approx(k, rel=1e-9)
    # all normalisations are the same weights up to a positive scale
    raw = _weights(counts, scheme, beta, None, max_ratio)
    for scaled in (mean, total, per_class):
        assert_allclose(scaled / scaled[0], raw / raw[0], rtol=1e-9)


@PROPERTY_SETTINGS
@given(
    counts_strategy,
    scheme_strategy,
    beta_strategy,
    st.sampled_from([*NORMALIZATIONS, None]),
    max_ratio_strategy,
)
def test_property_weights_positive_and_finite(counts, scheme, beta, normalize, max_ratio):
    """Check that every scheme gives positive, finite weights, within max_ratio."""
    weights = _weights(counts, scheme, beta, normalize, max_ratio)
    assert weights.shape == counts.shape
    assert np.isfinite(weights).all()
    assert (weights > 0).all()
    if max_ratio is not None:
        assert weights.max() <= max_ratio * weights.min() * (1 + 1e-12)


@PROPERTY_SETTINGS
@given(
    counts_strategy,
    st.sampled_from(INVERSE_SCHEMES),
    beta_strategy,
    st.sampled_from([*NORMALIZATIONS, None]),
    max_ratio_strategy,
)
def test_property_rarer_class_never_weighs_less(counts, scheme, beta, normalize, max_ratio):
    """Check that for inverse schemes a rarer class never gets a smaller weight."""
    weights = _weights(counts, scheme, beta, normalize, max_ratio)
    order = np.argsort(counts, kind="stable")  # rarest first
    sorted_weights = weights[order]
    # non-increasing, up to rounding in the last bits
    assert (sorted_weights[:-1] >= sorted_weights[1:] * (1 - 1e-12)).all()


@PROPERTY_SETTINGS
@given(
    st.lists(st.integers(0, 4), min_size=1, max_size=40),
    st.lists(st.integers(0, 3), min_size=40, max_size=40),
    scheme_strategy,
)
def test_property_integer_sample_weight_is_repetition(labels, repeats, scheme):
    """Check that integer sample weights always equal repeating the rows."""
    y = np.array(labels)
    sample_weight = np.array(repeats[: y.size])
    if sample_weight.sum() == 0:
        sample_weight[0] = 1
    weighted = compute_class_weights(y, scheme, sample_weight=sample_weight)
    repeated = compute_class_weights(np.repeat(y, sample_weight), scheme)
    present = {label: weight for label, weight in weighted.items() if weight > 0}
    assert present == pytest.approx(repeated, rel=1e-9)


# --- label encoding by counting (integer labels) ---------------------------------------


@pytest.mark.parametrize(
    "y",
    [
        np.array([-128, 127, 0, -128, 5], dtype=np.int8),
        np.array([255, 0, 7, 7], dtype=np.uint8),
        np.array([[3, -2], [-2, 9]], dtype=np.int16),
        np.array([2**64 - 1, 2**64 - 3, 2**64 - 1], dtype=np.uint64),
        np.array([-(2**63), -(2**63) + 4, -(2**63)], dtype=np.int64),
        np.array([2**63 - 1, 2**63 - 2], dtype=np.int64),
        np.array([4], dtype=np.uint32),
        np.array([0, 10**9, 5]),  # too wide a range: sorted by np.unique instead
    ],
)
def test_integer_encoding_matches_numpy_unique(y):
    """Check that integer labels encode exactly as np.unique(return_inverse=True) does."""
    expected_classes, expected_codes = np.unique(y, return_inverse=True)
    classes, counts, codes = _class_counts(y)
    assert classes.dtype == y.dtype
    np.testing.assert_array_equal(classes, expected_classes)
    np.testing.assert_array_equal(codes, expected_codes.reshape(y.shape))
    assert_allclose(counts, np.bincount(expected_codes.ravel()))


@PROPERTY_SETTINGS
@given(
    st.sampled_from([np.int8, np.uint8, np.int32, np.uint16, np.int64, np.uint64]),
    st.lists(st.integers(0, 300), min_size=1, max_size=50),
    st.integers(-(2**70), 2**70),
)
def test_property_integer_encoding_matches_numpy_unique(dtype, values, shift):
    """Check the counting encoder against np.unique for any integer dtype and range."""
    info = np.iinfo(dtype)
    values = np.clip(np.asarray(values, dtype=object) + shift, info.min, info.max)
    y = np.array(values.tolist(), dtype=dtype)
    expected_classes, expected_codes = np.unique(y, return_inverse=True)
    classes, _, codes = _class_counts(y)
    np.testing.assert_array_equal(classes, expected_classes)
    assert classes.dtype == y.dtype
    np.testing.assert_array_equal(codes, expected_codes)
