"""Prior-shift correction of predicted class probabilities."""

import numpy as np

__all__ = ["correct_prior_shift"]


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
