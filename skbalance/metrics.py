"""Cost-sensitive metrics: the mean cost of decisions under a cost matrix."""

from numbers import Real

import numpy as np
from sklearn.metrics import make_scorer

from ._sklearn_compat import validate_params
from ._validation import _check_labels, _encode_labels

#: Recall substituted for a zero recall in the G-mean (imbalanced-learn's
#: ``correction``), so that one missed class lowers the score instead of
#: zeroing it.
GMEAN_CORRECTION = 0.001

__all__ = ["expected_cost", "make_cost_scorer"]


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "cost_matrix": ["array-like", dict],
        "labels": ["array-like", None],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def expected_cost(y_true, y_pred, cost_matrix, *, labels=None, sample_weight=None):
    """Mean cost of the predictions ``y_pred`` under a cost matrix.

    Each prediction costs the entry of the cost matrix for its true and its
    predicted label, so that errors on a rare class can cost more than
    errors on a common one.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    cost_matrix : array-like of shape (n_labels, n_labels) or dict
        ``cost_matrix[i, j]`` is the cost of predicting ``labels[j]`` when the
        truth is ``labels[i]``; or a dict ``{true_label: {predicted_label:
        cost}}`` naming every pair of distinct labels (a missing diagonal
        entry costs 0). Costs are finite and non-negative.
    labels : array-like of shape (n_labels,), default=None
        The labels the rows and columns of ``cost_matrix`` refer to. None
        means the labels of a dict ``cost_matrix``, or the sorted labels of
        ``y_true`` and ``y_pred`` together for an array (which must then
        have one row per label found).
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights: the result is the weighted mean cost.

    Returns
    -------
    cost : float
        Mean cost per sample (lower is better).

    See Also
    --------
    make_cost_scorer : The same as a scikit-learn scorer.
    skbalance.decision.CostSensitiveClassifier : Predicts the class of least
        expected cost.

    Examples
    --------
    >>> from skbalance.metrics import expected_cost
    >>> cost = {"ill": {"healthy": 10.0}, "healthy": {"ill": 1.0}}
    >>> expected_cost(["ill", "healthy", "healthy"], ["healthy", "healthy", "ill"], cost)
    3.666...
    """
    y_true = _check_labels(y_true, name="y_true")
    y_pred = _check_labels(y_pred, name="y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred have different lengths ({y_true.shape[0]} and "
            f"{y_pred.shape[0]})."
        )
    labels = _cost_labels(cost_matrix, labels, y_true, y_pred)
    cost = _check_cost_matrix(cost_matrix, labels)
    true_codes = _encode_labels(y_true, labels)[1]
    pred_codes = _encode_labels(y_pred, labels)[1]
    return _mean_cost(cost, true_codes, pred_codes, sample_weight)


