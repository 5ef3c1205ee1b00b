"""BalancedClassifier: class weights and samplers inside any classifier's fit."""

from numbers import Integral

import numpy as np
from imblearn.over_sampling import SMOTE
from imblearn.under_sampling import NearMiss
from imblearn.utils import check_sampling_strategy
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping, process_routing
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    has_fit_parameter,
)

from ._sklearn_compat import (
    HasMethods,
    StrOptions,
    _check_method_params,
    _check_sample_weight,
    _fit_context,
    _routing_enabled,
    _safe_indexing,
)
from ._validation import (
    _align_columns,
    _check_X,
    _check_at_least_two_classes,
    _check_two_weighted_classes,
    _check_classifier,
    _check_labels,
    _encode_labels,
)
from .priors import correct_prior_shift
from .resampling import ClassWeightResampler
from .transformer import _WEIGHTING_CONSTRAINT, _as_transformer

__all__ = ["BalancedClassifier"]

#: Neighbour counts of over-samplers, searched among the rows of a row's own class.
_NEIGHBOUR_PARAMS = ("k_neighbors", "n_neighbors")


def _estimator_has(attr):
    """Check, for ``available_if``, that the (fitted or default) estimator has ``attr``."""

    def check(self):
        estimator = getattr(self, "estimator_", None) or self._get_estimator()
        return hasattr(estimator, attr)

    return check


class BalancedClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
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
        _check_X(self, X, reset=True)
        y = _check_labels(y)
        check_classification_targets(y)
        check_consistent_length(X, y)
        self.classes_, codes = _encode_labels(y)
        _check_at_least_two_classes(self.classes_)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=np.float64, ensure_non_negative=True
            )
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
        if _accepts_sample_weight(self.estimator_):
            self.fit_mode_ = "sample_weight"
            per_sample = weights[codes_fit]
            if sw_fit is not None:
                per_sample *= sw_fit
            # the codes are not needed any more: free them before the inner fit
            del codes_fit
            # the weight mass of class c is w_c times its (weighted) count
            mass = weights * self.class_counts_
            _fit_with_sample_weight(self.estimator_, X_fit, y_fit, per_sample, fit_params)
        else:
            self.fit_mode_ = "resample"
            del codes_fit
            resampler = ClassWeightResampler(self.weighting, random_state=self._seed())
            X_res, y_fit = resampler.fit_resample(X_fit, y_fit, sample_weight=sw_fit)
            fit_params = _take_rows(fit_params, X_fit, resampler.sample_indices_, resampler)
            self.estimator_.fit(X_res, y_fit, **fit_params)
            mass = np.bincount(
                _encode_labels(np.asarray(y_fit), self.classes_)[1],
                minlength=len(self.classes_),
            )
        self.effective_prior_ = mass / mass.sum()
        return self

    def _get_estimator(self):
        """The estimator to clone: the user's or the default."""
        if self.estimator is None:
            return LogisticRegression(max_iter=1000)
        return self.estimator

    def _seed(self):
        """An integer seed drawn from ``random_state`` (None stays None)."""
        if self.random_state is None or isinstance(self.random_state, Integral):
            return self.random_state
        return check_random_state(self.random_state).randint(np.iinfo(np.int32).max)

    def _route_fit_params(self, fit_params):
        """The fit parameters meant for the inner estimator."""
        if not _routing_enabled():
            return fit_params
        return process_routing(self, "fit", **fit_params).estimator.fit

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
            self.sampler_.set_params(random_state=self._seed())
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

    @available_if(_estimator_has("predict_proba"))
    def predict_log_proba(self, X):
        """Predict the logarithm of the class probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities, columns aligned with ``classes_``.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

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

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        ``sample_weight`` is consumed by the meta-estimator itself (it is
        multiplied with the class weights); other metadata requested by the
        inner estimator's ``fit`` is routed to it.

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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self._get_estimator())
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.string = inner.input_tags.string
        tags.input_tags.categorical = inner.input_tags.categorical
        return tags


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


def _accepts_sample_weight(estimator):
    """Whether ``estimator.fit`` (or a pipeline's final step) takes sample_weight.

    A pipeline with a sampler step does not: the sampler changes the rows
    before the final step, so weights aligned with the input would not fit.
    """
    final = _final_step(estimator)
    return (
        final is not None
        and not _has_sampler_step(estimator)
        and has_fit_parameter(final, "sample_weight")
    )


def _has_sampler_step(estimator):
    """Whether a (nested) pipeline has a step with ``fit_resample``."""
    return any(
        hasattr(step, "fit_resample") or _has_sampler_step(step)
        for _, step in getattr(estimator, "steps", ())
    )


def _take_rows(fit_params, X, rows, sampler):
    """Fit parameters with one value per row of ``X``, following a sampler's rows.

    ``rows`` gives, for each output row, the row of ``X`` it copies
    (``slice(None)``: rows unchanged; None: the sampler made synthetic rows,
    which per-row metadata cannot follow).
    """
    if isinstance(rows, slice) or not fit_params:
        return fit_params
    if rows is not None:
        return _check_method_params(X, fit_params, indices=rows)
    per_row = _per_sample_params(X, fit_params)
    if per_row:
        raise ValueError(
            f"The fit parameters {per_row} hold one value per sample, but "
            f"{type(sampler).__name__} creates synthetic samples, which have no such "
            "value. Use a sampler that only selects or repeats samples, or drop them."
        )
    return fit_params


def _final_step(estimator):
    """The final estimator of a pipeline, or the estimator itself."""
    steps = getattr(estimator, "steps", None)
    if steps is None:
        return estimator
    return _final_step(steps[-1][1]) if steps[-1][1] != "passthrough" else None


def _fit_with_sample_weight(estimator, X, y, sample_weight, fit_params):
    """Fit ``estimator`` with ``sample_weight``, reaching a pipeline's last step."""
    steps = getattr(estimator, "steps", None)
    if steps is None:
        return estimator.fit(X, y, sample_weight=sample_weight, **fit_params)
    if _routing_enabled():
        # the pipeline routes sample_weight to every step that accepts it and
        # raises for steps with no request: only the final step is meant to get it
        _decline_sample_weight(estimator)
        _final_step(estimator).set_fit_request(sample_weight=True)
        return estimator.fit(X, y, sample_weight=sample_weight, **fit_params)
    return estimator.fit(X, y, **{f"{_step_path(estimator)}__sample_weight": sample_weight}, **fit_params)


def _decline_sample_weight(pipeline):
    """Set ``sample_weight=False`` on the (cloned) pipeline's steps that have no request."""
    for _, step in pipeline.steps:
        if hasattr(step, "steps"):
            _decline_sample_weight(step)
        elif hasattr(step, "set_fit_request"):
            requests = step.get_metadata_routing().fit.requests
            if "sample_weight" in requests and requests["sample_weight"] is None:
                step.set_fit_request(sample_weight=False)


def _step_path(estimator):
    """``name1__name2...`` of a (nested) pipeline's final step."""
    name, step = estimator.steps[-1]
    if hasattr(step, "steps"):
        return f"{name}__{_step_path(step)}"
    return name


def _per_sample_params(X, fit_params):
    """Names of the fit parameters scikit-learn indexes with the rows of ``X``."""
    indexed = _check_method_params(X, fit_params, indices=[0])
    return [name for name, value in fit_params.items() if indexed[name] is not value]


def _adapt_to_small_classes(sampler, y):
    """Shrink a sampler's neighbour counts to what the small classes allow.

    An over-sampler (SMOTE and its variants, ADASYN, the ``smote`` step of
    SMOTEENN and SMOTETomek) looks for the neighbours of a row among the
    other rows of its class: its count becomes at most ``n_min - 1``, and a
    single-row class is repeated once first. NearMiss looks for neighbours
    among the rows of another class: see :func:`_adapt_near_miss`. Counts
    given as neighbour estimators rather than integers are left alone.

    Returns the row indices to fit the sampler on when single-row classes must
    be repeated, else None.
    """
    classes, codes = _encode_labels(y)
    counts = np.bincount(codes)
    if isinstance(sampler, NearMiss):
        _adapt_near_miss(sampler, y, dict(zip(classes.tolist(), counts.tolist())))
        return None
    over_sampler = _within_class_sampler(sampler)
    if over_sampler is None:
        return None
    params = over_sampler.get_params(deep=False)
    names = [name for name in _NEIGHBOUR_PARAMS if isinstance(params.get(name), Integral)]
    if not names:
        return None
    rows = None
    if counts.min() < 2:
        singletons = np.flatnonzero(np.isin(codes, np.flatnonzero(counts < 2)))
        rows = np.concatenate([np.arange(len(y)), singletons])
        counts = np.maximum(counts, 2)
    over_sampler.set_params(
        **{name: min(params[name], int(counts.min()) - 1) for name in names}
    )
    return rows


def _within_class_sampler(sampler):
    """The over-sampler that interpolates within classes, or None.

    That is ``sampler`` itself or, for SMOTEENN and SMOTETomek, their
    ``smote`` step; when left to None it is made explicit, as they would
    build it, so that its ``k_neighbors`` can be adapted.
    """
    if getattr(sampler, "_sampling_type", None) != "over-sampling":
        return None
    params = sampler.get_params(deep=False)
    if "smote" not in params:
        return sampler
    if params["smote"] is None:
        sampler.set_params(
            smote=SMOTE(
                sampling_strategy=params["sampling_strategy"],
                random_state=params["random_state"],
            )
        )
    return sampler.smote


def _adapt_near_miss(sampler, y, counts):
    """Shrink NearMiss's neighbour counts to the classes they search.

    ``n_neighbors`` neighbours are looked for among the rows of the smallest
    class, so it becomes at most that class's size; ``n_neighbors_ver3``
    (``version=3``) neighbours among the rows of each class NearMiss
    under-samples, so at most the smallest of those. ``counts`` maps each
    label to its number of rows.
    """
    params = sampler.get_params(deep=False)
    under_sampled = check_sampling_strategy(params["sampling_strategy"], y, "under-sampling")
    caps = {
        "n_neighbors": min(counts.values()),
        "n_neighbors_ver3": min((counts[label] for label in under_sampled), default=None),
    }
    sampler.set_params(
        **{
            name: min(params[name], cap)
            for name, cap in caps.items()
            if cap is not None and isinstance(params[name], Integral)
        }
    )


def _follow_rows(sampler, y, sample_weight, y_res):
    """Carry ``sample_weight`` over to the sampler's output rows.

    Rows the sampler reports (``sample_indices_``) keep their weight; with an
    over-sampler, the leading rows are the originals; other (synthetic) rows
    get the mean weight of their class.
    """
    indices = getattr(sampler, "sample_indices_", None)
    if indices is not None:
        return sample_weight[indices]
    classes, codes = _encode_labels(y)
    totals = np.bincount(codes, weights=sample_weight, minlength=len(classes))
    class_mean = totals / np.maximum(np.bincount(codes, minlength=len(classes)), 1)
    weights = class_mean[_encode_labels(y_res, classes)[1]]
    # combined samplers (SMOTEENN, ...) are over-samplers whose output does not
    # start with the input rows: check the labels at least line up
    if (
        getattr(sampler, "_sampling_type", None) == "over-sampling"
        and len(y_res) >= len(y)
        and np.array_equal(y_res[: len(y)], y)
    ):
        weights[: len(y)] = sample_weight
    return weights
