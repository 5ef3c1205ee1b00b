"""BalancedClassifier: class weights and samplers inside any classifier's fit."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._base import _WrapperMixin
from ._pipeline import _accepts_sample_weight, _fit_with_sample_weight
from ._samplers import _adapt_to_small_classes, _follow_rows, _take_rows
from ._sklearn_compat import (
    HasMethods,
    StrOptions,
    _fit_context,
    _safe_indexing,
)
from ._validation import (
    _align_columns,
    _as_seed,
    _check_classifier,
    _check_fit_input,
    _check_two_weighted_classes,
    _check_X,
    _encode_labels,
)
from .priors import correct_prior_shift
from .resampling import ClassWeightResampler
from .transformer import _WEIGHTING_CONSTRAINT, _as_transformer

__all__ = ["BalancedClassifier"]

def _estimator_has(attr):
    """Check, for ``available_if``, that the (fitted or default) estimator has ``attr``."""

    def check(self):
        estimator = getattr(self, "estimator_", None)
        if estimator is None:
            estimator = self._get_estimator()
        return hasattr(estimator, attr)

    return check


class BalancedClassifier(_WrapperMixin, ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Meta-estimator fitting any classifier with class weights and samplers.

    Class weights are computed inside ``fit``, from the labels the inner
    estimator actually sees (after ``sampler``), so every cross-validation
    fold and every grid point gets its own. They reach the estimator as
    ``sample_weight`` or, when its ``fit`` has none, by resampling rows with
    :class:`ClassWeightResampler`. Probabilities can be corrected for the
    shift between the (re-weighted) training prior and a deployment prior.

    Parameters
    ----------
    estimator : classifier, default=None
        The classifier to fit; cloned, never modified. None means
        ``LogisticRegression(max_iter=1000)``.
    weighting : {"balanced", "inverse", "inverse_sqrt", "effective_number", \
            "log_inverse", "none"}, dict, callable, ClassWeightTransformer \
            or None, default="balanced"
        How class counts become class weights, see
        :func:`skbalance.weights.compute_class_weights`. None (or ``"none"``)
        applies no class weight.
    sampler : imbalanced-learn sampler, default=None
        Resamples the training data before the weights are computed
        (``RandomOverSampler``, ``SMOTE``, ``RandomUnderSampler``, ...).
        Cloned; see Notes for how neighbour-based samplers are adapted to
        tiny classes.
    prior : {"train", "uniform"}, array-like of shape (n_classes,), dict or \
            None, default=None
        Class prior to correct predicted probabilities to. None keeps the
        probabilities of the re-weighted model; ``"train"`` restores the
        class frequencies of ``y`` as passed to ``fit`` (weighted by
        ``sample_weight``), which calibrates the probabilities; ``"uniform"``
        uses equal priors; an array (aligned with ``classes_``) or a dict
        (label -> prior) of positive numbers gives deployment priors, which
        are normalised to sum to 1. Anything but None needs an estimator
        with ``predict_proba`` (a ``ValueError`` at ``fit`` otherwise).
    random_state : int, RandomState instance or None, default=None
        Seeds the sampler (when its own ``random_state`` is None) and the
        resampling path, so that ``fit`` is deterministic.

    Attributes
    ----------
    estimator_ : classifier
        The fitted inner estimator.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    class_weight_ : dict
        Mapping label -> class weight used in the last ``fit``.
    class_counts_ : ndarray of shape (n_classes,)
        Rows of each class the inner estimator saw (sums of ``sample_weight``
        when one is given), aligned with ``classes_``.
    sampler_ : imbalanced-learn sampler or None
        The fitted sampler.
    fit_mode_ : {"sample_weight", "resample"}
        How the weights reached the inner estimator: as ``sample_weight``, or
        by :class:`ClassWeightResampler` when its ``fit`` (a pipeline's final
        step) takes no ``sample_weight`` or the pipeline has a sampler step.
    effective_prior_ : ndarray of shape (n_classes,)
        The class prior the inner estimator effectively learned under (share
        of the total weight of each class).
    target_prior_ : ndarray of shape (n_classes,) or None
        The prior probabilities are corrected to; None when ``prior=None``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen in ``fit``, when they are all strings.

    See Also
    --------
    ClassWeightTransformer : The class weights as a transformer of labels.
    ClassWeightResampler : The weights applied by resampling rows.
    SmallClassRouter : Route rare classes to a secondary classifier.

    Notes
    -----
    With ``n_c`` the (weighted) count of class ``c`` after the sampler and
    ``w_c`` its class weight, the inner estimator gets
    ``sample_weight_i = w_{y_i} * s_i`` where ``s_i`` is the user's sample
    weight (1 by default); ``class_weight_`` follows
    :func:`~skbalance.weights.compute_class_weights`.

    Samplers with a neighbour count are adapted to the small classes of the
    rows being fitted (on ``sampler_``; the user's sampler is left as it
    is). With ``n_min`` the size of the smallest class, ``k_neighbors`` of
    SMOTE and its variants (also the ``smote`` step of SMOTEENN and
    SMOTETomek) and ``n_neighbors`` of ADASYN become at most ``n_min - 1``:
    they count neighbours within a row's own class. ``n_neighbors`` of
    NearMiss becomes at most ``n_min``, and its ``n_neighbors_ver3`` at most
    the size of the smallest class it under-samples: those neighbours are
    looked for in another class. A class with a single row cannot be
    interpolated: for the over-samplers that row is repeated once first, so
    SMOTE, BorderlineSMOTE and SVMSMOTE generate copies of it, while ADASYN,
    which then finds no row of another class among that row's neighbours,
    raises imbalanced-learn's ``RuntimeError`` (use SMOTE or
    ``RandomOverSampler`` for such data). Resampled rows keep their ``sample_weight``; synthetic
    rows get the mean weight of their class.

    Prior correction follows the rule ``p'(c|x) ∝ p(c|x) * π'_c / π_c``
    (:func:`~skbalance.priors.correct_prior_shift`), with ``π`` the
    effective training prior and ``π'`` the target prior. ``predict`` is
    always the argmax of ``predict_proba`` (of ``decision_function`` when
    the estimator has no ``predict_proba``).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from skbalance import BalancedClassifier
    >>> X, y = make_classification(n_samples=300, weights=[0.9, 0.1], random_state=0)
    >>> clf = BalancedClassifier(RandomForestClassifier(random_state=0), random_state=0)
    >>> clf.fit(X, y).class_weight_
    {0: 0.5597..., 1: 4.6875}
    >>> clf.fit_mode_
    'sample_weight'
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "weighting": _WEIGHTING_CONSTRAINT,
        "sampler": [HasMethods(["fit_resample"]), None],
        "prior": [StrOptions({"train", "uniform"}), "array-like", dict, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self, estimator=None, *, weighting="balanced", sampler=None, prior=None, random_state=None
    ):
        self.estimator = estimator
        self.weighting = weighting
        self.sampler = sampler
        self.prior = prior
        self.random_state = random_state

    def _tag_estimators(self):
        # the sampler gets X before the estimator does
        sampler = [] if self.sampler is None else [self.sampler]
        return [self._get_estimator(), *sampler]

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the inner estimator with class weights.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed to the sampler and the estimator as is.
        y : array-like of shape (n_samples,)
            Class labels of any kind.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights, multiplied with the class weights.
        **fit_params : dict
            Other parameters for the estimator's ``fit``; with metadata
            routing enabled, only those the estimator requested. Those with
            one value per sample follow the rows the sampler (or the
            resampling) keeps; with a sampler that makes synthetic rows
            (SMOTE, ...) they are a ``ValueError``.

        Returns
        -------
        self : BalancedClassifier
            The fitted meta-estimator.
        """
        estimator = self._get_estimator()
        _check_classifier(estimator, "estimator")
        _check_prior_is_usable(self.prior, estimator)
        X, y, self.classes_, codes, sample_weight = _check_fit_input(self, X, y, sample_weight)
        train_counts = np.bincount(codes, weights=sample_weight, minlength=len(self.classes_))
        _check_two_weighted_classes(self.classes_, train_counts)
        self.target_prior_ = self._target_prior(train_counts)
        fit_params = self._route_fit_params(fit_params)

        X_fit, y_fit, sw_fit, rows = self._apply_sampler(X, y, sample_weight)
        fit_params = _take_rows(fit_params, X, rows, self.sampler_)
        # without a sampler the labels are already encoded: no second pass
        codes_fit = codes if y_fit is y else _encode_labels(y_fit, self.classes_)[1]
        del codes
        weights = self._class_weights(codes_fit, sw_fit)
        self.estimator_ = clone(estimator)
        accepts = _accepts_sample_weight(self.estimator_)
        self.fit_mode_ = "sample_weight" if accepts else "resample"
        if sw_fit is None and np.allclose(weights, 1.0, rtol=1e-12, atol=0.0):
            # unit weights change nothing but how some estimators draw random
            # numbers (a forest's bootstrap): fit exactly as without weighting
            del codes_fit
            mass = self.class_counts_
            self.estimator_.fit(X_fit, y_fit, **fit_params)
        elif accepts:
            per_sample = weights[codes_fit]
            if sw_fit is not None:
                per_sample *= sw_fit
            # the codes are not needed any more: free them before the inner fit
            del codes_fit
            # the weight mass of class c is w_c times its (weighted) count
            mass = weights * self.class_counts_
            _fit_with_sample_weight(self.estimator_, X_fit, y_fit, per_sample, fit_params)
        else:
            del codes_fit
            resampler = ClassWeightResampler(self.weighting, random_state=_as_seed(self.random_state))
            X_res, y_fit = resampler.fit_resample(X_fit, y_fit, sample_weight=sw_fit)
            fit_params = _take_rows(fit_params, X_fit, resampler.sample_indices_, resampler)
            self.estimator_.fit(X_res, y_fit, **fit_params)
            mass = np.bincount(
                _encode_labels(np.asarray(y_fit), self.classes_)[1],
                minlength=len(self.classes_),
            )
        self.effective_prior_ = mass / mass.sum()
        return self

    def _class_weights(self, codes_fit, sw_fit):
        """Set ``class_counts_`` and ``class_weight_``; return the weights array."""
        self.class_counts_ = np.bincount(
            codes_fit, weights=sw_fit, minlength=len(self.classes_)
        ).astype(np.float64)
        weights = _as_transformer(self.weighting)._weights_for_counts(
            self.class_counts_, self.classes_
        )
        self.class_weight_ = dict(zip(self.classes_.tolist(), weights.tolist()))
        return weights

    def _target_prior(self, train_counts):
        """The prior probabilities are corrected to, as an array (or None)."""
        prior = self.prior
        if prior is None:
            return None
        if isinstance(prior, str):
            if prior == "train":
                return train_counts / train_counts.sum()
            return np.full(len(self.classes_), 1.0 / len(self.classes_))
        if isinstance(prior, dict):
            unknown = [label for label in prior if label not in set(self.classes_.tolist())]
            if unknown:
                raise ValueError(
                    f"prior names labels that are not in y: {unknown}. "
                    f"Known labels: {self.classes_.tolist()}."
                )
            missing = [label for label in self.classes_.tolist() if label not in prior]
            if missing:
                raise ValueError(
                    f"prior has no value for the labels {missing}; give every class "
                    f"of y a prior. Labels: {self.classes_.tolist()}."
                )
            prior = [prior[label] for label in self.classes_.tolist()]
        try:
            prior = np.asarray(prior, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"prior must hold numbers, got {prior!r}.") from exc
        if prior.shape != self.classes_.shape:
            raise ValueError(
                f"prior must have one value per class ({len(self.classes_)}), "
                f"got shape {prior.shape}."
            )
        if not np.isfinite(prior).all() or (prior <= 0).any():
            raise ValueError(f"prior must hold finite, positive numbers, got {prior.tolist()}.")
        return prior / prior.sum()

    def _apply_sampler(self, X, y, sample_weight):
        """Run the sampler; return the rows, labels and weights it leaves.

        Also returns ``rows``: for each output row, the input row it copies
        (None when the sampler makes synthetic rows, ``slice(None)`` when
        there is no sampler).
        """
        if self.sampler is None:
            self.sampler_ = None
            return X, y, sample_weight, slice(None)
        self.sampler_ = clone(self.sampler)
        if "random_state" in self.sampler_.get_params() and (
            self.sampler_.get_params()["random_state"] is None
        ):
            self.sampler_.set_params(random_state=_as_seed(self.random_state))
        rows = _adapt_to_small_classes(self.sampler_, y)
        if rows is not None:
            X, y = _safe_indexing(X, rows), y[rows]
            sample_weight = None if sample_weight is None else sample_weight[rows]
        X_res, y_res = self.sampler_.fit_resample(X, y)
        y_res = np.asarray(y_res)
        kept = getattr(self.sampler_, "sample_indices_", None)
        if kept is not None and rows is not None:
            kept = rows[kept]
        if sample_weight is None:
            return X_res, y_res, None, kept
        return X_res, y_res, _follow_rows(self.sampler_, y, sample_weight, y_res), kept

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Predict class probabilities, corrected to ``prior`` if given.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns aligned with ``classes_``.
        """
        check_is_fitted(self)
        _check_X(self, X, reset=False)
        proba = _align_columns(
            self.estimator_.predict_proba(X), self.estimator_.classes_, self.classes_
        )
        if self.target_prior_ is None:
            return proba
        return correct_prior_shift(proba, self.effective_prior_, self.target_prior_)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the inner estimator (not prior-corrected).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The inner estimator's scores.
        """
        check_is_fitted(self)
        _check_X(self, X, reset=False)
        return self.estimator_.decision_function(X)

    def predict(self, X):
        """Predict the class of each sample.

        The argmax of ``predict_proba`` (or of ``decision_function`` when the
        estimator has no ``predict_proba``; its ``predict`` when it has
        neither).

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        check_is_fitted(self)
        if hasattr(self.estimator_, "predict_proba"):
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        if hasattr(self.estimator_, "decision_function"):
            _check_X(self, X, reset=False)
            scores = self.estimator_.decision_function(X)
            inner = self.estimator_.classes_
            if scores.ndim == 1:
                return inner[(scores > 0).astype(np.intp)]
            return inner[np.argmax(scores, axis=1)]
        _check_X(self, X, reset=False)
        return self.estimator_.predict(X)


def _check_prior_is_usable(prior, estimator):
    """Refuse a ``prior`` that an estimator without ``predict_proba`` would ignore."""
    if prior is not None and not hasattr(estimator, "predict_proba"):
        raise ValueError(
            f"prior corrects predicted probabilities, but estimator "
            f"({type(estimator).__name__}) has no predict_proba, so the prior "
            "would be ignored. Use prior=None, or a classifier with "
            "predict_proba (e.g. CalibratedClassifierCV around it, or "
            "SVC(probability=True))."
        )
