"""Private checks shared by the skbalance estimators and functions."""

from numbers import Integral

import numpy as np
import pandas as pd
from scipy.sparse import issparse
from sklearn.base import is_classifier
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    column_or_1d,
    indexable,
)

from ._sklearn_compat import _check_sample_weight, validate_data


def _check_labels(y, *, allow_2d=False, name="y"):
    """Return the labels ``y`` as a NumPy array, refusing unusable labels.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_steps)
        Class labels of any hashable, orderable kind: integers, strings,
        numeric-looking strings, booleans, pandas Series or Categoricals
        (unused categories are ignored because only values are kept).
    allow_2d : bool, default=False
        Whether a 2-D array of labels (sequence labels) is accepted.
    name : str, default="y"
        Name used in error messages.

    Returns
    -------
    y : ndarray
        The labels. It may share memory with the input, so callers must not
        modify it in place.

    Raises
    ------
    ValueError
        If ``y`` is empty, has too many dimensions, or holds NaN, None or
        infinite labels.
    """
    if y is None:
        raise ValueError(
            "This estimator requires y to be passed, but the target y is None."
        )
    if isinstance(y, (pd.Series, pd.DataFrame, pd.Index)):
        y = y.to_numpy()
    y = np.asarray(y)
    if y.dtype.kind == "O" and y.ndim == 0:
        raise ValueError(f"{name} must be an array of labels, got a scalar {y!r}.")
    max_ndim = 2 if allow_2d else 1
    if y.ndim == 2 and not allow_2d and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)
    if y.ndim == 0 or y.ndim > max_ndim:
        shape = "1-D or 2-D" if allow_2d else "1-D"
        raise ValueError(
            f"{name} must be a {shape} array of labels, got an array of shape "
            f"{y.shape}. Multi-output targets are not supported."
        )
    if y.size == 0:
        raise ValueError(f"{name} is empty: at least one labelled sample is needed.")
    if y.dtype.kind in "fc":
        if not np.isfinite(y).all():
            raise ValueError(
                f"{name} contains NaN or infinite labels; drop or impute those rows."
            )
    elif y.dtype.kind == "O":
        if pd.isna(y).any():
            raise ValueError(
                f"{name} contains missing labels (NaN or None); drop those rows."
            )
        # float('inf') inside an object array escapes the float check above
        if ((y == np.inf) | (y == -np.inf)).any():
            raise ValueError(f"{name} contains infinite labels; drop those rows.")
    return y


def _unique_labels(y):
    """``np.unique(y, return_inverse=True)`` with a clear error for mixed types."""
    if y.dtype.kind in "iu":
        found = _unique_small_range_ints(y)
        if found is not None:
            return found
    try:
        classes, codes = np.unique(y, return_inverse=True)
    except TypeError as exc:
        kinds = sorted({type(label).__name__ for label in y.ravel()[:1000]})
        raise TypeError(
            f"Labels mix types that cannot be ordered ({', '.join(kinds)}); "
            "convert them to one type, e.g. y.astype(str)."
        ) from exc
    return classes, codes.reshape(y.shape)


def _unique_small_range_ints(y):
    """``np.unique(y, return_inverse=True)`` for integers by counting, or None.

    Integer labels usually span a range no wider than the number of samples;
    a bincount over that range is O(n) where np.unique sorts in O(n log n).
    Returns None when the range is too wide for the count table.
    """
    low, high = y.min(), y.max()
    span = int(high) - int(low) + 1
    if span > max(y.size, 1024):
        return None
    # the shifted labels lie in [0, span): exact in int64 whatever the input type
    if y.dtype.itemsize < 8:
        shifted = y.astype(np.int64) - int(low)
    else:
        shifted = (y - low).astype(np.int64, copy=False)
    present = np.bincount(shifted.ravel(), minlength=span) > 0
    offsets = np.flatnonzero(present)
    if y.dtype.itemsize < 8:
        classes = (offsets + int(low)).astype(y.dtype)
    else:
        classes = offsets.astype(y.dtype) + low
    codes = (np.cumsum(present) - 1).astype(np.intp, copy=False)[shifted]
    return classes, codes


def _encode_labels(y, classes=None, *, unknown="raise"):
    """Encode labels as indices into ``classes`` in one vectorised pass.

    Parameters
    ----------
    y : ndarray
        Labels, as returned by :func:`_check_labels`.
    classes : array-like or None
        Known labels, in the order the codes refer to. None means the sorted
        unique labels of ``y``.
    unknown : {"raise", "code"}, default="raise"
        What a label not in ``classes`` gets: an error, or the code -1.

    Returns
    -------
    classes : ndarray
        The labels the codes index.
    codes : ndarray of int, same shape as ``y``
        ``classes[codes]`` equals ``y`` (where the code is not -1).

    Raises
    ------
    ValueError
        If ``y`` holds labels that are not in ``classes`` and ``unknown`` is
        ``"raise"``; the message names them.
    """
    uniques, codes = _unique_labels(y)
    if classes is None:
        return uniques, codes
    classes = np.asarray(classes)
    if len(set(classes.tolist())) != classes.size:
        raise ValueError(f"classes contains duplicate labels: {classes.tolist()}.")
    position = {label: i for i, label in enumerate(classes.tolist())}
    positions = [position.get(label) for label in uniques.tolist()]
    missing = [label for label, pos in zip(uniques.tolist(), positions) if pos is None]
    if missing and unknown == "raise":
        raise ValueError(
            f"y contains labels not seen in fit or not in classes: {missing}. "
            f"Known labels: {classes.tolist()}."
        )
    positions = [-1 if pos is None else pos for pos in positions]
    return classes, np.asarray(positions, dtype=np.intp)[codes]


