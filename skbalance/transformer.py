"""ClassWeightTransformer: labels in, per-sample weights out."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted

from ._sklearn_compat import Interval, StrOptions, _fit_context, _validate_params
from ._validation import _check_labels, _encode_labels
from .weights import NORMALIZATIONS, SCHEMES, _class_counts, _weights_from_counts

__all__ = ["ClassWeightTransformer"]


class ClassWeightTransformer(TransformerMixin, BaseEstimator):
    """Turn class labels into per-sample weights with a weighting scheme.

    Like :class:`~sklearn.preprocessing.LabelEncoder`, it transforms ``y``:
    ``fit`` learns one weight per class and ``transform`` looks the weight of
    each label up. The learned weights export to Keras (``to_keras``) and to a
    PyTorch loss (``to_array``).

    Parameters
    ----------
    scheme : {"balanced", "inverse", "inverse_sqrt", "effective_number", \
            "log_inverse", "none"}, dict or callable, default="balanced"
        Weighting scheme, see :func:`skbalance.weights.compute_class_weights`.
    beta : float in [0, 1), default=0.999
        Parameter of the ``"effective_number"`` scheme.
    normalize : {"mean", "sum", "classes"} or None, default="mean"
        Normalisation of the weights, see
        :func:`skbalance.weights.compute_class_weights`.
    max_ratio : float >= 1, default=None
        Upper bound on the ratio between the largest and smallest weight.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Sorted labels seen in ``fit``.
    class_counts_ : ndarray of shape (n_classes,)
        Number of samples (or sum of sample weights) of each class.
    class_weight_ : dict
        Mapping label -> weight.

    See Also
    --------
    skbalance.weights.compute_class_weights : The function behind ``fit``.
    ClassWeightResampler : The same weights applied by resampling rows.
    BalancedClassifier : Applies the weights inside any classifier's ``fit``.

    Notes
    -----
    A 2-D ``y`` (sequence labels, as Keras temporal ``sample_weight`` expects)
    is counted element by element and transformed to weights of the same shape.

    It is not a step of a :class:`~sklearn.pipeline.Pipeline`: a pipeline
    passes features ``X`` to its steps, this transforms labels. To weight the
    classes of a pipeline's classifier, make its last step
    ``BalancedClassifier(estimator, weighting=ClassWeightTransformer(...))``.
    A call looking like a pipeline's (a 2-D ``y`` with a second array, or
    continuous values) is refused with an error saying so.

    Examples
    --------
    >>> from skbalance import ClassWeightTransformer
    >>> y = ["ok"] * 6 + ["fraud"] * 2
    >>> cwt = ClassWeightTransformer().fit(y)
    >>> cwt.class_weight_
    {'fraud': 2.0, 'ok': 0.666...}
    >>> cwt.transform(["ok", "fraud"])
    array([0.6667, 2.    ])
    >>> cwt.to_keras()
    {0: 2.0, 1: 0.666...}
    """

    _parameter_constraints: dict = {
        "scheme": [StrOptions(set(SCHEMES)), dict, callable],
        "beta": [Interval(Real, 0, 1, closed="left")],
        "normalize": [StrOptions(set(NORMALIZATIONS)), None],
        "max_ratio": [Interval(Real, 1, None, closed="left"), None],
    }

    def __init__(self, scheme="balanced", *, beta=0.999, normalize="mean", max_ratio=None):
        self.scheme = scheme
        self.beta = beta
        self.normalize = normalize
        self.max_ratio = max_ratio

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, y, sample_weight=None):
        """Learn the class weights of ``y``.

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights; class counts become sums of weights.
            Only for 1-D ``y``.

        Returns
        -------
        self : ClassWeightTransformer
            The fitted transformer.
        """
        self._fit(y, sample_weight)
        return self

    def transform(self, y):
        """Return the weight of each label.

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            Class labels, all seen in ``fit``.

        Returns
        -------
        sample_weight : ndarray of float64, same shape as ``y``
            The weight of each label.
        """
        check_is_fitted(self)
        y = _check_labels(y, allow_2d=True)
        _, codes = _encode_labels(y, self.classes_)
        return self.to_array()[codes]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, y, sample_weight=None):
        """Learn the class weights of ``y`` and return the weight of each label.

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights, see ``fit``.

        Returns
        -------
        sample_weight : ndarray of float64, same shape as ``y``
            The weight of each label.
        """
        codes = self._fit(y, sample_weight)
        return self.to_array()[codes]

    def set_output(self, *, transform=None):
        """Refuse containers other than NumPy arrays: the output is not features.

        ``transform`` returns one weight per label, shaped like ``y``, so
        there are no feature names for a DataFrame. Only ``None`` and
        ``"default"`` (NumPy output, what it always returns) are accepted.

        Parameters
        ----------
        transform : {"default"} or None, default=None
            Output container of ``transform`` and ``fit_transform``.

        Returns
        -------
        self : ClassWeightTransformer
            The transformer, unchanged.
        """
        if transform is None or (isinstance(transform, str) and transform == "default"):
            return self
        raise ValueError(
            f"ClassWeightTransformer.set_output(transform={transform!r}): the output is "
            "one weight per label, shaped like y, not features, so it is always a NumPy "
            "array; wrap it yourself, e.g. pandas.Series(cwt.transform(y), index=y.index). "
            "Inside a pipeline, weight the classes with BalancedClassifier(estimator, "
            "weighting=ClassWeightTransformer(...)) instead."
        )

    def to_array(self):
        """Return the weights aligned with ``classes_``.

        Ready for ``torch.nn.CrossEntropyLoss(weight=torch.tensor(w))`` when
        the network's output units follow ``classes_``.

        Returns
        -------
        weights : ndarray of shape (n_classes,)
            ``weights[i]`` is the weight of ``classes_[i]``.
        """
        check_is_fitted(self)
        return np.fromiter(self.class_weight_.values(), dtype=np.float64)

    def to_keras(self):
        """Return the weights as a Keras ``class_weight`` dict.

        Keras indexes classes by position, so the keys are the indices of
        ``classes_`` (the integer codes a ``LabelEncoder`` would give).

        Returns
        -------
        class_weight : dict
            Mapping class index -> weight.
        """
        return dict(enumerate(self.to_array().tolist()))

    def _fit(self, y, sample_weight):
        """Learn the fitted attributes; return the codes of ``y`` in ``classes_``."""
        y = _check_labels(y, allow_2d=True)
        if sample_weight is not None and y.ndim == 2:
            raise ValueError(
                "ClassWeightTransformer got a 2-D y and a second array, as a Pipeline "
                "step gets (X, y); sample_weight is only supported with a 1-D y. "
                f"{_NOT_A_STEP}"
            )
        _check_discrete(y)
        self.classes_, self.class_counts_, codes = _class_counts(y, sample_weight)
        weights = self._weights_for_counts(self.class_counts_, self.classes_)
        self.class_weight_ = dict(zip(self.classes_.tolist(), weights.tolist()))
        return codes

    def _weights_for_counts(self, counts, classes):
        """Weights of this transformer's scheme for the given class counts."""
        return _weights_from_counts(
            counts,
            self.scheme,
            classes=classes,
            beta=self.beta,
            normalize=self.normalize,
            max_ratio=self.max_ratio,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.target_tags.one_d_labels = True
        return tags


_NOT_A_STEP = (
    "ClassWeightTransformer transforms class labels, not features, so it cannot be a "
    "Pipeline step; to weight classes in a pipeline, make its last step "
    "BalancedClassifier(estimator, weighting=ClassWeightTransformer(...))."
)


def _check_discrete(y):
    """Refuse continuous values, as scikit-learn's classifiers do."""
    kind = type_of_target(y)
    if kind.startswith("continuous"):
        looks_like_X = f" A 2-D array of floats looks like features X. {_NOT_A_STEP}"
        raise ValueError(
            f"Unknown label type: {kind}. ClassWeightTransformer expects class labels "
            "(discrete values), as scikit-learn's classifiers do, not continuous values."
            + (looks_like_X if y.ndim == 2 else "")
        )


#: ``_parameter_constraints`` entry of a parameter that :func:`_as_transformer` accepts.
_WEIGHTING_CONSTRAINT = [
    StrOptions(set(SCHEMES)),
    dict,
    callable,
    ClassWeightTransformer,
    None,
]


def _as_transformer(weighting):
    """Return an unfitted ClassWeightTransformer standing for ``weighting``.

    ``weighting`` is a scheme name, dict, callable, a ClassWeightTransformer
    (cloned, so the user's instance is never fitted, and its parameters
    validated) or None (no weighting).
    """
    if isinstance(weighting, ClassWeightTransformer):
        transformer = clone(weighting)
        _validate_params(transformer)  # its parameters were never checked
        return transformer
    return ClassWeightTransformer("none" if weighting is None else weighting)
