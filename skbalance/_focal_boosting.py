"""Private: the focal loss as LightGBM and XGBoost custom objectives and metrics.

The public names are re-exported by :mod:`skbalance.focal`; the boosting
libraries themselves are never imported (they call these functions).
"""

from numbers import Real

import numpy as np
from scipy.special import expit, softmax

from ._focal_loss import _focal_grad_hess, _focal_loss_scale, _true_class_log_proba
from ._sklearn_compat import Interval, _check_sample_weight, validate_params
from ._validation import _check_weights_array

__all__ = [
    "HESSIAN_FLOOR",
    "focal_proba",
    "lightgbm_metric",
    "lightgbm_objective",
    "xgboost_metric",
    "xgboost_objective",
]

#: Smallest Hessian the boosting objectives return (before sample weights).
HESSIAN_FLOOR = 1e-6

#: Parameter constraints shared by the four objective and metric factories.
_FOCAL_PARAMS = {
    "gamma": [Interval(Real, 0, None, closed="left")],
    "alpha": ["array-like", None],
}


@validate_params(_FOCAL_PARAMS, prefer_skip_nested_validation=True)
def lightgbm_objective(gamma=2.0, alpha=None):
    """Return the focal loss as a LightGBM custom objective.

    The focal loss of Lin et al. (2017) scales the cross-entropy of each
    sample by ``(1 - p_t) ** gamma``, ``p_t`` the probability of its true
    class, so that boosting concentrates on the samples the model gets wrong
    (often those of the rare classes). The callable gives LightGBM the
    gradient and Hessian of that loss.

    Parameters
    ----------
    gamma : float >= 0, default=2.0
        Focusing parameter of the focal loss; ``0`` gives the cross-entropy.
    alpha : array-like of shape (n_classes,), default=None
        Class weights aligned with the class indices ``0..n_classes-1`` (the
        order of ``LGBMClassifier.classes_``). For two classes, the
        ``alpha_t`` of Lin et al. is ``alpha=[1 - a, a]``. None means 1.

    Returns
    -------
    objective : callable
        ``objective(y_true, raw_scores, sample_weight=None) -> (grad, hess)``,
        for ``LGBMClassifier(objective=objective)`` or, in the Booster API,
        ``lightgbm.train({"objective": objective, ...}, train_set)`` (which
        calls ``objective(raw_scores, train_set)``; labels and weights are then
        read from the ``Dataset``). ``raw_scores`` is of shape ``(n,)`` for
        two classes (the score of class 1, a sigmoid model) and ``(n, k)``
        for ``k`` classes (a softmax model); ``grad`` and ``hess`` have its
        shape. The callable pickles, so the fitted model does too.

    See Also
    --------
    lightgbm_metric : The matching evaluation metric.
    focal_proba : Probabilities from the raw scores of the fitted model.
    xgboost_objective : The same objective for XGBoost.
    FocalLossClassifier : A linear model on the focal loss.

    Notes
    -----
    ``grad`` is the exact derivative of ``alpha_y * s * focal_loss`` with
    respect to the raw scores (``s`` the sample weight), and ``hess`` the
    exact diagonal of its Hessian, computed from log-probabilities so that
    both stay finite for any score and ``gamma``. Unlike the cross-entropy,
    the focal loss is not convex: its second derivative is negative for badly
    misclassified samples (``p`` of the true class below about 0.1 for
    ``gamma=2``) and vanishes as ``p -> 1``. Tree boosting sets each leaf to
    the Newton step ``-sum(grad) / sum(hess)``, which a zero or negative
    Hessian sum would make infinite or point uphill, so ``hess`` is floored
    at ``HESSIAN_FLOOR`` (1e-6, before the weights are applied); LightGBM's
    ``min_sum_hessian_in_leaf`` then keeps leaves from being made of such
    samples alone.

    With a custom objective, ``LGBMClassifier.predict_proba`` returns raw
    scores (with a warning): use ``focal_proba(clf.predict_proba(X,
    raw_score=True))`` for probabilities.

    Examples
    --------
    >>> import numpy as np
    >>> from skbalance.focal import lightgbm_objective
    >>> objective = lightgbm_objective(gamma=2.0)
    >>> grad, hess = objective(np.array([0, 2, 1]), np.zeros((3, 3)))
    >>> grad.shape, hess.shape
    ((3, 3), (3, 3))
    >>> bool((hess > 0).all())
    True

    With LightGBM installed:

    >>> from lightgbm import LGBMClassifier  # doctest: +SKIP
    >>> clf = LGBMClassifier(objective=objective, verbose=-1).fit(X, y)  # doctest: +SKIP
    >>> proba = focal_proba(clf.predict_proba(X, raw_score=True))  # doctest: +SKIP
    """
    return _FocalObjective(gamma, alpha, "lightgbm")


