"""Focal loss: a linear classifier and objectives for LightGBM and XGBoost."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_expit, log_softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from ._focal_boosting import (
    HESSIAN_FLOOR,
    focal_proba,
    lightgbm_metric,
    lightgbm_objective,
    xgboost_metric,
    xgboost_objective,
)
from ._focal_loss import _binary_loss_grad, _multinomial_loss_grad
from ._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    validate_data,
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
