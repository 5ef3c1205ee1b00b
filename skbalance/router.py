"""SmallClassRouter: a main classifier for frequent classes, a small one for rare ones."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, indexable

from ._base import _MetaClassifierMixin
from ._pipeline import _accepts_sample_weight, _fit_with_sample_weight
from ._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _check_method_params,
    _fit_context,
    _num_samples,
    _raise_for_params,
    _routing_enabled,
    _safe_indexing,
    validate_data,
)
from ._validation import (
    _align_columns,
    _check_classifier,
    _check_fit_input,
    _check_two_weighted_classes,
    _encode_labels,
)
from .classifier import BalancedClassifier

__all__ = ["SmallClassRouter"]


def _sub_estimators_have(attr):
    """Check, for ``available_if``, that every sub-estimator in use has ``attr``.

    Before ``fit`` the parameters are checked (None stands for the default
    BalancedClassifier, which has the probability methods); after ``fit``
    only the estimators that were fitted.
    """

    def check(self):
        if hasattr(self, "classes_"):
            estimators = (self.main_estimator_, self.rare_estimator_)
        else:
            estimators = (self.estimator, self.rare_estimator)
        return all(estimator is None or hasattr(estimator, attr) for estimator in estimators)

    return check


class SmallClassRouter(_MetaClassifierMixin, ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Group rare classes for a main classifier and tell them apart with a small one.

    The main estimator is trained on the frequent classes plus one
    meta-class standing for all rare classes; the secondary (rare) estimator
    is trained only on the rows of the rare classes. At prediction time the
    two are combined by the law of total probability (``routing="soft"``)
    or by sending the rows the main estimator assigns to the meta-class to
    the secondary estimator (``routing="hard"``).

    Parameters
    ----------
    estimator : classifier, default=None
        The main classifier, fitted on the frequent classes plus the
        meta-class. Cloned, never modified. None means
        :class:`BalancedClassifier` with its defaults. It is fitted on integer
        codes (see Notes), so label-keyed parameters of this estimator (a
        weighting dict, say) must use the codes.
    rare_estimator : classifier, default=None
        The secondary classifier, fitted on the rare-class rows with their
        original labels; it may itself be a ``SmallClassRouter`` (a deeper
        hierarchy). Cloned, never modified. None means
        :class:`BalancedClassifier` with its defaults.
    rare_classes : "auto", int or array-like of labels, default="auto"
        Which classes are rare, decided afresh at every ``fit`` (so in every
        cross-validation fold):

        - ``"auto"``: classes with fewer than ``min_samples`` samples when
          ``min_samples`` is given, otherwise classes whose share of the
          samples is below ``max_fraction``;
        - int ``k``: the ``k`` smallest classes (ties broken in the order of
          ``classes_``); ``0`` means none, ``n_classes`` means all;
        - array-like of labels: exactly those classes (an empty list means
          none); every label must occur in ``y``.

        Counts are sums of ``sample_weight`` when one is given.
    min_samples : int >= 1, default=None
        With ``rare_classes="auto"``, a class with fewer (weighted) samples
        is rare; when given it replaces the ``max_fraction`` rule.
    max_fraction : float in (0, 1), default=0.05
        With ``rare_classes="auto"`` and no ``min_samples``, a class whose
        (weighted) share of the samples is below this is rare.
    routing : {"soft", "hard"}, default="soft"
        How predictions combine the two estimators, see Notes. ``"soft"``
        needs ``predict_proba`` from both; ``"hard"`` works with any
        classifier.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Sorted class labels.
    rare_classes_ : ndarray of shape (n_rare_classes,)
        The rare classes of the last ``fit``, in the order of ``classes_``.
    main_estimator_ : classifier or None
        The fitted main estimator; None when every class is rare.
    rare_estimator_ : classifier or None
        The fitted secondary estimator; None when fewer than two classes are
        rare (then no secondary fit is needed).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen in ``fit``, when they are all strings.

    See Also
    --------
    BalancedClassifier : Class weights and samplers inside one classifier.
    sklearn.multiclass.OneVsRestClassifier : Another decomposition of a
        multi-class problem.

    Notes
    -----
    With ``F`` the frequent classes and ``R`` the rare ones, the main
    estimator is fitted on the codes ``0 .. m-1`` (the frequent classes in
    the order of ``classes_``) and ``m`` (the meta-class ``R``); users only
    ever see ``classes_``. Probabilities follow:

    - ``routing="soft"``: ``P(c|x) = P_main(c|x)`` for ``c`` in ``F`` and
      ``P(c|x) = P_main(R|x) * P_rare(c|x)`` for ``c`` in ``R``; rows sum to 1.
    - ``routing="hard"``: a row is routed to the secondary estimator when
      the meta-class is the main estimator's most probable class. A routed
      row gets ``P(c|x) = P_rare(c|x)`` on ``R`` and 0 on ``F``; any other
      row gets ``P(c|x) = P_main(c|x) / (1 - P_main(R|x))`` on ``F`` and 0
      on ``R``.

    With no rare class the router is the main estimator; with a single rare
    class ``P_rare = 1`` for it; with every class rare ``P_main(R|x) = 1``.
    ``predict`` is the argmax of ``predict_proba`` (the first class in
    ``classes_`` order on ties), so the two always agree. In hard routing
    with a main estimator that has no ``predict_proba``, rows are routed by
    its ``predict`` and labelled by the secondary estimator's ``predict``.

    ``sample_weight`` is used to count classes, then passed to the main
    estimator and, for the rare rows, to the secondary one.

    With ``rare_classes="auto"`` and more than ``1 / max_fraction`` classes
    of similar size, every class can fall below ``max_fraction``; the router
    then reduces to the secondary estimator. Check ``rare_classes_``, or
    give ``min_samples``, an int or a list.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skbalance.datasets import load_long_tailed_digits
    >>> from skbalance import SmallClassRouter
    >>> X, y = load_long_tailed_digits(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    >>> router = SmallClassRouter(model, model).fit(X, y)
    >>> router.rare_classes_
    array([5, 6, 7, 8, 9])
    >>> router.predict_proba(X[:3]).sum(axis=1)
    array([1., 1., 1.])
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "rare_estimator": [HasMethods(["fit", "predict"]), None],
        "rare_classes": [
            StrOptions({"auto"}),
            Interval(Integral, 0, None, closed="left"),
            "array-like",
        ],
        "min_samples": [Interval(Integral, 1, None, closed="left"), None],
        "max_fraction": [Interval(Real, 0, 1, closed="neither")],
        "routing": [StrOptions({"soft", "hard"})],
    }

    def __init__(
        self,
        estimator=None,
        rare_estimator=None,
        *,
        rare_classes="auto",
        min_samples=None,
        max_fraction=0.05,
        routing="soft",
    ):
        self.estimator = estimator
        self.rare_estimator = rare_estimator
        self.rare_classes = rare_classes
        self.min_samples = min_samples
        self.max_fraction = max_fraction
        self.routing = routing

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the main estimator and, when needed, the secondary one.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed to the sub-estimators as is (the secondary
            one gets the rare-class rows).
        y : array-like of shape (n_samples,)
            Class labels of any kind, at least two classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights: class counts become sums of weights,
            and the weights are passed on to both sub-estimators.
        **fit_params : dict
            Other parameters for the sub-estimators' ``fit``; only with
            metadata routing enabled, each gets what it requested.

        Returns
        -------
        self : SmallClassRouter
            The fitted router.
        """
        main_params, rare_params = self._route_fit_params(fit_params)
        main, rare = self._checked_estimators()
        X, y, classes, codes, sample_weight = _check_fit_input(self, X, y, sample_weight)
        counts = np.bincount(codes, weights=sample_weight, minlength=len(classes))
        _check_two_weighted_classes(classes, counts)
        is_rare = self._select_rare(counts.astype(np.float64), classes)
        n_frequent = int((~is_rare).sum())

        if n_frequent == 0:
            main = None
        else:
            codes_main = np.full(len(classes), n_frequent, dtype=np.intp)
            codes_main[~is_rare] = np.arange(n_frequent)
            _fit(main, "estimator", X, codes_main[codes], sample_weight, main_params)
        if len(classes) - n_frequent < 2:
            rare = None
        else:
            rows = np.flatnonzero(is_rare[codes])
            if rows.size < codes.size:  # one copy of the rare rows; none when all are rare
                rare_params = _check_method_params(X, rare_params, rows)
                X, y = _safe_indexing(X, rows), y[rows]
                sample_weight = None if sample_weight is None else sample_weight[rows]
            _fit(rare, "rare_estimator", X, y, sample_weight, rare_params)

        self.classes_, self.rare_classes_ = classes, classes[is_rare]
        self.main_estimator_, self.rare_estimator_ = main, rare
        return self

    @available_if(_sub_estimators_have("predict_proba"))
    def predict_proba(self, X):
        """Predict class probabilities, combining the two estimators.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities following the law in Notes; columns follow
            ``classes_`` and rows sum to 1.
        """
        X = self._check_predict_input(X)
        return self._routed_proba(X)

    def predict(self, X):
        """Predict the class of each sample.

        The argmax of ``predict_proba``; in hard routing with a sub-estimator
        that has no ``predict_proba``, the routed ``predict`` of the two.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels, taken from ``classes_``.
        """
        check_is_fitted(self)
        if hasattr(self, "predict_proba"):
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        X = self._check_predict_input(X)
        return self.classes_[self._hard_predict_codes(X)]

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        ``sample_weight`` is consumed by the router itself (it counts classes
        with it) and handed to both sub-estimators; other metadata requested
        by a sub-estimator's ``fit`` is routed to it.

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
                estimator=_or_default(self.estimator),
                method_mapping=MethodMapping().add(caller="fit", callee="fit"),
            )
            .add(
                rare_estimator=_or_default(self.rare_estimator),
                method_mapping=MethodMapping().add(caller="fit", callee="fit"),
            )
        )

    def _tag_estimators(self):
        # every row reaches one estimator or both, so accept what both accept
        return [_or_default(self.estimator), _or_default(self.rare_estimator)]

    # -- fit helpers ---------------------------------------------------------

    def _route_fit_params(self, fit_params):
        """The fit parameters meant for the main and the secondary estimator."""
        if not _routing_enabled():
            _raise_for_params(fit_params, self, "fit")
            return {}, {}
        routed = process_routing(self, "fit", **fit_params)
        return routed.estimator.fit, routed.rare_estimator.fit

    def _checked_estimators(self):
        """Unfitted clones of both sub-estimators, checked for this routing."""
        estimators = []
        for name in ("estimator", "rare_estimator"):
            estimator = clone(_or_default(getattr(self, name)))
            _check_classifier(estimator, name)
            if self.routing == "soft" and not hasattr(estimator, "predict_proba"):
                raise ValueError(
                    f"routing='soft' multiplies probabilities, but {name} "
                    f"({type(estimator).__name__}) has no predict_proba. Use "
                    "routing='hard', or a classifier with predict_proba (e.g. "
                    "SVC(probability=True) or CalibratedClassifierCV)."
                )
            estimators.append(estimator)
        return estimators

    def _select_rare(self, counts, classes):
        """Boolean mask over ``classes`` of the rare classes."""
        n_classes = len(counts)
        rare_classes = self.rare_classes
        if isinstance(rare_classes, str):
            if self.min_samples is not None:
                return counts < self.min_samples
            return counts < self.max_fraction * counts.sum()
        if isinstance(rare_classes, Integral):
            if rare_classes > n_classes:
                raise ValueError(
                    f"rare_classes={rare_classes} asks for the {rare_classes} smallest "
                    f"classes, but y has only {n_classes} classes: "
                    f"{classes.tolist()}."
                )
            is_rare = np.zeros(n_classes, dtype=bool)
            is_rare[np.argsort(counts, kind="stable")[:rare_classes]] = True
            return is_rare
        return _mask_of_labels(rare_classes, classes)

    # -- prediction helpers --------------------------------------------------

    def _check_predict_input(self, X):
        """Check feature count and names as in ``fit``; the sub-estimators check the rest."""
        check_is_fitted(self)
        if hasattr(self, "n_features_in_") and _is_1d(X):
            raise ValueError(
                "Expected a 2-D array of samples, got a 1-D array instead. Reshape "
                "your data either using array.reshape(-1, 1) if your data has a "
                "single feature or array.reshape(1, -1) if it contains a single sample."
            )
        validate_data(self, X, reset=False, skip_check_array=True)
        return indexable(X)[0]

    def _layout(self):
        """Indices in ``classes_`` of the frequent and of the rare classes."""
        is_rare = np.zeros(len(self.classes_), dtype=bool)
        is_rare[np.searchsorted(self.classes_, self.rare_classes_)] = True
        return np.flatnonzero(~is_rare), np.flatnonzero(is_rare)

    def _main_proba(self, X, n_codes):
        """``P_main`` with columns re-aligned to the codes ``0 .. n_codes-1``."""
        proba = self.main_estimator_.predict_proba(X)
        return _align_columns(proba, self.main_estimator_.classes_, np.arange(n_codes))

    def _rare_proba(self, X):
        """``P_rare`` with columns re-aligned to ``rare_classes_``."""
        proba = self.rare_estimator_.predict_proba(X)
        return _align_columns(proba, self.rare_estimator_.classes_, self.rare_classes_)

    def _routed_proba(self, X):
        """Probabilities of either routing (see Notes), columns following ``classes_``."""
        frequent, rare = self._layout()
        if self.main_estimator_ is None:  # every class rare: P_main(R) = 1
            return self._rare_proba(X)
        n_frequent = len(frequent)
        main = self._main_proba(X, n_frequent + (len(rare) > 0))
        if len(rare) == 0:
            return _in_class_order(main, frequent, rare)
        # columns in code order (frequent, then rare); slices, not fancy indexing
        combine = self._soft_combine if self.routing == "soft" else self._hard_combine
        return _in_class_order(combine(X, main, n_frequent), frequent, rare)

    def _soft_combine(self, X, main, n_frequent):
        """P_main for frequent classes, P_main(rare) * P_rare for rare ones."""
        proba = np.empty((main.shape[0], len(self.classes_)))
        proba[:, :n_frequent] = main[:, :n_frequent]
        p_meta = main[:, n_frequent:]
        if self.rare_estimator_ is None:
            proba[:, n_frequent:] = p_meta
        else:
            np.multiply(p_meta, self._rare_proba(X), out=proba[:, n_frequent:])
        return proba

    def _hard_combine(self, X, main, n_frequent):
        """Rows the main estimator routes to the rare classes get P_rare, others P_main."""
        proba = np.empty((main.shape[0], len(self.classes_)))
        p_meta = main[:, n_frequent]
        routed = _meta_wins(main, p_meta)
        with np.errstate(divide="ignore", invalid="ignore"):  # routed rows are overwritten
            scale = 1.0 / (1.0 - p_meta)
            np.multiply(main[:, :n_frequent], scale[:, np.newaxis], out=proba[:, :n_frequent])
        proba[:, n_frequent:] = 0.0
        if routed.size:
            proba[routed, :n_frequent] = 0.0
            if self.rare_estimator_ is None:
                proba[routed, n_frequent] = 1.0
            else:
                proba[routed, n_frequent:] = self._rare_proba(_safe_indexing(X, routed))
        return proba

    def _hard_predict_codes(self, X):
        """Indices in ``classes_`` predicted by routed ``predict`` calls."""
        frequent, rare = self._layout()
        if self.main_estimator_ is None:
            is_routed = np.ones(_num_samples(X), dtype=bool)
            out = np.empty(is_routed.size, dtype=np.intp)
        else:
            main = np.asarray(self.main_estimator_.predict(X)).astype(np.intp)
            is_routed = main == len(frequent)
            out = np.empty(main.shape[0], dtype=np.intp)
            out[~is_routed] = frequent[main[~is_routed]]
        routed = np.flatnonzero(is_routed)
        if routed.size == 0:
            return out
        if self.rare_estimator_ is None:
            out[routed] = rare[0]
            return out
        X_routed = X if routed.size == out.size else _safe_indexing(X, routed)
        labels = np.asarray(self.rare_estimator_.predict(X_routed))
        out[routed] = rare[_encode_labels(labels, self.rare_classes_)[1]]
        return out


