"""ClassWeightResampler: a weighting scheme applied by resampling rows."""

from numbers import Integral

import numpy as np
from imblearn.base import BaseSampler
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from ._validation import _encode_labels
from .transformer import ClassWeightTransformer, _as_transformer
from .weights import SCHEMES

__all__ = ["ClassWeightResampler"]


class ClassWeightResampler(BaseSampler):
    """Resample each class to the size its class weight implies.

    Class ``c`` with ``n_c`` rows and weight ``w_c`` gets
    ``m_c ∝ n_c * w_c`` rows, so a model trained on the result sees the same
    class balance as a model trained with those weights as ``sample_weight``.
    Classes that grow keep all their rows plus rows drawn with replacement;
    classes that shrink are drawn without replacement. This gives the
    weighting to classifiers whose ``fit`` has no ``sample_weight``
    (k-nearest neighbours, MLP, ...).

    Parameters
    ----------
    weighting : {"balanced", "inverse", "inverse_sqrt", "effective_number", \
            "log_inverse", "none"}, dict, callable, ClassWeightTransformer \
            or None, default="balanced"
        Weighting scheme, see :func:`skbalance.weights.compute_class_weights`.
        None leaves the data as it is.
    n_samples : int, default=None
        Number of rows after resampling; None keeps the number of rows of
        ``y``.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws.

    Attributes
    ----------
    sampling_strategy_ : dict
        Mapping label -> number of rows after resampling.
    class_weight_ : dict
        Mapping label -> class weight the sizes derive from.
    sample_indices_ : ndarray of shape (n_resampled,)
        Indices of the selected rows in the input.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen in ``fit_resample``, when they are strings.

    See Also
    --------
    ClassWeightTransformer : The weights themselves.
    imblearn.over_sampling.RandomOverSampler : Over-sampling to equal sizes.

    Notes
    -----
    Sizes are ``m_c = N * n_c w_c / sum_j n_j w_j`` rounded by the largest
    remainder method so they add up to ``N`` exactly; a class with a positive
    weight always keeps at least one row, a class with weight 0 is dropped.

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
        "weighting": [
            StrOptions(set(SCHEMES)),
            dict,
            callable,
            ClassWeightTransformer,
            None,
        ],
        "n_samples": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(self, weighting="balanced", *, n_samples=None, random_state=None):
        self.weighting = weighting
        self.n_samples = n_samples
        self.random_state = random_state

    def _fit_resample(self, X, y):
        classes, codes = _encode_labels(np.asarray(y))
        transformer = _as_transformer(self.weighting).fit(y)
        self.class_weight_ = transformer.class_weight_
        counts = transformer.class_counts_
        sizes = _class_sizes(
            counts * transformer.to_array(),
            len(y) if self.n_samples is None else self.n_samples,
        )
        self.sampling_strategy_ = dict(zip(classes.tolist(), sizes.tolist()))
        self.sample_indices_ = _draw_indices(
            codes, counts.astype(np.intp), sizes, check_random_state(self.random_state)
        )
        return (
            _safe_indexing(X, self.sample_indices_),
            _safe_indexing(y, self.sample_indices_),
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        return tags


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


def _draw_indices(codes, counts, sizes, random_state):
    """Row indices giving each class ``sizes[c]`` rows (in class order)."""
    rows_by_class = np.split(np.argsort(codes, kind="stable"), np.cumsum(counts)[:-1])
    selected = []
    for rows, size in zip(rows_by_class, sizes):
        if size >= rows.size:
            selected.append(rows)
            selected.append(random_state.choice(rows, size - rows.size, replace=True))
        else:
            selected.append(np.sort(random_state.choice(rows, size, replace=False)))
    return np.concatenate(selected)
