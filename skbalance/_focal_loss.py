"""Private maths of the focal loss: values, gradients and Hessians, from log-probabilities.

Shared by :class:`~skbalance.focal.FocalLossClassifier` (linear model, L-BFGS)
and the LightGBM / XGBoost objectives of :mod:`skbalance._focal_boosting`.
Everything is computed from the log-probability of the true class, so that it
stays finite for any score and any ``gamma``.
"""

import numpy as np
from scipy.special import log_expit, log_softmax


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
