"""Focal loss: a linear classifier and objectives for LightGBM and XGBoost."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, log_expit, log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from ._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    validate_data,
    validate_params,
)
from ._validation import _check_at_least_two_classes, _check_weights_array
from .weights import SCHEMES, _class_counts, _weights_from_counts

__all__ = [
    "HESSIAN_FLOOR",
    "FocalLossClassifier",
    "focal_proba",
    "lightgbm_metric",
    "lightgbm_objective",
    "xgboost_metric",
    "xgboost_objective",
]

#: Smallest Hessian the boosting objectives return (before sample weights).
HESSIAN_FLOOR = 1e-6


class FocalLossClassifier(ClassifierMixin, BaseEstimator):
    """Linear classifier trained on the focal loss.

    A multinomial (softmax) linear model, or a logistic (sigmoid) one for two
    classes, whose loss down-weights the samples it already classifies well:
    the cross-entropy of a sample is multiplied by ``(1 - p)^gamma``, where
    ``p`` is the predicted probability of its true class. Training effort goes
    to the hard, often rare-class, samples. With ``gamma=0`` and ``alpha=None``
    it is :class:`~sklearn.linear_model.LogisticRegression` with the same
    ``C``.

    Parameters
    ----------
    gamma : float >= 0, default=2.0
        Focusing parameter: how strongly well-classified samples are
        down-weighted. ``0`` gives the (weighted) cross-entropy loss.
    alpha : {"balanced", "inverse", "inverse_sqrt", "effective_number", \
            "log_inverse", "none"}, dict, callable, array-like, \
            ClassWeightTransformer or None, default=None
        Class weights ``alpha_c`` multiplying the loss of the samples of class
        ``c``:

        - None: all classes weigh 1;
        - a scheme name or a callable ``f(counts) -> weights``: computed on the
          classes of ``y`` in each ``fit`` (class counts are sums of
          ``sample_weight``), normalised so that the mean sample weight is 1,
          see :func:`skbalance.weights.compute_class_weights`;
        - a dict label -> weight, or an array aligned with ``classes_``: used
          as given, like ``class_weight`` of ``LogisticRegression``; a label
          of ``y`` missing from the dict is an error naming it;
        - a :class:`~skbalance.ClassWeightTransformer` (or any object whose
          ``fit(y)`` sets a ``class_weight_`` dict): cloned and fitted on
          ``y``; its weights are used as given.
    C : float > 0, default=1.0
        Inverse of the L2 regularisation strength, as in
        ``LogisticRegression``: the objective is
        ``C * sum_i loss_i + 0.5 * ||W||^2``.
    fit_intercept : bool, default=True
        Whether to fit an intercept (never penalised).
    max_iter : int >= 1, default=1000
        Maximum number of L-BFGS iterations.
    tol : float >= 0, default=1e-6
        L-BFGS stops when the largest component of the gradient of the
        objective divided by ``C * sum_i s_i * alpha_{y_i}`` is below ``tol``
        (the scaling of ``LogisticRegression``), or when the objective no
        longer decreases.
    warm_start : bool, default=False
        Whether ``fit`` starts from the previous ``coef_`` and ``intercept_``
        when their shapes fit the new problem.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Sorted labels seen in ``fit``.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Coefficients; one row, for the class ``classes_[1]``, with two classes.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts (zeros when ``fit_intercept=False``). With more than two
        classes they sum to zero.
    class_alpha_ : ndarray of shape (n_classes,)
        The class weights ``alpha`` used, aligned with ``classes_``.
    n_iter_ : ndarray of shape (1,)
        Number of L-BFGS iterations, like ``LogisticRegression.n_iter_``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the features seen in ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    sklearn.linear_model.LogisticRegression : The ``gamma=0`` special case.
    BalancedClassifier : Class weights or resampling around any classifier.
    lightgbm_objective : The focal loss as a LightGBM objective.
    xgboost_objective : The focal loss as an XGBoost objective.

    Notes
    -----
    Let ``z_i`` be the raw scores of sample ``i`` and ``p_i`` the predicted
    probability of its true class ``y_i``. The loss of the sample is the focal
    loss of Lin et al. [1]_:

    .. math:: \\ell_i = -(1 - p_i)^\\gamma \\log p_i

    and ``fit`` minimises, over the coefficients ``W`` and intercepts ``b``,

    .. math:: C \\sum_i s_i \\alpha_{y_i} \\ell_i + \\frac{1}{2} \\|W\\|_2^2

    with sample weights ``s_i`` and class weights ``alpha``, by L-BFGS with
    the analytic gradient. As ``LogisticRegression`` does, the objective is
    divided by ``C * sum_i s_i * alpha_{y_i}``, which leaves the minimiser
    unchanged and makes ``tol`` independent of the number of samples.

    With more than two classes ``p_i`` is the softmax of ``z_i = W x_i + b``.
    With two classes the model has one score ``z_i = w . x_i + b`` and
    ``p_i = sigmoid(z_i)`` for ``classes_[1]``, ``sigmoid(-z_i)`` for
    ``classes_[0]`` (as in ``LogisticRegression``, and the binary focal loss
    of [1]_). The derivative of the loss with respect to the score ``z_ij``
    (of class ``j``) is

    .. math:: \\frac{\\partial \\ell_i}{\\partial z_{ij}} = g_i (\\delta_{j y_i} - p_{ij}),
              \\qquad g_i = -(1 - p_i)^\\gamma \\left(1 + \\gamma \\frac{-p_i \\log p_i}{1 - p_i}\\right)

    computed from ``log p_i`` (a log-softmax) so that it stays finite for any
    score, also when ``p_i -> 1`` and ``gamma < 1``, where the textbook form
    ``gamma (1 - p)^(gamma - 1)`` diverges. For ``gamma > 0`` the loss is not
    convex: L-BFGS, started from zero, finds a local minimum.

    References
    ----------
    .. [1] T.-Y. Lin, P. Goyal, R. Girshick, K. He and P. Dollar, "Focal Loss
       for Dense Object Detection", ICCV 2017.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.metrics import balanced_accuracy_score
    >>> from skbalance.focal import FocalLossClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9, 0.1], random_state=0)
    >>> clf = FocalLossClassifier(gamma=2.0, alpha="balanced").fit(X, y)
    >>> clf.classes_
    array([0, 1])
    >>> clf.coef_.shape
    (1, 20)
    >>> clf.predict_proba(X[:3]).sum(axis=1)
    array([1., 1., 1.])
    >>> bool(balanced_accuracy_score(y, clf.predict(X)) > 0.8)
    True
    """

    _parameter_constraints: dict = {
        "gamma": [Interval(Real, 0, None, closed="left")],
        "alpha": [
            None,
            StrOptions(set(SCHEMES)),
            dict,
            callable,
            HasMethods(["fit"]),
            "array-like",
        ],
        "C": [Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        gamma=2.0,
        *,
        alpha=None,
        C=1.0,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-6,
        warm_start=False,
    ):
        self.gamma = gamma
        self.alpha = alpha
        self.C = C
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model on the focal loss.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels (at least two classes).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights multiplying the loss of each sample.

        Returns
        -------
        self : FocalLossClassifier
            The fitted classifier.
        """
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], dtype=np.float64)
        check_classification_targets(y)
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=np.float64, ensure_non_negative=True
        )
        classes, counts, codes = _class_counts(y, sample_weight)
        _check_at_least_two_classes(classes)
        self.classes_ = classes
        self.class_alpha_ = self._class_alpha(y, classes, counts, sample_weight)
        weights = sample_weight * self.class_alpha_[codes]
        weight_sum = weights.sum()
        if not weight_sum > 0:
            raise ValueError(
                "Every sample has zero weight once sample_weight and alpha are "
                "applied; give some samples a positive weight."
            )
        self._solve(X, codes, weights / weight_sum, 1.0 / (self.C * weight_sum))
        return self

    def decision_function(self, X):
        """Return the raw scores of the samples.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            With two classes, the score of ``classes_[1]`` (positive means
            ``classes_[1]`` is predicted); otherwise one column per class.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False)
        scores = X @ self.coef_.T + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict_log_proba(self, X):
        """Return the log-probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities, columns aligned with ``classes_``.
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return np.column_stack([log_expit(-scores), log_expit(scores)])
        return log_softmax(scores, axis=1)

    def predict_proba(self, X):
        """Return the probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns aligned with ``classes_``; rows sum to 1.
        """
        return focal_proba(self.decision_function(X))

    def predict(self, X):
        """Return the most probable class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            ``classes_[argmax(predict_proba(X), axis=1)]``.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def _class_alpha(self, y, classes, counts, sample_weight):
        """Class weights aligned with ``classes`` (see the ``alpha`` parameter)."""
        alpha = self.alpha
        if alpha is None:
            return np.ones(classes.size)
        if isinstance(alpha, str) or (callable(alpha) and not hasattr(alpha, "fit")):
            return _weights_from_counts(counts, alpha, classes=classes, normalize="mean")
        if hasattr(alpha, "fit"):
            alpha = clone(alpha).fit(y, sample_weight=sample_weight).class_weight_
        if isinstance(alpha, dict):
            return _weights_from_counts(counts, alpha, classes=classes, normalize=None)
        return _check_weights_array(alpha, classes.size, "alpha")

    def _solve(self, X, codes, weights, l2_strength):
        """Minimise the scaled objective by L-BFGS; set the fitted coefficients."""
        n_features = X.shape[1]
        binary = self.classes_.size == 2
        n_rows = 1 if binary else self.classes_.size
        if binary:
            func = _binary_loss_grad
            target = 2.0 * codes - 1.0
        else:
            func = _multinomial_loss_grad
            target = codes
        result = minimize(
            func,
            self._initial_coef(n_rows, n_features).ravel(),
            args=(X, target, weights, l2_strength, self.gamma, self.fit_intercept),
            method="L-BFGS-B",
            jac=True,
            options={
                "maxiter": self.max_iter,
                "maxls": 50,
                "gtol": self.tol,
                "ftol": 64 * np.finfo(float).eps,
            },
        )
        n_iter = min(result.nit, self.max_iter)
        if result.status != 0:
            warnings.warn(
                f"L-BFGS failed to converge after {n_iter} iteration(s) "
                f"(status={result.status}: {result.message}). Increase max_iter, "
                "scale the data (e.g. with StandardScaler) or loosen tol.",
                ConvergenceWarning,
                stacklevel=3,
            )
        coef = result.x.reshape(n_rows, -1)
        self.coef_ = np.ascontiguousarray(coef[:, :n_features])
        self.intercept_ = coef[:, n_features].copy() if self.fit_intercept else np.zeros(n_rows)
        if not binary:
            # Softmax is unchanged by a common shift: centre for a unique answer.
            self.intercept_ -= self.intercept_.mean()
        self.n_iter_ = np.array([n_iter], dtype=np.int32)

    def _initial_coef(self, n_rows, n_features):
        """Zeros, or the previous solution when ``warm_start`` and shapes fit."""
        n_cols = n_features + int(self.fit_intercept)
        coef = np.zeros((n_rows, n_cols))
        previous = getattr(self, "coef_", None)
        if self.warm_start and previous is not None and previous.shape == (n_rows, n_features):
            coef[:, :n_features] = previous
            if self.fit_intercept:
                coef[:, n_features] = self.intercept_
        return coef


def _focal_parts(lp, gamma):
    """Pieces of the focal loss at the log-probability ``lp`` of the true class.

    Returns ``(p, q, r, qg)``: ``p = exp(lp)``, ``q = 1 - p`` (computed as
    ``-expm1(lp)``, accurate when ``p`` is close to 1), ``r = -p log p / q``
    (which tends to 1, not 0/0, when ``p -> 1``) and ``qg = q ** gamma``.
    """
    q = -np.expm1(lp)
    p = np.exp(lp)
    ratio = np.divide(-lp, q, out=np.ones_like(lp), where=q > 0)
    return p, q, p * ratio, q**gamma


def _focal_loss_scale(lp, gamma):
    """Return ``(loss, g, q)`` at log-probabilities ``lp`` of the true class.

    ``loss = -(1-p)^gamma log p`` and ``g = p * dloss/dp``, so that the
    derivative with respect to the raw score of class ``j`` is
    ``g * (delta_jy - p_j)`` (softmax) and ``g * q`` with respect to the
    margin of a sigmoid.
    """
    lp = np.minimum(lp, 0.0)
    if gamma == 0:
        return -lp, np.full_like(lp, -1.0), -np.expm1(lp)
    p, q, r, qg = _focal_parts(lp, gamma)
    return -qg * lp, -qg * (1.0 + gamma * r), q


def _linear_scores(coef, X, fit_intercept):
    """Raw scores ``X @ W.T + b`` of the coefficient matrix ``[W | b]``."""
    n_features = X.shape[1]
    scores = X @ coef[:, :n_features].T
    if fit_intercept:
        scores += coef[:, n_features]
    return scores


def _add_gradient(grad, dscores, X, coef, l2_strength, fit_intercept):
    """Write ``dscores.T @ X + l2 * W`` (and the intercept part) into ``grad``."""
    n_features = X.shape[1]
    # X.T @ dscores (not dscores.T @ X): faster with BLAS, and works for sparse X.
    grad[:, :n_features] = (X.T @ dscores).T
    grad[:, :n_features] += l2_strength * coef[:, :n_features]
    if fit_intercept:
        grad[:, n_features] = dscores.sum(axis=0)


def _multinomial_loss_grad(w, X, codes, weights, l2_strength, gamma, fit_intercept):
    """Scaled focal objective of the softmax model and its gradient."""
    coef = w.reshape(-1, X.shape[1] + int(fit_intercept))
    scores = _linear_scores(coef, X, fit_intercept)
    rows = np.arange(scores.shape[0])
    scores -= scores.max(axis=1, keepdims=True)
    proba = np.exp(scores)
    norm = proba.sum(axis=1)
    proba /= norm[:, None]
    lp = scores[rows, codes] - np.log(norm)
    loss, g, _ = _focal_loss_scale(lp, gamma)
    wg = weights * g
    # d loss_i / d z_ij = g_i * (delta_{j, y_i} - p_ij)
    dscores = proba
    dscores *= -wg[:, None]
    dscores[rows, codes] += wg
    grad = np.empty_like(coef)
    _add_gradient(grad, dscores, X, coef, l2_strength, fit_intercept)
    penalty = 0.5 * l2_strength * np.vdot(coef[:, : X.shape[1]], coef[:, : X.shape[1]])
    return weights @ loss + penalty, grad.ravel()


def _binary_loss_grad(w, X, sign, weights, l2_strength, gamma, fit_intercept):
    """Scaled focal objective of the sigmoid model and its gradient."""
    coef = w.reshape(1, -1)
    margin = sign * _linear_scores(coef, X, fit_intercept)[:, 0]
    loss, g, q = _focal_loss_scale(log_expit(margin), gamma)
    dscores = (sign * weights * g * q)[:, None]
    grad = np.empty_like(coef)
    _add_gradient(grad, dscores, X, coef, l2_strength, fit_intercept)
    penalty = 0.5 * l2_strength * np.vdot(coef[:, : X.shape[1]], coef[:, : X.shape[1]])
    return weights @ loss + penalty, grad.ravel()


@validate_params(
    {"gamma": [Interval(Real, 0, None, closed="left")], "alpha": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def lightgbm_objective(gamma=2.0, alpha=None):
    """Return the focal loss as a LightGBM custom objective.

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


