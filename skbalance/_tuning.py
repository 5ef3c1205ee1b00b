"""Private: the decision rule tuned on pooled out-of-fold probabilities.

argmax_c log p_c + offset_c, with the offsets of one prior power τ
(post-hoc logit adjustment, Menon et al. 2021) or per-class ones shrunk
toward it, and the metrics the tuning maximises. Shared by
:class:`~skbalance.decision.TunedDecisionClassifierCV` and
:class:`~skbalance.BalancedClassifierCV`; nothing here fits a model.
"""

import inspect
from typing import NamedTuple

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import get_scorer
from sklearn.utils import check_random_state

from .metrics import _check_cost_matrix, _confusion_scores, _mean_cost

#: The grid of the prior power τ: 0 (as trained) to 2 in steps of 0.05.
TAU_GRID = np.round(np.linspace(0.0, 2.0, 41), 2)
#: Moves of a per-class log-offset around the τ solution, smallest first.
_OFFSET_STEPS = np.array(
    sorted((s for s in np.arange(-2.0, 2.01, 0.25) if s != 0), key=lambda s: (abs(s), s))
)
#: Penalty on the score per unit of |log-offset - τ solution| (shrinkage).
_OFFSET_PENALTY = 0.005
#: Sweeps of the coordinate ascent over the classes.
_OFFSET_SWEEPS = 3
#: Metrics computed directly from the confusion matrix of class indices.
_BUILTIN_METRICS = ("f1_macro", "balanced_accuracy", "gmean")


class _Decision(NamedTuple):
    """A tuned decision: ``argmax_c (log p_c + class_offset[c])``."""

    tau: float
    class_offset: np.ndarray
    best_score: float
    cv_results: dict


def _decide(proba, class_offset):
    """Class indices ``argmax_c (log proba[:, c] + class_offset[c])`` (log 0 = -inf)."""
    with np.errstate(divide="ignore"):
        scores = np.log(proba)
    scores += class_offset
    return np.argmax(scores, axis=1)