@validate_params(_FOCAL_PARAMS, prefer_skip_nested_validation=True)
def xgboost_objective(gamma=2.0, alpha=None):
    """Return the focal loss as an XGBoost custom objective.

    The same loss, gradient and Hessian as :func:`lightgbm_objective`, with
    the call signatures of XGBoost's scikit-learn and native APIs.

    Parameters
    ----------
    gamma : float >= 0, default=2.0
        Focusing parameter of the focal loss; ``0`` gives the cross-entropy.
    alpha : array-like of shape (n_classes,), default=None
        Class weights aligned with the class indices ``0..n_classes-1``. For
        two classes, the ``alpha_t`` of Lin et al. is ``alpha=[1 - a, a]``.
        None means 1.

    Returns
    -------
    objective : callable
        ``objective(y_true, predt, sample_weight=None) -> (grad, hess)``, for
        ``XGBClassifier(objective=objective)`` (which passes
        ``sample_weight`` when the data has weights) or
        ``xgboost.train(params, dtrain, obj=objective)`` (which calls
        ``objective(predt, dtrain)``). ``predt`` holds raw margins, of shape
        ``(n,)`` for two classes and ``(n, k)`` for ``k`` classes; ``grad``
        and ``hess`` have its shape.

    See Also
    --------
    xgboost_metric : The matching evaluation metric.
    focal_proba : Probabilities from raw margins.
    lightgbm_objective : The same objective for LightGBM, with the maths.

    Notes
    -----
    The gradient and Hessian are those of :func:`lightgbm_objective`; the
    Hessian is floored at ``HESSIAN_FLOOR`` for the Newton steps of the
    trees (see its Notes). With a custom objective ``XGBClassifier`` applies
    the sigmoid or softmax itself, so ``predict_proba`` returns probabilities;
    its ``predict(X, output_margin=True)`` gives the raw margins.

    Examples
    --------
    >>> import numpy as np
    >>> from skbalance.focal import xgboost_objective
    >>> objective = xgboost_objective(gamma=1.0, alpha=[0.25, 0.75])
    >>> grad, hess = objective(np.array([0.0, 1.0]), np.array([0.5, -0.5]))
    >>> grad.shape, hess.shape
    ((2,), (2,))

    With XGBoost installed:

    >>> from xgboost import XGBClassifier  # doctest: +SKIP
    >>> clf = XGBClassifier(objective=objective).fit(X, y)  # doctest: +SKIP
    """
    return _FocalObjective(gamma, alpha, "xgboost")


@validate_params(_FOCAL_PARAMS, prefer_skip_nested_validation=True)
def lightgbm_metric(gamma=2.0, alpha=None):
    """Return the focal loss as a LightGBM evaluation metric.

    It reports the loss that :func:`lightgbm_objective` minimises on
    LightGBM's evaluation sets, e.g. for early stopping.

    Parameters
    ----------
    gamma : float >= 0, default=2.0
        Focusing parameter, as in :func:`lightgbm_objective`.
    alpha : array-like of shape (n_classes,), default=None
        Class weights aligned with the class indices, as in
        :func:`lightgbm_objective`.

    Returns
    -------
    metric : callable
        ``metric(y_true, raw_scores, sample_weight=None)`` returning
        ``("focal_loss", value, False)`` (lower is better), for
        ``LGBMClassifier.fit(..., eval_metric=metric)`` or ``feval=`` of
        ``lightgbm.train`` (called as ``metric(raw_scores, dataset)``).
        ``value`` is the mean over the samples (weighted by
        ``sample_weight``) of ``alpha_y * focal_loss``.

    See Also
    --------
    lightgbm_objective : The matching objective.

    Examples
    --------
    >>> import numpy as np
    >>> from skbalance.focal import lightgbm_metric
    >>> name, value, higher_is_better = lightgbm_metric(gamma=0.0)(
    ...     np.array([0, 1]), np.array([0.0, 0.0]))
    >>> name, round(value, 4), higher_is_better
    ('focal_loss', 0.6931, False)
    """
    return _FocalMetric(gamma, alpha, "lightgbm")


