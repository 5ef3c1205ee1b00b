"""Class weights from class counts: weighting schemes and normalisation."""

from numbers import Real

import numpy as np

from ._sklearn_compat import Interval, StrOptions, _check_sample_weight, validate_params
from ._validation import _check_labels, _check_weights_array, _encode_labels

__all__ = ["SCHEMES", "NORMALIZATIONS", "compute_class_weights"]

#: Names of the built-in weighting schemes.
SCHEMES = ("balanced", "inverse", "inverse_sqrt", "effective_number", "log_inverse", "none")
#: Names of the normalisations (``None`` keeps raw weights).
NORMALIZATIONS = ("mean", "sum", "classes")


@validate_params(
    {
        "y": ["array-like"],
        "scheme": [StrOptions(set(SCHEMES)), dict, callable],
        "sample_weight": ["array-like", None],
        "beta": [Interval(Real, 0, 1, closed="left")],
        "normalize": [StrOptions(set(NORMALIZATIONS)), None],
        "max_ratio": [Interval(Real, 1, None, closed="left"), None],
        "classes": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def compute_class_weights(
    y,
    scheme="balanced",
    *,
    sample_weight=None,
    beta=0.999,
    normalize="mean",
    max_ratio=None,
    classes=None,
):
    """Compute one weight per class from the class counts of ``y``.

    Rarer classes get larger weights, by one of several schemes; the weights
    are then normalised so that they can stand in for ``class_weight`` or,
    per row, for ``sample_weight``.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_steps)
        Class labels of any kind. Every element of a 2-D ``y`` is counted.
    scheme : {"balanced", "inverse", "inverse_sqrt", "effective_number", \
            "log_inverse", "none"}, dict or callable, default="balanced"
        How a class count ``n_c`` becomes a raw weight ``w_c`` (``n`` samples,
        ``k`` classes):

        - ``"balanced"``: ``n / (k * n_c)``, as scikit-learn's
          ``compute_class_weight("balanced")``;
        - ``"inverse"``: ``1 / n_c``;
        - ``"inverse_sqrt"``: ``1 / sqrt(n_c)``;
        - ``"effective_number"``: ``(1 - beta) / (1 - beta ** n_c)``;
        - ``"log_inverse"``: ``1 + ln(n / n_c)``;
        - ``"none"``: ``1``;
        - dict: user weights by label; every label of ``y`` must be a key
          (extra keys are ignored, so one dict serves every CV fold);
        - callable: ``f(counts) -> weights``, both arrays aligned with the
          sorted classes.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights; class counts become sums of weights, so
        integer weights are equivalent to repeated rows.
    beta : float in [0, 1), default=0.999
        Parameter of the ``"effective_number"`` scheme.
    normalize : {"mean", "sum", "classes"} or None, default="mean"
        ``"mean"`` scales weights so that ``sum_c n_c * w_c = n`` (the mean
        sample weight is 1); ``"sum"`` so that ``sum_c w_c = 1``;
        ``"classes"`` so that ``sum_c w_c = k``; None keeps raw weights.
    max_ratio : float >= 1, default=None
        Raw weights above ``max_ratio * min(w)`` are clipped to it before the
        normalisation, which bounds how much a rare class can dominate.
    classes : array-like, default=None
        The labels, and their order, of the result. Every label of ``y`` must
        be listed; a listed label without samples gets weight 0.

    Returns
    -------
    class_weight : dict
        Mapping label -> weight, in the order of the classes.

    See Also
    --------
    ClassWeightTransformer : The same weights as a transformer of labels.
    sklearn.utils.class_weight.compute_class_weight : The ``"balanced"`` scheme.

    Notes
    -----
    Counts are computed in one vectorised pass (``np.unique`` with
    ``return_inverse`` and ``np.bincount``). Classes with a zero count are left
    out of ``k``, of the scheme and of the normalisation, and get weight 0.

    The ``"effective_number"`` scheme follows Cui et al. [1]_.

    References
    ----------
    .. [1] Y. Cui, M. Jia, T.-Y. Lin, Y. Song and S. Belongie, "Class-Balanced
       Loss Based on Effective Number of Samples", CVPR 2019.

    Examples
    --------
    >>> from skbalance.weights import compute_class_weights
    >>> y = ["cat"] * 8 + ["dog"] * 2
    >>> compute_class_weights(y)
    {'cat': 0.625, 'dog': 2.5}
    >>> compute_class_weights(y, "inverse_sqrt", normalize="sum")
    {'cat': 0.333..., 'dog': 0.666...}
    """
    y = _check_labels(y, allow_2d=True)
    classes, counts, _ = _class_counts(y, sample_weight, classes)
    weights = _weights_from_counts(
        counts, scheme, classes=classes, beta=beta, normalize=normalize, max_ratio=max_ratio
    )
    return dict(zip(classes.tolist(), weights.tolist()))


def _class_counts(y, sample_weight=None, classes=None):
    """Return ``(classes, counts, codes)`` with counts aligned with ``classes``.

    ``y`` is a checked label array; counts are float sums of ``sample_weight``
    (or plain counts) per class and ``classes[codes]`` equals ``y``.
    """
    classes, codes = _encode_labels(y, classes)
    if sample_weight is not None:
        if codes.ndim != 1:
            raise ValueError("sample_weight is only supported with a 1-D y.")
        sample_weight = _check_sample_weight(
            sample_weight, codes, dtype=np.float64, ensure_non_negative=True
        )
    counts = np.bincount(codes.ravel(), weights=sample_weight, minlength=len(classes))
    return classes, counts.astype(np.float64, copy=False), codes


def _weights_from_counts(
    counts, scheme, *, classes, beta=0.999, normalize="mean", max_ratio=None
):
    """Turn per-class counts into normalised per-class weights (an array)."""
    counts = np.asarray(counts, dtype=np.float64)
    present = counts > 0
    if not present.any():
        raise ValueError("All class counts are zero: no sample carries weight.")
    raw = np.zeros_like(counts)
    raw[present] = _raw_weights(counts, present, scheme, classes, beta)
    if max_ratio is not None:
        positive = raw[raw > 0]
        if positive.size:
            raw = np.minimum(raw, max_ratio * positive.min())
    return _normalize(raw, counts, present, normalize)


def _raw_weights(counts, present, scheme, classes, beta):
    """Raw weights of the present classes (an array as long as ``present.sum()``)."""
    if isinstance(scheme, dict):
        return _dict_weights(scheme, classes[present])
    if callable(scheme):
        weights = _check_weights_array(
            scheme(counts[present].copy()), int(present.sum()), "The callable scheme"
        )
        return weights
    n_c = counts[present]
    n, k = n_c.sum(), n_c.size
    if scheme == "balanced":
        return n / (k * n_c)
    if scheme == "inverse":
        return 1.0 / n_c
    if scheme == "inverse_sqrt":
        return 1.0 / np.sqrt(n_c)
    if scheme == "effective_number":
        if beta == 0:
            return np.ones_like(n_c)
        return (1.0 - beta) / -np.expm1(n_c * np.log(beta))
    if scheme == "log_inverse":
        return 1.0 + np.log(n / n_c)
    if scheme == "none":
        return np.ones_like(n_c)
    raise ValueError(f"Unknown weighting scheme {scheme!r}; valid schemes are {SCHEMES}.")


def _dict_weights(class_weight, labels):
    """Look the labels up in a user dict, naming any label it lacks."""
    missing = [label for label in labels.tolist() if label not in class_weight]
    if missing:
        raise ValueError(
            f"The class weight dict has no weight for the labels {missing}; "
            f"it has keys {list(class_weight)}. Give a weight for every label of y."
        )
    weights = [class_weight[label] for label in labels.tolist()]
    return _check_weights_array(weights, len(labels), "The class weight dict")


def _normalize(raw, counts, present, normalize):
    """Scale raw weights as ``normalize`` asks (see compute_class_weights)."""
    if normalize is None:
        return raw
    if normalize == "mean":
        total, target = np.dot(counts, raw), counts.sum()
    elif normalize == "sum":
        total, target = raw.sum(), 1.0
    else:
        total, target = raw.sum(), float(present.sum())
    if total <= 0:
        raise ValueError(
            "The class weights are all zero on the classes present in y, so they "
            "cannot be normalised; give at least one positive weight."
        )
    return raw * (target / total)