def _tune_decision(
    proba,
    codes,
    prior,
    *,
    scoring="f1_macro",
    method="prior_power",
    classes=None,
    sample_weight=None,
    random_state=None,
):
    """Tune the decision offsets on pooled out-of-fold probabilities.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, n_classes)
        Out-of-fold probabilities, columns aligned with ``classes``.
    codes : ndarray of shape (n_samples,)
        True class indices 0..n_classes-1.
    prior : ndarray of shape (n_classes,)
        The training class prior (sums to 1); a class with prior 0 gets no
        offset from τ.
    scoring, method
        As in :class:`TunedDecisionClassifierCV`.
    classes : ndarray of shape (n_classes,), default=None
        The labels (for scorers, metrics and dict cost matrices); None means
        ``0..n_classes-1``.
    sample_weight : ndarray of shape (n_samples,), default=None
        Weights of the rows in the scores.
    random_state : int, RandomState instance or None, default=None
        Order of the classes in the per-class sweeps.

    Returns
    -------
    decision : _Decision
        ``tau``, ``class_offset`` (ndarray of shape (n_classes,)),
        ``best_score`` and ``cv_results`` (``{"tau": grid, "score": scores}``).
    """
    proba = np.asarray(proba, dtype=np.float64)
    codes = np.asarray(codes)
    classes = np.arange(proba.shape[1]) if classes is None else np.asarray(classes)
    metric = _metric(scoring, classes)
    with np.errstate(divide="ignore"):
        log_proba = np.log(proba)
        log_prior = np.log(np.asarray(prior, dtype=np.float64))
    log_prior[~np.isfinite(log_prior)] = 0.0

    def score(offset):
        return metric(codes, np.argmax(log_proba + offset, axis=1), sample_weight)

    scores = np.array([score(-tau * log_prior) for tau in TAU_GRID])
    best = np.flatnonzero(scores >= np.max(scores) - 1e-12)
    chosen = best[len(best) // 2]
    tau = float(TAU_GRID[chosen])
    offset, best_score = -tau * log_prior, float(scores[chosen])
    if method == "per_class":
        offset = _per_class_offsets(
            log_proba, codes, offset, metric, sample_weight, check_random_state(random_state)
        )
        best_score = float(score(offset))
    return _Decision(tau, offset, best_score, {"tau": TAU_GRID.copy(), "score": scores})


def _cross_fitted_scores(proba, codes, prior, folds, *, scoring="f1_macro", classes=None):
    """Scores of the untuned and of the cross-fitted tuned decision on pooled probabilities.

    The honest check of a tuned decision: the τ of each fold is tuned on
    the other folds' rows of ``proba`` and decides that fold's rows; the
    pooled predictions are scored once. No model is fitted.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, n_classes)
        Pooled out-of-fold probabilities, columns aligned with ``classes``.
    codes : ndarray of shape (n_samples,)
        True class indices 0..n_classes-1.
    prior : ndarray of shape (n_classes,)
        The training class prior.
    folds : list of (train, test) index arrays
        Folds whose test sets hold every row exactly once.
    scoring : str, callable or cost matrix, default="f1_macro"
        As in :func:`_tune_decision`.
    classes : ndarray of shape (n_classes,), default=None
        The labels; None means ``0..n_classes-1``.

    Returns
    -------
    untuned, tuned : float
        The score of ``argmax proba`` and that of the cross-fitted decision.
    """
    codes = np.asarray(codes)
    classes = np.arange(proba.shape[1]) if classes is None else np.asarray(classes)
    metric = _metric(scoring, classes)
    tuned = np.empty_like(codes)
    for train, test in folds:
        decision = _tune_decision(proba[train], codes[train], prior, scoring=scoring, classes=classes)
        tuned[test] = _decide(proba[test], decision.class_offset)
    untuned = metric(codes, np.argmax(proba, axis=1), None)
    return float(untuned), float(metric(codes, tuned, None))


def _per_class_offsets(log_proba, codes, anchor, metric, sample_weight, rng):
    """Coordinate ascent on per-class log-offsets, shrunk toward ``anchor``.

    Changing the offset of class ``c`` only moves rows between ``c`` and
    their best other class, so each candidate costs O(n_samples).
    """
    offset = anchor.copy()
    rows = np.arange(log_proba.shape[0])

    def objective(pred, trial):
        return metric(codes, pred, sample_weight) - _OFFSET_PENALTY * np.abs(trial - anchor).sum()

    current = objective(np.argmax(log_proba + offset, axis=1), offset)
    for _ in range(_OFFSET_SWEEPS):
        moved = False
        for c in rng.permutation(log_proba.shape[1]):
            others = log_proba + offset
            others[:, c] = -np.inf
            rival = np.argmax(others, axis=1)
            rival_score = others[rows, rival]
            best_value, best = offset[c], current
            for step in _OFFSET_STEPS:
                trial = offset.copy()
                trial[c] = anchor[c] + step
                pred = np.where(log_proba[:, c] + trial[c] > rival_score, c, rival)
                value = objective(pred, trial)
                if value > best + 1e-12:
                    best_value, best = trial[c], value
            if best_value != offset[c]:
                offset[c], current, moved = best_value, best, True
        if not moved:
            break
    return offset


def _metric(scoring, classes):
    """``scoring`` as ``metric(true_codes, pred_codes, sample_weight) -> float``.

    Greater is better; a cost matrix gives minus the mean cost.
    """
    if isinstance(scoring, str):
        if scoring in _BUILTIN_METRICS:
            return lambda true, pred, sw: _confusion_metric(scoring, true, pred, sw, len(classes))
        return _scorer_metric(get_scorer(scoring), scoring, classes)
    if callable(scoring):
        if _takes_estimator(scoring):
            return _scorer_metric(scoring, scoring, classes)
        return _label_metric(scoring, classes)
    cost = _check_cost_matrix(scoring, classes)
    return lambda true, pred, sw: -_mean_cost(cost, true, pred, sw)


def _confusion_metric(name, true, pred, sample_weight, n_classes):
    """Macro-F1, balanced accuracy or G-mean over the classes present in ``true``."""
    return _confusion_scores(true, pred, n_classes, (name,), sample_weight)[1][name]


def _takes_estimator(func):
    """Whether a callable is a scorer ``(estimator, X, y)`` rather than a metric."""
    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return False
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    required = [p for p in parameters if p.kind in kinds and p.default is p.empty]
    return len(required) >= 3


def _label_metric(metric, classes):
    """A user metric ``metric(y_true, y_pred[, sample_weight])`` on labels."""
    weighted = "sample_weight" in inspect.signature(metric).parameters

    def score(true, pred, sample_weight):
        if weighted and sample_weight is not None:
            return float(metric(classes[true], classes[pred], sample_weight=sample_weight))
        return float(metric(classes[true], classes[pred]))

    return score


def _scorer_metric(scorer, name, classes):
    """A scikit-learn scorer called on a stand-in classifier with fixed predictions."""

    def score(true, pred, sample_weight):
        stand_in = _FixedPredictions(classes, classes[pred])
        placeholder = np.zeros((true.size, 1))
        kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        try:
            return float(scorer(stand_in, placeholder, classes[true], **kwargs))
        except AttributeError as exc:
            raise ValueError(
                f"scoring={name!r} needs probabilities or decision scores, which the "
                "tuned decision does not change; use a metric of predicted labels "
                "(e.g. 'f1_macro', 'balanced_accuracy', 'gmean') or a cost matrix."
            ) from exc

    return score


class _FixedPredictions(ClassifierMixin, BaseEstimator):
    """A stand-in classifier whose ``predict`` returns given labels (to call scorers)."""

    def __init__(self, classes=None, y_pred=None):
        self.classes = classes
        self.y_pred = y_pred

    def __sklearn_is_fitted__(self):
        return True

    @property
    def classes_(self):
        return self.classes

    def predict(self, X):
        return self.y_pred