@validate_params(
    {"cost_matrix": ["array-like", dict], "labels": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def make_cost_scorer(cost_matrix, *, labels=None):
    """A scikit-learn scorer of the negative mean cost of predictions.

    Greater is better, as for every scikit-learn scorer: the score is minus
    :func:`expected_cost` of ``estimator.predict(X)``. Usable as ``scoring``
    in ``GridSearchCV``, ``cross_val_score`` and
    :class:`~skbalance.decision.TunedDecisionClassifierCV`.

    Parameters
    ----------
    cost_matrix : array-like of shape (n_labels, n_labels) or dict
        The costs, as in :func:`expected_cost`. Checked now, so that a bad
        matrix fails before any fit.
    labels : array-like of shape (n_labels,), default=None
        The labels of the rows and columns of an array ``cost_matrix``. Give
        them when a test fold may miss a class: without them, the labels are
        those found in each fold's ``y_true`` and ``y_pred``.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y_true, sample_weight=None)``.

    See Also
    --------
    expected_cost : The metric itself.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from skbalance.metrics import make_cost_scorer
    >>> X, y = make_classification(n_samples=200, weights=[0.9, 0.1], random_state=0)
    >>> scorer = make_cost_scorer([[0, 1], [10, 0]], labels=[0, 1])
    >>> scores = cross_val_score(LogisticRegression(), X, y, scoring=scorer)
    >>> bool(np.all(scores <= 0))
    True
    """
    if labels is not None:
        labels = _check_labels(labels, name="labels")
        _check_cost_matrix(cost_matrix, labels)
    elif isinstance(cost_matrix, dict):
        _check_cost_matrix(cost_matrix, _dict_labels(cost_matrix))
    else:
        _check_square(_as_float_matrix(cost_matrix))
    return make_scorer(
        expected_cost, greater_is_better=False, cost_matrix=cost_matrix, labels=labels
    )


def _confusion_scores(true, pred, n_classes, metrics, sample_weight=None):
    """Per-class recall and ``metrics`` of class codes, over the classes present in ``true``.

    Parameters
    ----------
    true, pred : ndarray of shape (n_samples,)
        Class indices 0..n_classes-1; a negative ``pred`` (a label the
        classes do not hold) counts as an error for every class.
    n_classes : int
        Number of classes.
    metrics : collection of str
        Among ``"f1_macro"`` (``zero_division=0``), ``"balanced_accuracy"``
        (mean recall) and ``"gmean"`` (geometric mean of the recalls, a zero
        recall counted as ``GMEAN_CORRECTION``, as imbalanced-learn's
        ``correction``).
    sample_weight : ndarray of shape (n_samples,), default=None
        Weights of the rows.

    Returns
    -------
    recall : ndarray of shape (n_classes,)
        Recall of each class, NaN for a class absent from ``true``.
    scores : dict of str -> float
        The value of each of ``metrics``.
    """
    weights = np.ones(len(true)) if sample_weight is None else np.asarray(sample_weight)
    support = np.bincount(true, weights=weights, minlength=n_classes)
    hit = true == pred
    hits = np.bincount(true[hit], weights=weights[hit], minlength=n_classes)
    known = pred >= 0
    predicted = np.bincount(pred[known], weights=weights[known], minlength=n_classes)
    present = support > 0
    recall = np.full(n_classes, np.nan)
    recall[present] = hits[present] / support[present]
    scores = {}
    if "f1_macro" in metrics:
        scores["f1_macro"] = float(np.mean(2 * hits[present] / (support + predicted)[present]))
    if "balanced_accuracy" in metrics:
        scores["balanced_accuracy"] = float(np.mean(recall[present]))
    if "gmean" in metrics:
        corrected = np.where(recall[present] == 0, GMEAN_CORRECTION, recall[present])
        scores["gmean"] = float(np.exp(np.mean(np.log(corrected))))
    return recall, scores


def _mean_cost(cost, true_codes, pred_codes, sample_weight=None):
    """(Weighted) mean of ``cost[true, pred]`` over the samples."""
    return float(np.average(cost[true_codes, pred_codes], weights=sample_weight))


def _cost_labels(cost_matrix, labels, y_true, y_pred):
    """The labels the cost matrix refers to (see ``expected_cost``)."""
    if labels is not None:
        return _check_labels(labels, name="labels")
    if isinstance(cost_matrix, dict):
        return _dict_labels(cost_matrix)
    found = _encode_labels(np.concatenate([y_true, y_pred]))[0]
    size = _as_float_matrix(cost_matrix).shape[0]
    if found.size != size:
        raise ValueError(
            f"cost_matrix has {size} rows but y_true and y_pred hold {found.size} "
            f"labels ({found.tolist()}); pass labels= to say which label each row "
            "and column is."
        )
    return found


def _dict_labels(cost_matrix):
    """Sorted labels named by a dict cost matrix, as keys or inner keys."""
    named = list(cost_matrix)
    for row in cost_matrix.values():
        if not isinstance(row, dict):
            raise ValueError(
                "A dict cost_matrix maps each true label to a dict "
                f"{{predicted_label: cost}}; got a value {row!r}."
            )
        named.extend(row)
    return _encode_labels(np.asarray(named))[0]


def _as_float_matrix(cost_matrix):
    """``cost_matrix`` (not a dict) as a float64 array, or a clear error."""
    try:
        return np.asarray(cost_matrix, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"cost_matrix must hold numbers: {exc}") from exc


def _check_square(cost):
    """Refuse a matrix that is not square or holds NaN, inf or negative costs."""
    if cost.ndim != 2 or cost.shape[0] != cost.shape[1]:
        raise ValueError(f"cost_matrix must be a square 2-D array, got shape {cost.shape}.")
    if not np.isfinite(cost).all():
        raise ValueError("cost_matrix contains NaN or infinite costs; every cost must be finite.")
    if (cost < 0).any():
        rows, cols = np.nonzero(cost < 0)
        raise ValueError(
            "cost_matrix contains negative costs (at [true, predicted] "
            f"{list(zip(rows.tolist(), cols.tolist()))}); costs must be >= 0."
        )
    return cost


def _check_cost_matrix(cost_matrix, classes):
    """A cost matrix as a checked float64 array aligned with ``classes``.

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes) or dict
        ``cost_matrix[i, j]`` is the cost of predicting ``classes[j]`` when
        the truth is ``classes[i]``; or ``{true_label: {predicted_label:
        cost}}``, which must name every pair of distinct classes (missing
        diagonal entries cost 0) and no other label.
    classes : ndarray of shape (n_classes,)
        The labels, in order.

    Returns
    -------
    cost : ndarray of shape (n_classes, n_classes)
        The costs.

    Raises
    ------
    ValueError
        For a wrong shape, NaN, infinite or negative costs, or a dict that
        misses pairs or names unknown labels; the message names them.
    """
    classes = np.asarray(classes)
    if not isinstance(cost_matrix, dict):
        cost = _check_square(_as_float_matrix(cost_matrix))
        if cost.shape[0] != classes.size:
            raise ValueError(
                f"cost_matrix must have one row and one column per class "
                f"({classes.size}: {classes.tolist()}), got shape {cost.shape}."
            )
        return cost
    return _check_square(_dict_to_matrix(cost_matrix, classes))


def _dict_to_matrix(cost_matrix, classes):
    """The array of a dict cost matrix, naming missing pairs and unknown labels."""
    position = {label: i for i, label in enumerate(classes.tolist())}
    unknown = sorted(
        {str(label) for label in _dict_labels(cost_matrix).tolist() if label not in position}
    )
    if unknown:
        raise ValueError(
            f"cost_matrix names labels that are not classes: {unknown}. "
            f"Classes: {classes.tolist()}."
        )
    cost = np.zeros((classes.size, classes.size))
    given = np.eye(classes.size, dtype=bool)
    for true, row in cost_matrix.items():
        for pred, value in row.items():
            if not isinstance(value, Real):
                raise ValueError(
                    f"cost_matrix[{true!r}][{pred!r}] must be a number, got {value!r}."
                )
            cost[position[true], position[pred]] = value
            given[position[true], position[pred]] = True
    missing = [(classes[i].item(), classes[j].item()) for i, j in zip(*np.nonzero(~given))]
    if missing:
        raise ValueError(
            f"cost_matrix gives no cost for the (true, predicted) pairs {missing}; "
            "name every pair of distinct classes."
        )
    return cost