def _align_columns(proba, columns, classes):
    """Place ``proba``'s columns, labelled ``columns``, under ``classes``.

    Classes missing from ``columns`` (unseen by an inner estimator, e.g. after
    a sampler or a CV split dropped them) get probability zero.
    """
    columns = np.asarray(columns)
    if np.array_equal(columns, classes):
        return proba
    _, positions = _encode_labels(columns, classes)
    full = np.zeros((proba.shape[0], len(classes)))
    full[:, positions] = proba
    return full


def _check_weights_array(weights, n_classes, source):
    """Check per-class weights are a finite, non-negative float vector."""
    try:
        weights = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{source} must give numeric class weights: {exc}") from exc
    if weights.shape != (n_classes,):
        raise ValueError(
            f"{source} must give one weight per class ({n_classes}), "
            f"got shape {weights.shape}."
        )
    if not np.isfinite(weights).all():
        raise ValueError(f"{source} gave non-finite class weights: {weights.tolist()}.")
    if (weights < 0).any():
        raise ValueError(f"{source} gave negative class weights: {weights.tolist()}.")
    return weights


def _check_X(estimator, X, *, reset):
    """Check the shape and feature names of ``X`` without converting it.

    For meta-estimators whose inner estimators validate the values: a
    DataFrame or sparse matrix is passed on untouched, and an array is never
    copied.

    Parameters
    ----------
    estimator : BaseEstimator
        The meta-estimator; ``n_features_in_`` and ``feature_names_in_`` are
        set on it when ``reset`` is True, checked against ``X`` otherwise.
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        The samples.
    reset : bool
        True in ``fit``, False in the methods called after it.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D, or its features differ from those seen in ``fit``.
    """
    if not (hasattr(X, "iloc") or issparse(X)):
        check_array(X, accept_sparse=True, ensure_all_finite=False, dtype=None)
    validate_data(estimator, X, reset=reset, skip_check_array=True)


def _check_classifier(estimator, name):
    """Raise a TypeError unless ``estimator`` is a scikit-learn classifier."""
    if not is_classifier(estimator):
        raise TypeError(
            f"{name} must be a scikit-learn classifier (a ClassifierMixin with "
            f"fit and predict), got {type(estimator).__name__}."
        )


def _check_at_least_two_classes(classes, what="y"):
    """Raise a ValueError when fewer than two classes are present."""
    if len(classes) < 2:
        raise ValueError(
            f"{what} contains only one class ({classes.tolist()}); a classifier "
            "needs samples of at least two classes."
        )


def _check_two_weighted_classes(classes, counts):
    """Refuse targets where fewer than two classes carry positive (weighted) counts."""
    _check_at_least_two_classes(classes)
    if (counts > 0).sum() < 2:
        raise ValueError(
            f"Only one class carries a positive sample_weight "
            f"({classes[counts > 0].tolist()}); a classifier needs at least two "
            "classes with positive weight."
        )


def _as_seed(random_state):
    """An int (or None) standing for ``random_state``, drawn once.

    Inner estimators and samplers are seeded with it, so a ``RandomState``
    instance gives every one of them the same seed rather than a stream.
    """
    if random_state is None or isinstance(random_state, Integral):
        return random_state
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def _check_fit_input(estimator, X, y, sample_weight=None):
    """The checks every meta-classifier runs at the start of ``fit``.

    Sets ``n_features_in_`` and ``feature_names_in_`` on ``estimator`` (see
    :func:`_check_X`; ``X`` itself is left to the inner estimators), checks
    and encodes the labels, requires two classes and checks ``sample_weight``.

    Parameters
    ----------
    estimator : BaseEstimator
        The meta-classifier being fitted.
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,)
        Class labels.
    sample_weight : array-like of shape (n_samples,) or None
        Non-negative sample weights.

    Returns
    -------
    X : indexable
        ``X`` itself, or a list turned into an array.
    y : ndarray of shape (n_samples,)
        The labels.
    classes : ndarray of shape (n_classes,)
        Sorted distinct labels.
    codes : ndarray of shape (n_samples,)
        ``classes[codes]`` equals ``y``.
    sample_weight : ndarray of shape (n_samples,) or None
        float64 weights.
    """
    _check_X(estimator, X, reset=True)
    (X,) = indexable(X)
    y = _check_labels(y)
    check_classification_targets(y)
    check_consistent_length(X, y)
    classes, codes = _encode_labels(y)
    _check_at_least_two_classes(classes)
    if sample_weight is not None:
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=np.float64, ensure_non_negative=True
        )
    return X, y, classes, codes, sample_weight
