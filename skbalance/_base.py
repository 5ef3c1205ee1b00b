"""A tiny base for the skbalance meta-classifiers (as scikit-learn's BaseThresholdClassifier)."""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.utils import get_tags
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if

from ._sklearn_compat import _routing_enabled

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


class _WrapperMixin(_MetaClassifierMixin):
    """A meta-classifier around one ``estimator`` parameter (None: the default).

    Gives the default estimator (``LogisticRegression(max_iter=1000)``), the
    metadata routing of a wrapper that consumes ``sample_weight`` itself and
    routes the rest of ``fit``'s metadata to ``estimator``, and the tags of
    ``estimator``. Put it left of ``ClassifierMixin`` and ``BaseEstimator``.
    """

    def _get_estimator(self):
        """The estimator to clone: the user's or the default."""
        if self.estimator is None:
            return LogisticRegression(max_iter=1000)
        return self.estimator

    def _route_fit_params(self, fit_params):
        """The fit parameters meant for the inner estimator."""
        if not _routing_enabled():
            return fit_params
        return process_routing(self, "fit", **fit_params).estimator.fit

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        ``sample_weight`` is consumed by the meta-estimator itself (see
        ``fit``); other metadata requested by the inner estimator's ``fit``
        is routed to it.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating routing information.
        """
        return (
            MetadataRouter(owner=self)
            .add_self_request(self)
            .add(
                estimator=self._get_estimator(),
                method_mapping=MethodMapping().add(caller="fit", callee="fit"),
            )
        )

    def _tag_estimators(self):
        return [self._get_estimator()]