@validate_params(_FOCAL_PARAMS, prefer_skip_nested_validation=True)
def xgboost_metric(gamma=2.0, alpha=None):
    """Return the focal loss as an XGBoost evaluation metric.

    It reports the loss that :func:`xgboost_objective` minimises on XGBoost's
    evaluation sets, e.g. for early stopping.

    Parameters
    ----------
    gamma : float >= 0, default=2.0
        Focusing parameter, as in :func:`xgboost_objective`.
    alpha : array-like of shape (n_classes,), default=None
        Class weights aligned with the class indices.

    Returns
    -------
    metric : callable
        ``metric(y_true, predt, sample_weight=None) -> float`` named
        ``"focal_loss"`` (lower is better), for
        ``XGBClassifier(eval_metric=metric)``, which passes raw margins when
        the objective is custom. The value is the mean over the samples
        (weighted by ``sample_weight``) of ``alpha_y * focal_loss``.

    See Also
    --------
    xgboost_objective : The matching objective.

    Examples
    --------
    >>> import numpy as np
    >>> from skbalance.focal import xgboost_metric
    >>> metric = xgboost_metric(gamma=0.0)
    >>> metric.__name__, round(metric(np.array([0, 1]), np.zeros((2, 2))), 4)
    ('focal_loss', 0.6931)
    """
    return _FocalMetric(gamma, alpha, "xgboost")


@validate_params({"raw_scores": ["array-like"]}, prefer_skip_nested_validation=True)
def focal_proba(raw_scores):
    """Turn raw scores of a focal-loss model into class probabilities.

    A LightGBM model boosted on a custom objective outputs raw scores; this
    applies the link of the focal objectives (sigmoid for two classes,
    softmax otherwise).

    Parameters
    ----------
    raw_scores : array-like of shape (n_samples,) or (n_samples, n_classes)
        Raw scores, e.g. ``LGBMClassifier.predict_proba(X, raw_score=True)``
        of a model trained with :func:`lightgbm_objective`. A 1-D array (or a
        single column) is the score of class 1 of a binary problem.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)
        Sigmoid of the scores for two classes (two columns), softmax of the
        rows otherwise. Rows sum to 1.

    See Also
    --------
    lightgbm_objective : A focal objective whose raw scores this converts.

    Examples
    --------
    >>> from skbalance.focal import focal_proba
    >>> focal_proba([0.0, 2.0])
    array([[0.5   , 0.5   ],
           [0.1192, 0.8808]])
    >>> focal_proba([[0.0, 0.0, 0.0]])
    array([[0.3333, 0.3333, 0.3333]])
    """
    return _proba_from_scores(np.asarray(raw_scores, dtype=np.float64))


def _proba_from_scores(scores):
    """Sigmoid (1-D or one column: binary) or softmax (2-D) of raw scores."""
    if scores.ndim == 2 and scores.shape[1] == 1:
        scores = scores[:, 0]
    if scores.ndim == 1:
        return np.column_stack([expit(-scores), expit(scores)])
    if scores.ndim == 2:
        return softmax(scores, axis=1)
    raise ValueError(f"raw_scores must be 1-D or 2-D, got shape {scores.shape}.")


class _FocalCallable:
    """Picklable ``gamma``, ``alpha`` and library of a boosting objective or metric."""

    #: What the callable is, for its repr: ``"objective"`` or ``"metric"``.
    _kind = None

    def __init__(self, gamma, alpha, library):
        self.gamma = float(gamma)
        self.alpha = None if alpha is None else np.array(alpha, dtype=np.float64)
        self.library = library

    def __repr__(self):
        alpha = None if self.alpha is None else self.alpha.tolist()
        return f"{self.library}_{self._kind}(gamma={self.gamma}, alpha={alpha})"


