"""ClassWeightResampler: a weighting scheme applied by resampling rows."""

from numbers import Integral

import numpy as np
from imblearn.base import BaseSampler
from sklearn.utils import check_random_state

from ._sklearn_compat import (
    Interval,
    _check_sample_weight,
    _safe_indexing,
    _validate_params,
)
from ._validation import _encode_labels
from .transformer import _WEIGHTING_CONSTRAINT, _as_transformer

__all__ = ["ClassWeightResampler"]


class ClassWeightResampler(BaseSampler):
    """Resample each class to the size its class weight implies.

    Class ``c`` with ``n_c`` rows and weight ``w_c`` gets
    ``m_c ∝ n_c * w_c`` rows, so a model trained on the result sees the same
    class balance as a model trained with those weights as ``sample_weight``.
    This gives the weighting to classifiers whose ``fit`` has no
    ``sample_weight`` (k-nearest neighbours, MLP, ...).

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

    def fit_resample(self, X, y, sample_weight=None):
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Features.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the rows; a row's chance to be kept grows
            with its weight.

        Returns
        -------
        X_resampled : {ndarray, dataframe, sparse matrix} of shape (n_resampled, n_features)
            The selected rows.
        y_resampled : ndarray or Series of shape (n_resampled,)
            Their labels.
        """
        return super().fit_resample(X, y, sample_weight=sample_weight)

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
        return tags


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


def _systematic_indices(X, codes, mass, sizes, random_state):
    """Rows picked by systematic resampling within each class (in class order)."""
    projection = np.asarray(X @ random_state.standard_normal(X.shape[1])).ravel()
    order = np.lexsort((projection, codes))
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
