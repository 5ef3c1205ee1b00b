"""Tests of ClassWeightResampler (a weighting scheme applied by resampling rows)."""

import pickle
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import make_pipeline
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.compose import make_column_transformer
from sklearn.datasets import make_classification
from sklearn.impute import SimpleImputer
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline as make_sklearn_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils import get_tags
from sklearn.utils._param_validation import InvalidParameterError

from skbalance import BalancedClassifier, ClassWeightResampler, ClassWeightTransformer
from skbalance.resampling import _class_sizes
from skbalance.weights import compute_class_weights

COUNTS = (60, 30, 10)


def _data(counts=COUNTS, n_features=3, seed=0):
    """Random X and y = 0..k-1 with the given class sizes, rows shuffled."""
    rng = np.random.RandomState(seed)
    y = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    X = rng.standard_normal((y.size, n_features))
    return X, y


# --- class sizes ------------------------------------------------------------------------


def test_class_sizes_proportional_to_count_times_weight():
    """Check that new class sizes are n_c * w_c scaled to the same total."""
    X, y = _data()
    # masses 60*1, 30*1, 10*3 = 60, 30, 30 -> 100 rows split 50, 25, 25
    sampler = ClassWeightResampler({0: 1, 1: 1, 2: 3}, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.sampling_strategy_ == {0: 50, 1: 25, 2: 25}
    assert Counter(y_res.tolist()) == {0: 50, 1: 25, 2: 25}
    assert X_res.shape == (100, 3)


@pytest.mark.parametrize(
    "weighting", ["balanced", "inverse_sqrt", "effective_number", "log_inverse"]
)
@pytest.mark.parametrize("n_samples", [None, 37, 250])
def test_class_sizes_follow_any_scheme(weighting, n_samples):
    """Check that sizes are within one row of N * n_c w_c / sum_j n_j w_j and add up to N."""
    X, y = _data()
    sampler = ClassWeightResampler(weighting, n_samples=n_samples, random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    total = y.size if n_samples is None else n_samples
    assert y_res.size == total
    weights = compute_class_weights(y, weighting)
    mass = np.array([COUNTS[c] * weights[c] for c in range(3)])
    exact = total * mass / mass.sum()
    sizes = np.bincount(y_res, minlength=3)
    assert (np.abs(sizes - exact) < 1).all()
    assert sampler.class_weight_ == pytest.approx(weights)
    assert sampler.sampling_strategy_ == dict(enumerate(sizes.tolist()))


def test_balanced_gives_equal_sizes():
    """Check that 'balanced' makes the classes (almost) equal and keeps the total."""
    X, y = _data(counts=(50, 30, 20))
    _, y_res = ClassWeightResampler(random_state=0).fit_resample(X, y)
    sizes = np.bincount(y_res)
    assert sizes.sum() == 100
    assert sizes.max() - sizes.min() <= 1


def test_n_samples_sets_the_total():
    """Check that n_samples sets the number of rows after resampling."""
    X, y = _data()
    sampler = ClassWeightResampler({0: 1, 1: 1, 2: 3}, n_samples=40, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.shape[0] == 40
    assert Counter(y_res.tolist()) == {0: 20, 1: 10, 2: 10}


def test_zero_weight_class_is_dropped():
    """Check that a class whose weight is 0 gets no row."""
    X, y = _data()
    X_res, y_res = ClassWeightResampler({0: 1, 1: 0, 2: 1}, random_state=0).fit_resample(X, y)
    assert 1 not in set(y_res.tolist())
    assert y_res.size == y.size


def test_largest_remainder_rounding():
    """Check that _class_sizes rounds by largest remainder and keeps one row per class."""
    assert_array_equal(_class_sizes(np.array([1.0, 1.0, 1.0]), 10), [4, 3, 3])
    assert_array_equal(_class_sizes(np.array([0.7, 0.2, 0.1]), 10), [7, 2, 1])
    # 0.001 of 10 rows rounds to 0, but a class with positive mass keeps one row
    assert_array_equal(_class_sizes(np.array([0.999, 0.001]), 10), [9, 1])
    assert_array_equal(_class_sizes(np.array([2.0, 0.0, 1.0]), 7), [5, 0, 2])


# --- which rows ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_sample_indices_match_the_output(seed):
    """Check that sample_indices_ gives exactly the returned rows and labels."""
    X, y = _data(seed=seed)
    sampler = ClassWeightResampler("inverse_sqrt", random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    indices = sampler.sample_indices_
    assert indices.shape == (y_res.size,)
    assert np.issubdtype(indices.dtype, np.integer)
    assert_array_equal(X_res, X[indices])
    assert_array_equal(y_res, y[indices])


@pytest.mark.parametrize("seed", range(5))
def test_growing_classes_keep_all_their_rows(seed):
    """Check that a class that grows keeps every row, each floor or ceil(m_c/n_c) times."""
    X, y = _data(seed=seed)
    sampler = ClassWeightResampler(random_state=seed)  # sizes ~ 33 each
    sampler.fit_resample(X, y)
    indices = sampler.sample_indices_
    for label in (1, 2):  # 30 -> 33 and 10 -> 34 rows
        rows = np.flatnonzero(y == label)
        picked = indices[y[indices] == label]
        assert set(picked.tolist()) == set(rows.tolist())
        repeats = np.array(list(Counter(picked.tolist()).values()))
        ratio = picked.size / rows.size
        assert repeats.min() >= np.floor(ratio) and repeats.max() <= np.ceil(ratio)


@pytest.mark.parametrize("seed", range(5))
def test_shrinking_classes_keep_distinct_rows(seed):
    """Check that a class that shrinks keeps a subset of its rows, without repeats."""
    X, y = _data(seed=seed)
    sampler = ClassWeightResampler(random_state=seed)
    sampler.fit_resample(X, y)
    picked = sampler.sample_indices_[y[sampler.sample_indices_] == 0]
    assert picked.size == sampler.sampling_strategy_[0] < COUNTS[0]
    assert np.unique(picked).size == picked.size
    assert (y[picked] == 0).all()


def test_deterministic_with_random_state():
    """Check that the same random_state gives the same rows and another one may not."""
    X, y = _data()
    first = ClassWeightResampler(random_state=3).fit_resample(X, y)
    second = ClassWeightResampler(random_state=3).fit_resample(X, y)
    assert_array_equal(first[0], second[0])
    assert_array_equal(first[1], second[1])
    seeded = ClassWeightResampler(random_state=np.random.RandomState(3)).fit_resample(X, y)
    assert_array_equal(first[0], seeded[0])
    others = [
        ClassWeightResampler(random_state=seed).fit_resample(X, y)[0] for seed in range(4, 8)
    ]
    assert any(not np.array_equal(first[0], other) for other in others)


def test_weighting_none_keeps_every_row_once():
    """Check that weighting=None returns the same rows (each once), same class sizes."""
    X, y = _data()
    sampler = ClassWeightResampler(None, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert_array_equal(np.sort(sampler.sample_indices_), np.arange(y.size))
    assert Counter(y_res.tolist()) == Counter(y.tolist())
    order = np.argsort(sampler.sample_indices_)
    assert_array_equal(X_res[order], X)
    assert_array_equal(y_res[order], y)
    assert sampler.class_weight_ == {0: 1.0, 1: 1.0, 2: 1.0}


def test_class_weight_transformer_as_weighting():
    """Check that a ClassWeightTransformer is used as the weighting, and is not fitted."""
    X, y = _data()
    user = ClassWeightTransformer("inverse", max_ratio=2)
    sampler = ClassWeightResampler(user, random_state=0)
    sampler.fit_resample(X, y)
    assert not hasattr(user, "classes_")
    assert sampler.class_weight_ == pytest.approx(
        compute_class_weights(y, "inverse", max_ratio=2)
    )
    # raw masses 60 * 1/60, 30 * 1/30, 10 * (2/60) -> 1, 1, 1/3
    assert sampler.sampling_strategy_ == {0: 43, 1: 43, 2: 14}


def test_integer_sample_weight_equals_repeated_rows():
    """Check that integer sample weights give the rows that repeating the samples gives."""
    X, y = _data(counts=(24, 12, 4))
    sample_weight = np.random.RandomState(1).randint(0, 4, size=y.size)
    for seed in range(3):
        weighted = ClassWeightResampler(random_state=seed).fit_resample(
            X, y, sample_weight=sample_weight
        )
        repeated = ClassWeightResampler(random_state=seed).fit_resample(
            np.repeat(X, sample_weight, axis=0), np.repeat(y, sample_weight)
        )
        assert_array_equal(weighted[0], repeated[0])
        assert_array_equal(weighted[1], repeated[1])


def test_zero_sample_weight_rows_are_never_kept():
    """Check that rows of sample weight 0 are never selected."""
    X, y = _data()
    sample_weight = np.ones(y.size)
    sample_weight[::3] = 0
    sampler = ClassWeightResampler(random_state=0)
    sampler.fit_resample(X, y, sample_weight=sample_weight)
    assert (sample_weight[sampler.sample_indices_] > 0).all()


@pytest.mark.parametrize(
    "sample_weight, match",
    [(-np.ones(100), "Negative"), (np.ones(99), "shape|samples")],
)
def test_bad_sample_weight(sample_weight, match):
    """Check that negative or misshaped sample weights are refused."""
    X, y = _data()
    with pytest.raises(ValueError, match=match):
        ClassWeightResampler().fit_resample(X, y, sample_weight=sample_weight)


# --- input types --------------------------------------------------------------------------


def test_dataframe_in_dataframe_out():
    """Check that a DataFrame and Series come back as such, with names, dtypes and index."""
    X, y = _data()
    X_df = pd.DataFrame(X, columns=["a", "b", "c"]).astype({"c": np.float32})
    X_df["d"] = np.arange(y.size)
    y_s = pd.Series(y, name="target")
    sampler = ClassWeightResampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X_df, y_s)
    assert isinstance(X_res, pd.DataFrame)
    assert isinstance(y_res, pd.Series)
    assert X_res.columns.tolist() == ["a", "b", "c", "d"]
    assert X_res.dtypes.equals(X_df.dtypes)
    assert y_res.name == "target"
    assert X_res.index.equals(y_res.index)
    assert_array_equal(X_res["d"].to_numpy(), sampler.sample_indices_)
    assert_array_equal(y_res.to_numpy(), y[sampler.sample_indices_])
    assert_array_equal(sampler.feature_names_in_, ["a", "b", "c", "d"])


def test_categorical_series_target_keeps_its_dtype():
    """Check that a categorical y comes back categorical with the same categories."""
    X, y = _data()
    y_cat = pd.Series(pd.Categorical.from_codes(y, ["low", "mid", "high"]))
    _, y_res = ClassWeightResampler(random_state=0).fit_resample(X, y_cat)
    assert isinstance(y_res.dtype, pd.CategoricalDtype)
    assert y_res.cat.categories.tolist() == ["low", "mid", "high"]
    assert y_res.value_counts().max() - y_res.value_counts().min() <= 1


def test_sparse_input_gives_sparse_output():
    """Check that a sparse X gives the same rows, sparse."""
    X, y = _data()
    X[X < 0.5] = 0
    X_res, _ = ClassWeightResampler(random_state=0).fit_resample(sparse.csr_matrix(X), y)
    dense, _ = ClassWeightResampler(random_state=0).fit_resample(X, y)
    assert sparse.issparse(X_res)
    assert_allclose(X_res.toarray(), dense)


@pytest.mark.parametrize(
    "labels",
    [
        np.array(["common", "medium", "rare"]),
        np.array(["1", "2", "10"], dtype=object),
        np.array([True, False, True]),
    ],
    ids=["str", "numeric-looking-str", "bool"],
)
def test_labels_of_any_kind(labels):
    """Check that string, numeric-looking string and boolean labels are resampled."""
    X, codes = _data(counts=(60, 30, 10) if labels.dtype != bool else (70, 30))
    y = labels[codes]
    sampler = ClassWeightResampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert y_res.dtype == y.dtype
    assert set(sampler.class_weight_) == set(y.tolist())
    assert_array_equal(y_res, y[sampler.sample_indices_])
    counts = Counter(y_res.tolist())
    assert max(counts.values()) - min(counts.values()) <= 1


def test_inputs_are_not_modified():
    """Check that X, y and sample_weight are left unchanged, whatever X holds."""
    X, y = _data()
    sample_weight = np.linspace(0.5, 1.5, y.size)
    X_df = pd.DataFrame(X)
    X_mixed = _mixed_frame(y)
    X_nan = _with_missing(X)
    copies = X.copy(), y.copy(), sample_weight.copy(), X_df.copy()
    copies_non_numeric = X_mixed.copy(), X_nan.copy()
    ClassWeightResampler(random_state=0).fit_resample(X, y, sample_weight=sample_weight)
    ClassWeightResampler(random_state=0).fit_resample(X_df, pd.Series(y))
    ClassWeightResampler(random_state=0).fit_resample(X_mixed, y, sample_weight=sample_weight)
    ClassWeightResampler(random_state=0).fit_resample(X_nan, y)
    assert_array_equal(X, copies[0])
    assert_array_equal(y, copies[1])
    assert_array_equal(sample_weight, copies[2])
    pd.testing.assert_frame_equal(X_df, copies[3])
    pd.testing.assert_frame_equal(X_mixed, copies_non_numeric[0])
    assert_array_equal(X_nan, copies_non_numeric[1])


# --- X of any kind: strings, objects, missing values ----------------------------------------


def _mixed_frame(y, seed=0):
    """A DataFrame with a string, a categorical and a numeric column, one row per label."""
    rng = np.random.RandomState(seed)
    return pd.DataFrame(
        {
            "cat": rng.choice(["a", "b", "c"], size=y.size),
            "level": pd.Categorical(rng.choice(["low", "high"], size=y.size)),
            "num": rng.standard_normal(y.size),
        },
        index=np.arange(y.size) * 10,  # labels that differ from positions
    )


def _with_missing(X, value=np.nan):
    """A copy of X with ``value`` in every 7th row of the first column."""
    X = X.copy()
    X[::7, 0] = value
    return X


def _non_numeric(kind, X, y):
    """X in a form the random projection cannot order."""
    if kind == "dataframe":
        return _mixed_frame(y)
    if kind == "strings":
        return np.char.add("row", np.arange(y.size).astype(str))[:, None]
    if kind == "object":
        return np.column_stack([X[:, 0], np.array(["x", "y"] * (y.size // 2))]).astype(object)
    if kind == "nan":
        return _with_missing(X)
    return _with_missing(X, np.inf)


NON_NUMERIC = ["dataframe", "strings", "object", "nan", "inf"]


def test_dataframe_with_string_column():
    """Check that a DataFrame with a string column comes back a DataFrame of its rows."""
    _, y = _data()
    X_df = _mixed_frame(y)
    sampler = ClassWeightResampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X_df, y)
    assert isinstance(X_res, pd.DataFrame)
    assert X_res.columns.tolist() == ["cat", "level", "num"]
    assert X_res.dtypes.equals(X_df.dtypes)
    assert np.bincount(y_res).tolist() == [34, 33, 33]
    assert sampler.sampling_strategy_ == {0: 34, 1: 33, 2: 33}
    pd.testing.assert_frame_equal(X_res, X_df.iloc[sampler.sample_indices_])
    assert_array_equal(y_res, y[sampler.sample_indices_])
    assert_array_equal(sampler.feature_names_in_, ["cat", "level", "num"])
    again = ClassWeightResampler(random_state=0).fit_resample(X_df, y)
    pd.testing.assert_frame_equal(again[0], X_res)
    assert_array_equal(again[1], y_res)


def test_dataframe_keeps_the_index_labels_of_its_rows():
    """Check that the rows keep their index labels and a Series y is aligned with them."""
    _, y = _data()
    X_df = _mixed_frame(y)
    sampler = ClassWeightResampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X_df, pd.Series(y, index=X_df.index, name="t"))
    assert_array_equal(X_res.index, X_df.index[sampler.sample_indices_])
    assert X_res.index.equals(y_res.index)
    assert y_res.name == "t"


def test_missing_values_in_X_are_kept():
    """Check that rows with NaN are resampled like the others, their NaN kept."""
    X, y = _data()
    X_nan = _with_missing(X)
    sampler = ClassWeightResampler(random_state=0)
    X_res, _ = sampler.fit_resample(X_nan, y)
    assert X_res.dtype == np.float64
    assert_array_equal(X_res, X_nan[sampler.sample_indices_])  # NaN compare equal here
    assert np.isnan(X_res[:, 0]).sum() == np.isnan(X_nan[sampler.sample_indices_, 0]).sum() > 0
    assert not np.isnan(X_res[:, 1:]).any()
    # the class sizes do not depend on X
    numeric = ClassWeightResampler(random_state=0)
    numeric.fit_resample(X, y)
    assert sampler.sampling_strategy_ == numeric.sampling_strategy_


def test_object_X():
    """Check that an object array mixing numbers and strings gives its rows, as objects."""
    X, y = _data()
    X_obj = _non_numeric("object", X, y)
    sampler = ClassWeightResampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X_obj, y)
    assert X_res.dtype == object
    assert_array_equal(X_res, X_obj[sampler.sample_indices_])
    assert np.bincount(y_res).tolist() == [34, 33, 33]


def test_list_of_strings():
    """Check that a list of rows of strings comes back as a list of its rows."""
    X, y = _data()
    X_list = _non_numeric("strings", X, y).tolist()
    sampler = ClassWeightResampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X_list, y.tolist())
    assert isinstance(X_res, list) and isinstance(y_res, list)
    assert X_res == [X_list[i] for i in sampler.sample_indices_]


@pytest.mark.parametrize("kind", NON_NUMERIC)
@pytest.mark.parametrize("seed", range(3))
def test_non_numeric_X_is_resampled_the_same_way(kind, seed):
    """Check that X the projection cannot order gets the same sizes and repeats.

    Growing classes keep every row, floor or ceil(m_c / n_c) times; shrinking
    classes keep distinct rows.
    """
    X, y = _data(seed=seed)
    X_other = _non_numeric(kind, X, y)
    numeric = ClassWeightResampler(random_state=seed)
    numeric.fit_resample(X, y)
    sampler = ClassWeightResampler(random_state=seed)
    sampler.fit_resample(X_other, y)
    assert sampler.sampling_strategy_ == numeric.sampling_strategy_
    indices = sampler.sample_indices_
    assert_array_equal(indices, np.sort(indices))
    for label in (1, 2):
        rows = np.flatnonzero(y == label)
        picked = indices[y[indices] == label]
        assert set(picked.tolist()) == set(rows.tolist())
        repeats = np.array(list(Counter(picked.tolist()).values()))
        ratio = picked.size / rows.size
        assert repeats.min() >= np.floor(ratio) and repeats.max() <= np.ceil(ratio)
    picked = indices[y[indices] == 0]
    assert np.unique(picked).size == picked.size == numeric.sampling_strategy_[0]


@pytest.mark.parametrize("kind", NON_NUMERIC)
def test_non_numeric_X_is_deterministic(kind):
    """Check that the same random_state gives the same rows, and other seeds others."""
    X, y = _data()
    X_other = _non_numeric(kind, X, y)

    def rows(random_state):
        sampler = ClassWeightResampler(random_state=random_state)
        sampler.fit_resample(X_other, y)
        return sampler.sample_indices_

    assert_array_equal(rows(3), rows(3))
    assert_array_equal(rows(3), rows(np.random.RandomState(3)))
    assert any(not np.array_equal(rows(3), rows(seed)) for seed in range(4, 8))


@pytest.mark.parametrize("container", [pd.DataFrame, sparse.csr_matrix, sparse.csc_matrix])
def test_numeric_containers_give_the_rows_of_the_array(container):
    """Check that a numeric DataFrame or sparse matrix gives the same rows as the array."""
    X, y = _data()
    X[X < 0.5] = 0
    expected = ClassWeightResampler(random_state=0)
    expected.fit_resample(X, y)
    sampler = ClassWeightResampler(random_state=0)
    sampler.fit_resample(container(X), y)
    assert_array_equal(sampler.sample_indices_, expected.sample_indices_)


@pytest.mark.parametrize("container", [pd.DataFrame, sparse.csr_matrix])
def test_integer_sample_weight_equals_repeated_rows_in_containers(container):
    """Check that the repeated-rows equivalence holds for numeric DataFrames and sparse X."""
    X, y = _data(counts=(24, 12, 4))
    X[X < 0] = 0
    sample_weight = np.random.RandomState(1).randint(0, 4, size=y.size)
    weighted = ClassWeightResampler(random_state=0)
    weighted.fit_resample(container(X), y, sample_weight=sample_weight)
    repeated = ClassWeightResampler(random_state=0)
    repeated.fit_resample(
        container(np.repeat(X, sample_weight, axis=0)), np.repeat(y, sample_weight)
    )
    kept = np.repeat(np.arange(y.size), sample_weight)
    assert_array_equal(weighted.sample_indices_, kept[repeated.sample_indices_])


def test_sparse_with_missing_values():
    """Check that a sparse X with stored NaN is resampled, sparse, its NaN kept."""
    X, y = _data()
    X[X < 0.5] = 0
    X_nan = _with_missing(X)
    sampler = ClassWeightResampler(random_state=0)
    X_res, _ = sampler.fit_resample(sparse.csr_matrix(X_nan), y)
    assert sparse.issparse(X_res)
    assert_array_equal(X_res.toarray(), X_nan[sampler.sample_indices_])
    assert np.isnan(X_res.data).any()


def test_tags_allow_nan_and_strings():
    """Check that the tags say NaN and strings are accepted, with sample_indices_."""
    tags = get_tags(ClassWeightResampler())
    assert tags.input_tags.allow_nan
    assert tags.input_tags.string
    assert tags.input_tags.sparse
    assert tags.input_tags.dataframe
    assert tags.sampler_tags.sample_indices


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{"weighting": "balance"}, {"n_samples": 0}, {"n_samples": 2.5}, {"random_state": "x"}],
)
def test_invalid_parameters(params):
    """Check that invalid parameters raise InvalidParameterError at fit_resample."""
    X, y = _data()
    with pytest.raises(InvalidParameterError):
        ClassWeightResampler(**params).fit_resample(X, y)


def test_invalid_transformer_parameters_are_refused():
    """Check that an invalid ClassWeightTransformer as weighting fails at fit_resample."""
    X, y = _data()
    with pytest.raises(InvalidParameterError, match="beta"):
        ClassWeightResampler(ClassWeightTransformer(beta=2.0)).fit_resample(X, y)


@pytest.mark.parametrize(
    "y, match",
    [
        (np.zeros(100), "more than 1 class"),
        (np.r_[np.zeros(99), np.nan], "NaN"),
        (np.linspace(0, 1, 100), "Unknown label type"),
    ],
)
def test_bad_targets(y, match):
    """Check that a single class, NaN labels or continuous targets raise a ValueError."""
    X, _ = _data()
    with pytest.raises(ValueError, match=match):
        ClassWeightResampler().fit_resample(X, y)


@pytest.mark.parametrize(
    "y",
    [
        np.array([0, 1, np.nan] * 33 + [1], dtype=object),
        np.array(["a", "b", None] * 33 + ["a"], dtype=object),
        pd.Series([0.0, 1.0, np.nan] * 33 + [1.0]),
        np.r_[np.zeros(50), np.ones(49), np.nan][:, None],
    ],
    ids=["nan-object", "none-object", "nan-series", "nan-column"],
)
def test_missing_labels_are_named(y):
    """Check that NaN or None labels raise an error that says so, not 'Unknown label type'."""
    X, _ = _data()
    with pytest.raises(ValueError, match=r"y contains (missing|NaN).*labels"):
        ClassWeightResampler().fit_resample(X, y)


def test_parameters_are_checked_before_labels():
    """Check that an invalid parameter is reported before bad labels."""
    X, _ = _data()
    y = np.array([0, 1, np.nan] * 33 + [1], dtype=object)
    with pytest.raises(InvalidParameterError):
        ClassWeightResampler("balance").fit_resample(X, y)


def test_inconsistent_lengths():
    """Check that X and y of different lengths are refused."""
    _, y = _data()
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        ClassWeightResampler().fit_resample(_mixed_frame(y)[:-1], y)


def test_dict_missing_a_label_is_named():
    """Check that a dict weighting without a weight for a label names it."""
    X, y = _data()
    with pytest.raises(ValueError, match=r"\[2\]"):
        ClassWeightResampler({0: 1, 1: 2}).fit_resample(X, y)


# --- as a pipeline step ------------------------------------------------------------------


def _imbalanced_problem():
    return make_classification(
        n_samples=150,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        weights=[0.75, 0.2, 0.05],
        random_state=0,
    )


def test_pipeline_with_knn():
    """Check that it works as the step of an imblearn pipeline before a KNN."""
    X, y = _imbalanced_problem()
    pipe = make_pipeline(ClassWeightResampler(random_state=0), KNeighborsClassifier(3))
    pipe.fit(X, y)
    assert pipe.predict(X).shape == y.shape
    sampler = pipe.named_steps["classweightresampler"]
    # the classifier was trained on the resampled rows, about equal per class
    knn = pipe.named_steps["kneighborsclassifier"]
    assert knn.n_samples_fit_ == y.size
    sizes = np.array(list(sampler.sampling_strategy_.values()))
    assert sizes.max() - sizes.min() <= 1


def test_grid_search_over_weighting():
    """Check that GridSearchCV can tune classweightresampler__weighting."""
    X, y = _imbalanced_problem()
    pipe = make_pipeline(ClassWeightResampler(random_state=0), KNeighborsClassifier(3))
    grid = [None, "balanced", "inverse_sqrt", ClassWeightTransformer("inverse", max_ratio=3)]
    search = GridSearchCV(
        pipe,
        {"classweightresampler__weighting": grid},
        cv=StratifiedKFold(3),
        scoring="balanced_accuracy",
    )
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_params_["classweightresampler__weighting"]
    assert any(best is option for option in grid)
    assert search.predict(X).shape == y.shape


# --- in BalancedClassifier (its "resample" path) ----------------------------------------------


def test_balanced_classifier_with_column_transformer_on_strings():
    """Check that BalancedClassifier resamples a DataFrame with a string column for a KNN."""
    X, y = _imbalanced_problem()
    X_df = pd.DataFrame({"cat": np.where(X[:, 0] > 0, "a", "b"), "num": X[:, 1]})
    pipe = make_sklearn_pipeline(
        make_column_transformer((OneHotEncoder(), ["cat"]), (StandardScaler(), ["num"])),
        KNeighborsClassifier(),
    )
    clf = BalancedClassifier(pipe, random_state=0).fit(X_df, y)
    assert clf.fit_mode_ == "resample"
    assert clf.predict(X_df).shape == y.shape
    assert set(clf.predict(X_df).tolist()) <= set(y.tolist())
    assert clf.predict_proba(X_df).shape == (y.size, 3)
    # the classes were balanced for the KNN
    assert_allclose(clf.effective_prior_, [1 / 3] * 3, atol=0.01)


def test_balanced_classifier_with_imputer_on_missing_values():
    """Check that BalancedClassifier resamples X with NaN for an imputer + KNN pipeline."""
    X, y = _imbalanced_problem()
    X = _with_missing(X)
    clf = BalancedClassifier(
        make_sklearn_pipeline(SimpleImputer(), KNeighborsClassifier()), random_state=0
    ).fit(X, y)
    assert clf.fit_mode_ == "resample"
    assert clf.predict(X).shape == y.shape
    assert_allclose(clf.effective_prior_, [1 / 3] * 3, atol=0.01)


def test_clone_and_pickle():
    """Check that the sampler clones without fitted state and pickles after fitting."""
    X, y = _data()
    sampler = ClassWeightResampler("log_inverse", n_samples=50, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    cloned = clone(sampler)
    assert cloned.get_params() == sampler.get_params()
    assert not hasattr(cloned, "sample_indices_")
    restored = pickle.loads(pickle.dumps(sampler))
    assert_array_equal(restored.sample_indices_, sampler.sample_indices_)
    assert_array_equal(restored.fit_resample(X, y)[0], X_res)


def test_normalised_sample_weight_keeps_the_data_size():
    """Check that sample weights summing to 1 keep as many rows as the data has."""
    X = np.random.RandomState(0).rand(30, 2)
    y = np.r_[[0] * 20, [1] * 10]
    _, y_res = ClassWeightResampler(random_state=0).fit_resample(
        X, y, sample_weight=np.full(30, 1 / 30)
    )
    assert np.bincount(y_res).tolist() == [15, 15]


def test_sample_indices_follow_the_input_order():
    """Check that the selected rows come back in the order of the input."""
    X = np.random.RandomState(0).rand(30, 2)
    y = np.r_[[1] * 10, [0] * 20]
    sampler = ClassWeightResampler(weighting=None, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(sampler.sample_indices_, np.arange(30))
    np.testing.assert_array_equal(X_res, X)
