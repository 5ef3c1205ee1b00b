"""Prior shift: correcting probabilities to new class priors, and estimating them."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted

from ._pipeline import _final_step
from ._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _num_samples,
    validate_params,
)
from ._validation import _check_labels, _encode_labels

__all__ = ["correct_prior_shift", "estimate_prior"]


def correct_prior_shift(proba, train_prior, target_prior):
    """Re-weight probabilities learned under one class prior for another.

    Applies the prior-shift rule ``p'(c|x) ∝ p(c|x) * target_c / train_c``
    and renormalises each row (Saerens et al. [1]_).

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Probabilities of a model trained under ``train_prior``.
    train_prior : array-like of shape (n_classes,)
        The class prior the model effectively learned (class frequencies
        times class and sample weights). A class with prior 0 was never seen
        and keeps probability 0.
    target_prior : array-like of shape (n_classes,)
        The class prior to correct to (e.g. deployment frequencies).

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)
        Corrected probabilities; rows sum to 1.

    See Also
    --------
    estimate_prior : Estimates the class prior of unlabelled data.
    skbalance.BalancedClassifier : Applies this correction with its ``prior``
        parameter.

    References
    ----------
    .. [1] M. Saerens, P. Latinne and C. Decaestecker, "Adjusting the Outputs
       of a Classifier to New a Priori Probabilities: A Simple Procedure",
       Neural Computation 14(1), 2002.

    Examples
    --------
    >>> from skbalance.priors import correct_prior_shift
    >>> proba = [[0.5, 0.5]]
    >>> correct_prior_shift(proba, train_prior=[0.5, 0.5], target_prior=[0.9, 0.1])
    array([[0.9, 0.1]])
    """
    proba = np.asarray(proba, dtype=np.float64)
    ratio = _prior_ratio(train_prior, target_prior)
    corrected = proba * ratio
    # a matrix-vector product sums short rows faster than .sum(axis=1)
    total = corrected @ np.ones(corrected.shape[1])
    empty = total <= 0
    if empty.any():
        # a row whose mass sat only on never-seen classes stays as it was
        corrected[empty] = proba[empty]
        total[empty] = proba[empty].sum(axis=1)
    corrected /= total[:, np.newaxis]
    return corrected


def _prior_ratio(train_prior, target_prior):
    """``target / train`` per class, 0 where the training prior is 0."""
    train_prior = np.asarray(train_prior, dtype=np.float64)
    target_prior = np.asarray(target_prior, dtype=np.float64)
    train_prior = train_prior / train_prior.sum()
    target_prior = target_prior / target_prior.sum()
    ratio = np.zeros_like(train_prior)
    seen = train_prior > 0
    ratio[seen] = target_prior[seen] / train_prior[seen]
    return ratio


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"])],
        "X": ["array-like", "sparse matrix"],
        "method": [StrOptions({"em", "bbse"})],
        "training_prior": ["array-like", dict, None],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "X_val": ["array-like", "sparse matrix", None],
        "y_val": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def estimate_prior(
    estimator,
    X,
    *,
    method="em",
    training_prior=None,
    max_iter=100,
    tol=1e-6,
    X_val=None,
    y_val=None,
):
    """Estimate the class priors of unlabelled deployment rows.

    When only the class frequencies change between training and deployment
    (prior shift), they can be estimated from the predictions of a fitted
    classifier on unlabelled rows. The result feeds
    :class:`~skbalance.BalancedClassifier` (``prior=``) and
    :func:`correct_prior_shift`.

    Parameters
    ----------
    estimator : fitted classifier
        With ``predict_proba`` for ``method="em"``; ``predict`` suffices for
        ``"bbse"``.
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Unlabelled rows of the deployment distribution.
    method : {"em", "bbse"}, default="em"
        ``"em"``: maximum likelihood by the EM algorithm of Saerens et al.
        [1]_ on ``estimator.predict_proba(X)``; needs calibrated
        probabilities. ``"bbse"``: black-box shift estimation (Lipton et al.
        [2]_) from the confusion matrix of ``estimator.predict`` on labelled
        rows ``(X_val, y_val)`` of the training distribution; needs no
        calibration.
    training_prior : array-like of shape (n_classes,) or dict, default=None
        For ``"em"``: the class prior the probabilities were learned under,
        aligned with ``estimator.classes_`` (or a dict label -> prior);
        normalised to sum 1. None takes it from the estimator (see Notes),
        and is a ``ValueError`` for an estimator that does not expose it.
    max_iter : int, default=100
        Most EM iterations; a ``ConvergenceWarning`` says when they ran out.
    tol : float, default=1e-6
        EM stops when no prior changes by more than ``tol`` in an iteration.
    X_val : {array-like, sparse matrix, DataFrame}, default=None
        Labelled rows of the training distribution, not used to fit
        ``estimator`` (``"bbse"`` only).
    y_val : array-like of shape (n_val,), default=None
        Their labels (``"bbse"`` only).

    Returns
    -------
    prior : ndarray of shape (n_classes,)
        Estimated deployment priors, aligned with ``estimator.classes_``;
        non-negative, summing to 1.

    See Also
    --------
    correct_prior_shift : Correct probabilities to the estimated priors.
    skbalance.BalancedClassifier : Its ``prior=`` takes the estimate.

    Notes
    -----
    EM alternates ``p_i(c) ∝ p(c|x_i) · q_c / π_c`` (E-step, ``π`` the
    training prior) and ``q_c = mean_i p_i(c)`` (M-step), from ``q = π``.
    Each iteration is two matrix-vector products (the M-step is
    ``q_c = q_c/π_c · mean_i p(c|x_i) / s_i`` with
    ``s_i = Σ_j p(j|x_i) q_j/π_j``), with no temporary array of the size of
    the probabilities.

    With ``training_prior=None`` the prior is read from the estimator (the
    final step of a pipeline): a :class:`~skbalance.BalancedClassifier`'s
    ``target_prior_`` when it corrects its probabilities, else its
    ``effective_prior_``; ``class_prior_`` (naive Bayes,
    ``DummyClassifier``); ``class_count_`` (naive Bayes). Any other
    estimator needs it passed, e.g. the class frequencies of its training
    labels.

    BBSE solves ``C w = μ`` in the least-squares sense, with ``C[i, j]`` the
    share of validation rows of class ``j`` predicted ``i`` and ``μ_i`` the
    share of deployment rows predicted ``i``; the prior is ``w_j`` times the
    share of class ``j`` in ``y_val``, clipped at 0 and renormalised.

    References
    ----------
    .. [1] M. Saerens, P. Latinne and C. Decaestecker, "Adjusting the Outputs
       of a Classifier to New a Priori Probabilities: A Simple Procedure",
       Neural Computation 14(1), 2002.
    .. [2] Z. Lipton, Y.-X. Wang and A. Smola, "Detecting and Correcting for
       Label Shift with Black Box Predictors", ICML 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skbalance.priors import estimate_prior
    >>> rng = np.random.RandomState(0)
    >>> X_train = np.r_[rng.normal(-1, 1, (500, 1)), rng.normal(1, 1, (500, 1))]
    >>> model = LogisticRegression().fit(X_train, np.repeat([0, 1], 500))
    >>> X_new = np.r_[rng.normal(-1, 1, (1800, 1)), rng.normal(1, 1, (200, 1))]
    >>> estimate_prior(model, X_new, training_prior=[0.5, 0.5]).round(2)
    array([0.9, 0.1])
    """
    check_is_fitted(estimator)
    classes = np.asarray(estimator.classes_)
    if method == "bbse":
        if training_prior is not None:
            raise ValueError("training_prior is used by method='em' only; BBSE takes y_val.")
        return _bbse(estimator, X, X_val, y_val, classes)
    if X_val is not None or y_val is not None:
        raise ValueError("X_val and y_val are used by method='bbse' only.")
    if not hasattr(estimator, "predict_proba"):
        raise ValueError(
            f"method='em' needs probabilities, but {type(estimator).__name__} has no "
            "predict_proba; use method='bbse' with X_val, y_val."
        )
    prior = _training_prior(estimator, training_prior, classes)
    return _em_prior(estimator.predict_proba(X), prior, max_iter=max_iter, tol=tol)


def _em_prior(proba, prior, *, max_iter=100, tol=1e-6):
    """EM of Saerens et al. (2002) on probabilities learned under ``prior``."""
    proba = np.asarray(proba, dtype=np.float64)
    seen = prior > 0
    estimate = prior.copy()
    inverse_prior = np.zeros_like(prior)
    inverse_prior[seen] = 1.0 / prior[seen]
    for _ in range(max_iter):
        ratio = estimate * inverse_prior
        totals = proba @ ratio
        # a row whose mass sits on never-seen classes contributes nothing
        inverse_totals = np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)
        updated = ratio * (inverse_totals @ proba)
        updated /= updated.sum()
        change = np.abs(updated - estimate).max()
        estimate = updated
        if change <= tol:
            return estimate
    warnings.warn(
        f"estimate_prior: EM did not converge in max_iter={max_iter} iterations "
        f"(last change {change:.2g} > tol={tol}); increase max_iter.",
        ConvergenceWarning,
    )
    return estimate


def _training_prior(estimator, training_prior, classes):
    """The training prior: given (checked, normalised) or read from the estimator."""
    if training_prior is None:
        training_prior = _exposed_prior(estimator)
        if training_prior is None:
            raise ValueError(
                f"{type(estimator).__name__} does not say which class prior its "
                "probabilities were learned under; pass training_prior= (e.g. the "
                "class frequencies of its training labels, aligned with classes_)."
            )
    if isinstance(training_prior, dict):
        missing = [label for label in classes.tolist() if label not in training_prior]
        if missing:
            raise ValueError(f"training_prior has no value for the classes {missing}.")
        training_prior = [training_prior[label] for label in classes.tolist()]
    prior = np.asarray(training_prior, dtype=np.float64)
    if prior.shape != classes.shape:
        raise ValueError(
            f"training_prior must have one value per class ({classes.size}), "
            f"got shape {prior.shape}."
        )
    if not np.isfinite(prior).all() or (prior < 0).any() or prior.sum() <= 0:
        raise ValueError(
            f"training_prior must hold finite, non-negative numbers with a positive "
            f"sum, got {prior.tolist()}."
        )
    return prior / prior.sum()


def _exposed_prior(estimator):
    """The class prior a fitted estimator exposes, or None (see ``estimate_prior``)."""
    final = _final_step(estimator)
    for name in ("target_prior_", "effective_prior_", "class_prior_", "class_count_"):
        value = getattr(final, name, None)
        if value is not None:
            return value
    return None


def _bbse(estimator, X, X_val, y_val, classes):
    """Black-box shift estimation (Lipton et al., 2018)."""
    if X_val is None or y_val is None:
        raise ValueError(
            "method='bbse' needs labelled rows of the training distribution: "
            "pass X_val= and y_val= (rows not used to fit the estimator)."
        )
    y_val = _check_labels(y_val, name="y_val")
    k = classes.size
    true_codes = _encode_labels(y_val, classes)[1]
    if true_codes.size != _num_samples(X_val):
        raise ValueError(
            f"X_val and y_val have different lengths ({_num_samples(X_val)} and "
            f"{true_codes.size})."
        )
    val_codes = _encode_labels(np.asarray(estimator.predict(X_val)), classes)[1]
    new_codes = _encode_labels(np.asarray(estimator.predict(X)), classes)[1]
    joint = np.bincount(val_codes * k + true_codes, minlength=k * k).reshape(k, k)
    joint = joint / true_codes.size
    predicted = np.bincount(new_codes, minlength=k) / new_codes.size
    weights = np.linalg.lstsq(joint, predicted, rcond=None)[0]
    prior = np.clip(weights * np.bincount(true_codes, minlength=k) / true_codes.size, 0, None)
    if prior.sum() <= 0:
        raise ValueError(
            "BBSE found no positive prior (the confusion matrix on X_val is "
            "degenerate); use more validation rows or method='em'."
        )
    return prior / prior.sum()