@validate_params(
    {"gamma": [Interval(Real, 0, None, closed="left")], "alpha": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def xgboost_objective(gamma=2.0, alpha=None):
    """Return the focal loss as an XGBoost custom objective.

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


@validate_params(
    {"gamma": [Interval(Real, 0, None, closed="left")], "alpha": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def lightgbm_metric(gamma=2.0, alpha=None):
    """Return the focal loss as a LightGBM evaluation metric.

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


@validate_params(
    {"gamma": [Interval(Real, 0, None, closed="left")], "alpha": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def xgboost_metric(gamma=2.0, alpha=None):
    """Return the focal loss as an XGBoost evaluation metric.

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


def _true_class_log_proba(codes, scores):
    """Log-probability of the true class (sigmoid for 1-D, softmax for 2-D)."""
    if scores.ndim == 1:
        return log_expit((2.0 * codes - 1.0) * scores)
    return log_softmax(scores, axis=1)[np.arange(codes.size), codes]


def _focal_grad_hess(codes, scores, gamma):
    """Gradient and exact Hessian diagonal of the focal loss w.r.t. raw scores.

    With ``p`` the true-class probability, ``q = 1 - p``, ``r = -p log p / q``
    and ``g = -q^gamma (1 + gamma r)`` (see ``_focal_loss_scale``):

    - sigmoid (1-D), sign ``s = +-1`` of the true class:
      ``grad = s g q`` and ``hess = p q^(gamma+1) (1 + 2 gamma + gamma log p
      + gamma^2 r)``;
    - softmax (2-D), class ``j``, ``d_j = delta_jy - p_j`` and ``a_j = d_j / q``:
      ``grad_j = g d_j`` and ``hess_j = q^gamma (gamma p q a_j^2 B
      + (1 + gamma r) p_j (1 - p_j))`` with ``B = log p + 2 + (gamma - 1) r``.

    Every power of ``q`` is non-negative, so both are finite as ``p -> 1``.
    """
    if scores.ndim == 1:
        sign = 2.0 * codes - 1.0
        lp = np.minimum(log_expit(sign * scores), 0.0)
        p, q, r, qg = _focal_parts(lp, gamma)
        grad = -sign * qg * (1.0 + gamma * r) * q
        hess = p * q * qg * (1.0 + 2.0 * gamma + gamma * lp + gamma**2 * r)
        return grad, hess
    rows = np.arange(codes.size)
    log_proba = log_softmax(scores, axis=1)
    proba = np.exp(log_proba)
    lp = np.minimum(log_proba[rows, codes], 0.0)
    p, q, r, qg = _focal_parts(lp, gamma)
    delta = -proba
    delta[rows, codes] += 1.0
    grad = (-qg * (1.0 + gamma * r))[:, None] * delta
    # a_j = (delta_jy - p_j) / q lies in [-1, 1]; p_j <= q, so a_j -> 0 for
    # j != y as q -> 0, and a_y = 1 exactly.
    ratio = np.divide(-proba, q[:, None], out=np.zeros_like(proba), where=q[:, None] > 0)
    np.clip(ratio, -1.0, 0.0, out=ratio)
    ratio[rows, codes] = 1.0
    curvature = gamma * p * q * (lp + 2.0 + (gamma - 1.0) * r)
    hess = qg[:, None] * (
        curvature[:, None] * ratio**2 + (1.0 + gamma * r)[:, None] * proba * (1.0 - proba)
    )
    return grad, hess
