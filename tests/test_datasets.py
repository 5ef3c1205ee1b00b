"""Tests of skbalance.datasets: long-tailed sub-sampling and the embedded digits."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.datasets import load_digits
from sklearn.utils import Bunch
from sklearn.utils._param_validation import InvalidParameterError

from skbalance.datasets import PROFILES, load_long_tailed_digits, make_long_tailed


def _balanced(n_classes=5, per_class=40, seed=0):
    """X whose first column is the row number, and shuffled balanced labels."""
    rng = np.random.RandomState(seed)
    y = rng.permutation(np.repeat(np.arange(n_classes), per_class))
    X = np.column_stack([np.arange(y.size), rng.standard_normal(y.size)])
    return X, y


@pytest.mark.parametrize(
    "profile, expected",
    [
        # 40 * 10 ** (-i / 4) = 40, 22.49, 12.65, 7.11, 4
        ("exponential", [40, 22, 12, 7, 4]),
        # first half (i < 2.5) keep 40, the others 40 / 10
        ("step", [40, 40, 40, 4, 4]),
        # 40 * (1 - i / 4 * 0.9) = 40, 31, 22, 13, 4
        ("linear", [40, 31, 22, 13, 4]),
    ],
)
def test_sizes_of_each_profile(profile, expected):
    """Check the hand-computed class sizes of every profile."""
    X, y = _balanced()
    X_lt, y_lt = make_long_tailed(X, y, imbalance_ratio=10, profile=profile, random_state=0)
    assert_array_equal(np.bincount(y_lt), expected)
    assert X_lt.shape == (sum(expected), 2)


def test_profiles_constant():
    """Check that PROFILES lists the three profiles."""
    assert set(PROFILES) == {"exponential", "step", "linear"}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("imbalance_ratio", [1, 2, 4, 8, 20])
def test_imbalance_ratio_is_respected(profile, imbalance_ratio):
    """Check that largest / smallest class size equals the imbalance ratio."""
    X, y = _balanced(n_classes=4, per_class=40)
    _, y_lt = make_long_tailed(X, y, imbalance_ratio, profile, random_state=0)
    counts = np.bincount(y_lt)
    assert counts[0] == 40
    assert counts[0] / counts[-1] == imbalance_ratio
    assert (np.diff(counts) <= 0).all()


def test_smallest_input_class_sets_the_head_size():
    """Check that the head size is the smallest input class, so every size is available."""
    rng = np.random.RandomState(0)
    y = rng.permutation(np.repeat([0, 1, 2], [50, 45, 30]))
    X = np.arange(y.size).reshape(-1, 1)
    _, y_lt = make_long_tailed(X, y, imbalance_ratio=3, random_state=0)
    # 30 * 3 ** (-i / 2) = 30, 17.3, 10
    assert_array_equal(np.bincount(y_lt), [30, 17, 10])


def test_tail_class_keeps_at_least_one_row():
    """Check that a ratio above the head size still keeps one row per class."""
    X, y = _balanced(n_classes=3, per_class=10)
    _, y_lt = make_long_tailed(X, y, imbalance_ratio=1000, random_state=0)
    assert_array_equal(np.bincount(y_lt), [10, 1, 1])


def test_rows_are_kept_in_order_with_their_labels():
    """Check that kept rows are a subset of the input in its original order."""
    X, y = _balanced()
    X_lt, y_lt = make_long_tailed(X, y, random_state=0)
    kept = X_lt[:, 0].astype(int)
    assert (np.diff(kept) > 0).all()
    assert_array_equal(X_lt, X[kept])
    assert_array_equal(y_lt, y[kept])


def test_sorted_label_order_decides_the_head():
    """Check that with string labels the first label in sorted order is the largest."""
    X, codes = _balanced(n_classes=3, per_class=20)
    y = np.array(["cherry", "apple", "banana"])[codes]
    _, y_lt = make_long_tailed(X, y, imbalance_ratio=4, random_state=0)
    values, counts = np.unique(y_lt, return_counts=True)
    assert values.tolist() == ["apple", "banana", "cherry"]
    assert counts.tolist() == [20, 10, 5]


def test_dataframe_and_series_input():
    """Check that a DataFrame and Series stay pandas, with their index kept in order."""
    X, y = _balanced()
    index = pd.Index(np.arange(y.size) * 10 + 7, name="id")
    X_df = pd.DataFrame(X, columns=["row", "feature"], index=index)
    y_s = pd.Series(y, index=index, name="target")
    X_lt, y_lt = make_long_tailed(X_df, y_s, imbalance_ratio=10, random_state=0)
    assert isinstance(X_lt, pd.DataFrame)
    assert isinstance(y_lt, pd.Series)
    assert X_lt.columns.tolist() == ["row", "feature"]
    assert y_lt.name == "target"
    assert X_lt.index.equals(y_lt.index)
    assert X_lt.index.is_monotonic_increasing
    assert_array_equal(y_lt.to_numpy(), y_s.loc[X_lt.index].to_numpy())
    assert_array_equal(y_lt.value_counts().sort_index(), [40, 22, 12, 7, 4])


def test_dataframe_input_matches_array_input():
    """Check that pandas input keeps the same rows as array input for the same seed."""
    X, y = _balanced()
    X_lt, _ = make_long_tailed(X, y, random_state=3)
    X_df_lt, _ = make_long_tailed(pd.DataFrame(X), pd.Series(y), random_state=3)
    assert_array_equal(X_df_lt.to_numpy(), X_lt)


def test_categorical_series_labels():
    """Check that categorical labels work and unused categories are ignored."""
    X, codes = _balanced(n_classes=2, per_class=20)
    y = pd.Series(pd.Categorical.from_codes(codes, ["neg", "pos", "unused"]))
    _, y_lt = make_long_tailed(X, y, imbalance_ratio=5, random_state=0)
    assert y_lt.value_counts().loc[["neg", "pos"]].tolist() == [20, 4]


def test_sparse_input():
    """Check that a sparse X stays sparse and keeps the same rows as dense X."""
    X, y = _balanced()
    X_lt, _ = make_long_tailed(X, y, random_state=0)
    X_sp_lt, _ = make_long_tailed(sparse.csr_matrix(X), y, random_state=0)
    assert sparse.issparse(X_sp_lt)
    assert_array_equal(X_sp_lt.toarray(), X_lt)


def test_random_state_determinism():
    """Check that the same random_state keeps the same rows and others differ."""
    X, y = _balanced()
    first, _ = make_long_tailed(X, y, random_state=0)
    again, _ = make_long_tailed(X, y, random_state=0)
    seeded, _ = make_long_tailed(X, y, random_state=np.random.RandomState(0))
    other, _ = make_long_tailed(X, y, random_state=1)
    assert_array_equal(first, again)
    assert_array_equal(first, seeded)
    assert first.shape == other.shape
    assert not np.array_equal(first, other)


def test_inputs_are_not_modified():
    """Check that X and y are left unchanged."""
    X, y = _balanced()
    X_copy, y_copy = X.copy(), y.copy()
    make_long_tailed(X, y, random_state=0)
    assert_array_equal(X, X_copy)
    assert_array_equal(y, y_copy)


def test_mismatched_lengths():
    """Check that X and y of different lengths raise a ValueError giving both."""
    X, y = _balanced()
    with pytest.raises(ValueError, match="200 and 199"):
        make_long_tailed(X, y[:-1])


def test_single_class():
    """Check that a single class raises a ValueError."""
    with pytest.raises(ValueError, match="one class"):
        make_long_tailed(np.zeros((10, 2)), np.ones(10))


@pytest.mark.parametrize(
    "y, match",
    [(np.r_[np.zeros(9), np.nan], "NaN"), (np.zeros((10, 2)), "1-D"), ([], "empty")],
)
def test_bad_labels(y, match):
    """Check that NaN, 2-D or empty labels raise a ValueError."""
    X = np.zeros((len(y), 2))
    with pytest.raises(ValueError, match=match):
        make_long_tailed(X, y)


@pytest.mark.parametrize(
    "params", [{"imbalance_ratio": 0.5}, {"profile": "power"}, {"random_state": "0"}]
)
def test_invalid_parameters(params):
    """Check that invalid parameters raise InvalidParameterError."""
    X, y = _balanced()
    with pytest.raises(InvalidParameterError):
        make_long_tailed(X, y, **params)


def test_load_long_tailed_digits_bunch():
    """Check the fields of the long-tailed digits Bunch."""
    digits = load_long_tailed_digits()
    assert isinstance(digits, Bunch)
    assert set(digits) == {
        "data",
        "target",
        "feature_names",
        "target_names",
        "class_counts",
        "DESCR",
    }
    assert digits.data.shape == (427, 64)
    assert digits.target.shape == (427,)
    assert len(digits.feature_names) == 64
    assert_array_equal(digits.target_names, np.arange(10))
    assert digits.class_counts.tolist() == [174, 104, 62, 37, 22, 13, 8, 4, 2, 1]
    assert_array_equal(digits.class_counts, np.bincount(digits.target, minlength=10))
    assert "imbalance ratio of 100" in digits.DESCR
    assert digits.data.min() >= 0 and digits.data.max() <= 16


def test_load_long_tailed_digits_rows_come_from_digits():
    """Check that every row is a row of scikit-learn's digits with its own label."""
    original = load_digits()
    digits = load_long_tailed_digits(imbalance_ratio=10, random_state=1)
    rows = {row.tobytes(): label for row, label in zip(original.data, original.target)}
    assert all(rows[row.tobytes()] == label for row, label in zip(digits.data, digits.target))
    assert digits.class_counts[0] / digits.class_counts[-1] == pytest.approx(10, rel=0.1)


def test_load_long_tailed_digits_return_X_y():
    """Check that return_X_y gives the Bunch's data and target."""
    X, y = load_long_tailed_digits(return_X_y=True)
    digits = load_long_tailed_digits()
    assert_array_equal(X, digits.data)
    assert_array_equal(y, digits.target)


def test_load_long_tailed_digits_is_deterministic():
    """Check that the default random_state gives the same rows on every call."""
    first = load_long_tailed_digits(random_state=5)
    second = load_long_tailed_digits(random_state=5)
    assert_array_equal(first.data, second.data)
    other = load_long_tailed_digits(random_state=6)
    assert not np.array_equal(first.data, other.data)
