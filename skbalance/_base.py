"""A tiny base for the skbalance meta-classifiers (as scikit-learn's BaseThresholdClassifier)."""

import numpy as np
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if

#: Input tags a meta-classifier takes from the estimators it hands ``X`` to.
_FORWARDED_INPUT_TAGS = ("sparse", "allow_nan", "string", "categorical")


def _has_predict_proba(self):
    """``available_if`` check: the meta-classifier has ``predict_proba`` right now."""
    return hasattr(self, "predict_proba")


class _MetaClassifierMixin:
    """``predict_log_proba`` and input-tag forwarding for a meta-classifier.

    Subclasses define ``_tag_estimators()``: the estimators (defaults
    resolved) that receive ``X``; the meta-classifier accepts an input kind
    (sparse, NaN, strings, categorical) only when every one of them does.
    Put it left of ``ClassifierMixin`` and ``BaseEstimator``.
    """

    def _tag_estimators(self):
        """The estimators whose input tags this meta-classifier takes."""
        raise AttributeError(f"{type(self).__name__} must define _tag_estimators().")

    @available_if(_has_predict_proba)
    def predict_log_proba(self, X):
        """Predict the logarithm of the class probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities (``-inf`` where a probability is 0), columns
            aligned with ``classes_``.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = [get_tags(estimator).input_tags for estimator in self._tag_estimators()]
        for name in _FORWARDED_INPUT_TAGS:
            setattr(tags.input_tags, name, all(getattr(tag, name) for tag in inner))
        tags.input_tags.positive_only = any(tag.positive_only for tag in inner)
        return tags