class _FocalObjective(_FocalCallable):
    """Focal objective for LightGBM and XGBoost (see lightgbm_objective)."""

    _kind = "objective"

    def __call__(self, y_true, raw_scores, sample_weight=None):
        codes, scores, shape, sample_weight, alpha = _boosting_inputs(
            y_true, raw_scores, sample_weight, self.alpha
        )
        grad, hess = _focal_grad_hess(codes, scores, self.gamma)
        weight = alpha[codes] * sample_weight
        if scores.ndim == 2:
            weight = weight[:, None]
        hess = np.maximum(hess, HESSIAN_FLOOR)
        return (grad * weight).reshape(shape), (hess * weight).reshape(shape)


class _FocalMetric(_FocalCallable):
    """Focal-loss metric for LightGBM and XGBoost (see lightgbm_metric)."""

    _kind = "metric"

    def __init__(self, gamma, alpha, library):
        super().__init__(gamma, alpha, library)
        # XGBoost names a callable metric after its __name__.
        self.__name__ = "focal_loss"

    def __call__(self, y_true, raw_scores, sample_weight=None):
        codes, scores, _, sample_weight, alpha = _boosting_inputs(
            y_true, raw_scores, sample_weight, self.alpha
        )
        loss, _, _ = _focal_loss_scale(_true_class_log_proba(codes, scores), self.gamma)
        value = float((alpha[codes] * sample_weight) @ loss / sample_weight.sum())
        if self.library == "lightgbm":
            return self.__name__, value, False
        return value


def _boosting_inputs(y_true, raw_scores, sample_weight, alpha):
    """Check the arguments of a boosting objective or metric.

    Accepts the scikit-learn APIs' ``(y_true, raw_scores, sample_weight)`` and
    the native APIs' ``(raw_scores, dataset)``, where ``dataset`` is a
    LightGBM ``Dataset`` or an XGBoost ``DMatrix``.

    Returns
    -------
    codes : ndarray of int, shape (n,)
        Class indices.
    scores : ndarray of float64, shape (n,) or (n, k)
        Raw scores; a single column is flattened (binary problem).
    shape : tuple
        Shape of the raw scores as given, for the returned arrays.
    sample_weight : ndarray of shape (n,)
        Sample weights (ones when there are none).
    alpha : ndarray of shape (k,)
        Class weights (ones when None).
    """
    if hasattr(raw_scores, "get_label"):
        dataset = raw_scores
        raw_scores, y_true = y_true, dataset.get_label()
        sample_weight = dataset.get_weight()
    scores = np.asarray(raw_scores, dtype=np.float64)
    shape = scores.shape
    if scores.ndim == 2 and shape[1] == 1:
        scores = scores[:, 0]
    if scores.ndim not in (1, 2):
        raise ValueError(f"raw_scores must be 1-D or 2-D, got shape {shape}.")
    n_samples = scores.shape[0]
    n_classes = 2 if scores.ndim == 1 else scores.shape[1]
    labels = np.asarray(y_true, dtype=np.float64).reshape(-1)
    codes = labels.astype(np.intp)
    if (
        labels.shape[0] != n_samples
        or (codes != labels).any()
        or codes.min(initial=0) < 0
        or codes.max(initial=0) >= n_classes
    ):
        raise ValueError(
            f"The focal objective needs {n_samples} labels encoded as the class "
            f"indices 0..{n_classes - 1} (raw scores of shape {shape}); got labels "
            f"{np.unique(labels)[:10].tolist()} of shape {labels.shape}."
        )
    if sample_weight is None or np.size(sample_weight) == 0:
        sample_weight = np.ones(n_samples)
    else:
        sample_weight = _check_sample_weight(
            np.asarray(sample_weight).reshape(-1),
            codes,
            dtype=np.float64,
            ensure_non_negative=True,
        )
    if alpha is None:
        alpha = np.ones(n_classes)
    else:
        alpha = _check_weights_array(alpha, n_classes, "alpha")
    return codes, scores, shape, sample_weight, alpha