def _in_class_order(proba, frequent, rare):
    """Reorder columns given in code order (frequent, then rare) to ``classes_`` order."""
    order = np.concatenate([frequent, rare])
    if np.array_equal(order, np.arange(order.size)):
        return proba
    return proba[:, np.argsort(order)]


def _meta_wins(main, p_meta):
    """Rows where the meta-class (last column) is the argmax of ``main`` (first on ties)."""
    frequent = main[:, :-1]
    if frequent.shape[1] > 32:
        best = frequent.max(axis=1)
    else:  # a loop over few columns beats numpy's row-wise reduction on narrow arrays
        best = frequent[:, 0].copy()
        for j in range(1, frequent.shape[1]):
            np.maximum(best, frequent[:, j], out=best)
    return np.flatnonzero(p_meta > best)


def _or_default(estimator):
    """The given sub-estimator, or the default ``BalancedClassifier()``."""
    return BalancedClassifier() if estimator is None else estimator


def _is_1d(X):
    """Whether ``X`` is a 1-D array or a list of scalars (a misshapen sample matrix)."""
    if hasattr(X, "shape"):
        return len(X.shape) == 1
    return isinstance(X, (list, tuple)) and len(X) > 0 and np.ndim(X[0]) == 0


def _mask_of_labels(labels, classes):
    """Boolean mask over ``classes`` of the user's ``rare_classes`` labels."""
    position = {label: i for i, label in enumerate(classes.tolist())}
    wanted = list(labels)
    unknown = [label for label in wanted if _lookup(position, label) is None]
    if unknown:
        raise ValueError(
            f"rare_classes names labels that are not in y: {unknown}. Labels of "
            f"y: {classes.tolist()}. Give labels of the same type as y."
        )
    is_rare = np.zeros(len(classes), dtype=bool)
    is_rare[[_lookup(position, label) for label in wanted]] = True
    return is_rare


def _lookup(position, label):
    """Position of ``label`` (a NumPy scalar counts as its Python value)."""
    try:
        return position.get(label.item() if isinstance(label, np.generic) else label)
    except TypeError:  # unhashable label
        return None


def _fit(estimator, name, X, y, sample_weight, fit_params):
    """Fit a sub-estimator, handing it ``sample_weight`` when there is one."""
    if sample_weight is None:
        return estimator.fit(X, y, **fit_params)
    if not _accepts_sample_weight(estimator):
        raise ValueError(
            f"sample_weight was given, but {name} ({type(estimator).__name__}) "
            "does not accept sample_weight in fit. Wrap it in "
            "BalancedClassifier(..., weighting=None), which applies sample "
            "weights by resampling, or fit without sample_weight."
        )
    return _fit_with_sample_weight(estimator, X, y, sample_weight, fit_params)
