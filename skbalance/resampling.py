"""ClassWeightResampler: a weighting scheme applied by resampling rows."""

from numbers import Integral

import numpy as np
import pandas as pd
from imblearn.base import BaseSampler
from imblearn.utils import check_target_type
from sklearn.utils import check_array, check_consistent_length, check_random_state

from ._sklearn_compat import (
    Interval,
    _check_sample_weight,
    _fit_context,
    _num_samples,
    _safe_indexing,
    _validate_params,
    validate_data,
)
from ._validation import _check_labels, _encode_labels
from .transformer import _WEIGHTING_CONSTRAINT, _as_transformer

__all__ = ["ClassWeightResampler"]


class ClassWeightResampler(BaseSampler):
    """Resample each class to the size its class weight implies.

    Class ``c`` with ``n_c`` rows and weight ``w_c`` gets
    ``m_c ∝ n_c * w_c`` rows, so a model trained on the result sees the same
    class balance as a model trained with those weights as ``sample_weight``.
    This gives the weighting to classifiers whose ``fit`` has no
    ``sample_weight`` (k-nearest neighbours, MLP, ...). Like
    :class:`~imblearn.over_sampling.RandomOverSampler`, it only selects rows,
    so ``X`` may hold anything a later pipeline step handles: strings,
    objects, missing values, a DataFrame of mixed column types.

    Parameters
    ----------
    weighting : {"balanced", "inverse", "inverse_sqrt", "effective_number", \
            "log_inverse", "none"}, dict, callable, ClassWeightTransformer \
            or None, default="balanced"
        Weighting scheme, see :func:`skbalance.weights.compute_class_weights`.
        None keeps the class sizes (the rows are still resampled when a
        ``sample_weight`` is given).
    n_samples : int, default=None
        Number of rows after resampling; None keeps the number of rows of
        ``y`` (with a ``sample_weight``: its rounded sum, or the number of
        rows of positive weight if that is larger).
    random_state : int, RandomState instance or None, default=None
        Seeds the order in which rows are visited and the sampling offset.

    Attributes
    ----------
    sampling_strategy_ : dict
        Mapping label -> number of rows after resampling.
    class_weight_ : dict
        Mapping label -> class weight the sizes derive from.
    sample_indices_ : ndarray of shape (n_resampled,)
        Indices of the selected rows in the input, in increasing order (a
        row picked several times appears in consecutive positions).
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen in ``fit_resample``, when they are strings.

    See Also
    --------
    ClassWeightTransformer : The weights themselves.
    BalancedClassifier : Uses this sampler for estimators without ``sample_weight``.
    imblearn.over_sampling.RandomOverSampler : Over-sampling to equal sizes.

    Notes
    -----
    Row ``i`` of class ``c`` carries the mass ``w_c * s_i`` (``s_i`` its
    sample weight, 1 by default). Class sizes are
    ``m_c = N * mass_c / sum_j mass_j``, rounded by the largest remainder
    method so they add up to ``N`` exactly; a class with positive mass keeps
    at least one row (when ``N`` is at least the number of such classes), a
    class with weight 0 is dropped.

    Rows are then drawn by systematic resampling: the rows of a class are laid
    end to end, each as long as its mass, in the order of a random projection
    of ``X``, and ``m_c`` equally spaced points (with a random offset) pick
    the rows they fall on. A growing class keeps every row of equal mass
    (each ``floor`` or ``ceil`` of ``m_c / n_c`` times, less variance than
    drawing with replacement); a shrinking class keeps an evenly spread
    subset. Because identical rows are adjacent in that order, an integer
    ``sample_weight`` gives exactly the rows that repeating the samples would.

    The projection needs numbers: it is used when ``X`` is a numeric (or
    boolean) array, sparse matrix or DataFrame without missing or infinite
    values. Otherwise (strings, object dtype, categorical or datetime
    columns, NaN or infinite values) the rows of a class are laid out in a
    random permutation drawn from ``random_state``. The class sizes, the
    ``floor`` / ``ceil`` repeats of a growing class and the determinism are
    the same, but identical rows are no longer adjacent: an integer
    ``sample_weight`` then gives the same class sizes as repeating the
    samples, not necessarily the same rows. The values of ``X`` are never
    converted: a DataFrame comes back as a DataFrame with its columns and
    dtypes, each row with its index label.

    Examples
    --------
    >>> from collections import Counter
    >>> from skbalance import ClassWeightResampler
    >>> X = [[i] for i in range(10)]
    >>> y = [0] * 8 + [1] * 2
    >>> X_res, y_res = ClassWeightResampler(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(0, 5), (1, 5)]
    """

    _sampling_type = "bypass"
    sampling_strategy = "auto"

    _parameter_constraints: dict = {
        "weighting": _WEIGHTING_CONSTRAINT,
        "n_samples": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(self, weighting="balanced", *, n_samples=None, random_state=None):
        self.weighting = weighting
        self.n_samples = n_samples
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y, sample_weight=None):
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Features of any type (numbers, strings, objects, missing values);
            only whole rows are selected.
        y : array-like of shape (n_samples,)
            Class labels; NaN, None or infinite labels are refused.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the rows; a row's chance to be kept grows
            with its weight.

        Returns
        -------
        X_resampled : {ndarray, dataframe, sparse matrix} of shape (n_resampled, n_features)
            The selected rows, ``X[sample_indices_]``, of the type of ``X``.
        y_resampled : ndarray or Series of shape (n_resampled,)
            Their labels.
        """
        # before imbalanced-learn's target check, whose message for NaN or
        # None labels ("Unknown label type: unknown") does not name them; a
        # 2-D y is a column or one-vs-all labels, whose shape imblearn checks
        _check_labels(y, allow_2d=True)
        return super().fit_resample(X, y, sample_weight=sample_weight)

    def _check_X_y(self, X, y):
        """Check the shapes of ``X`` and ``y``, keeping ``X``'s values as they are.

        As in :class:`~imblearn.over_sampling.RandomOverSampler`: any dtype,
        missing values, and a DataFrame stays a DataFrame.
        """
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X = _check_rows(X)
        check_consistent_length(X, y)
        validate_data(self, X=X, y=y, reset=True, skip_check_array=True)
        return X, y, binarize_y

    def _fit_resample(self, X, y, sample_weight=None):
        classes, codes = _encode_labels(np.asarray(y))
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=np.float64, ensure_non_negative=True
            )
        transformer = _as_transformer(self.weighting)
        # fit_resample skips nested validation: check a user transformer's parameters
        _validate_params(transformer)
        transformer.fit(y, sample_weight=sample_weight)
        self.class_weight_ = transformer.class_weight_
        mass = transformer.to_array()[codes]
        if sample_weight is not None:
            mass *= sample_weight
        total = self.n_samples
        if total is None:
            total = len(y) if sample_weight is None else _weighted_size(sample_weight)
        sizes = _class_sizes(np.bincount(codes, weights=mass, minlength=len(classes)), total)
        self.sampling_strategy_ = dict(zip(classes.tolist(), sizes.tolist()))
        self.sample_indices_ = _systematic_indices(
            X, codes, mass, sizes, check_random_state(self.random_state)
        )
        return (
            _safe_indexing(X, self.sample_indices_),
            _safe_indexing(y, self.sample_indices_),
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # sample_indices_ is part of the API; imbalanced-learn reads this tag
        tags.sampler_tags.sample_indices = True
        # rows are selected, never computed on: NaN and strings pass through
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        return tags


def _check_rows(X):
    """``X`` as a 2-D container of at least one row, values unchecked.

    A DataFrame is returned as is; anything else goes through ``check_array``
    without dtype conversion or finiteness check (sparse: CSR or CSC).
    """
    if isinstance(X, pd.DataFrame):
        n_samples = _num_samples(X)
        if n_samples < 1:
            raise ValueError(
                f"Found array with {n_samples} sample(s) (shape={X.shape}) while a "
                "minimum of 1 is required."
            )
        return X
    return check_array(X, accept_sparse=["csr", "csc"], dtype=None, ensure_all_finite=False)


def _numeric_rows(X):
    """``X`` as numbers that ``X @ v`` can project, or None when it has none.

    Numeric or boolean arrays and sparse matrices are returned as they are;
    a DataFrame whose columns are all numeric or boolean as a float array
    (missing values as NaN); anything else (strings, objects, categories,
    dates) gives None.
    """
    if isinstance(X, pd.DataFrame):
        if not all(pd.api.types.is_numeric_dtype(dtype) for dtype in X.dtypes):
            return None
        return X.to_numpy(dtype=np.float64, na_value=np.nan)
    return X if X.dtype.kind in "biuf" else None


def _weighted_size(sample_weight):
    """Rows to keep with a ``sample_weight``: its rounded sum, and never fewer
    than the rows of positive weight (so weights normalised to sum to 1 keep
    the data's size, while integer weights stay equivalent to repeated rows).
    """
    return max(round(sample_weight.sum()), int(np.count_nonzero(sample_weight)), 1)


def _class_sizes(mass, total):
    """Split ``total`` rows across classes in proportion to ``mass``.

    Largest-remainder rounding, with at least one row for every class of
    positive mass.
    """
    positive = mass > 0
    exact = total * mass / mass.sum()
    sizes = np.floor(exact).astype(np.intp)
    sizes[positive] = np.maximum(sizes[positive], 1)
    short = total - sizes.sum()
    if short > 0:
        order = np.argsort(-(exact - sizes), kind="stable")
        sizes[order[:short]] += 1
    for _ in range(-short):
        # the minimum of one row overshot the total: take from the largest class
        sizes[np.argmax(sizes)] -= 1
    return sizes


def _row_keys(X, random_state):
    """Sort keys that order the rows within a class.

    A random projection of ``X`` when it is numeric and finite, so that
    identical rows get equal keys; otherwise a random permutation.
    """
    direction = random_state.standard_normal(X.shape[1])
    numeric = _numeric_rows(X)
    if numeric is not None:
        # a NaN or infinite entry makes its row's projection NaN or infinite:
        # one check on n values, not n * n_features (an overflow falls back too)
        projection = np.asarray(numeric @ direction).ravel()
        if np.isfinite(projection).all():
            return projection
    return random_state.permutation(_num_samples(X))


def _systematic_indices(X, codes, mass, sizes, random_state):
    """Rows picked by systematic resampling within each class (in class order)."""
    order = np.lexsort((_row_keys(X, random_state), codes))
    ordered_mass = mass[order]
    ends = np.cumsum(np.bincount(codes, minlength=len(sizes)))
    offset = random_state.uniform()
    selected = []
    for start, end, size in zip(np.r_[0, ends[:-1]], ends, sizes):
        if size == 0:
            continue
        cumulative = np.cumsum(ordered_mass[start:end])
        points = (np.arange(size) + offset) * (cumulative[-1] / size)
        picked = np.searchsorted(cumulative, points, side="right")
        selected.append(order[start + np.minimum(picked, end - start - 1)])
    return np.sort(np.concatenate(selected), kind="stable")
