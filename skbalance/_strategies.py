"""Private catalogue of the imbalance strategies compare and BalancedClassifierCV try.

The public entry point is :func:`skbalance.compare.default_strategies`.
"""

import numpy as np
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from scipy.sparse import issparse
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils import get_tags

from ._pipeline import (
    _accepts_sample_weight,
    _final_step,
    _has_sampler_step,
    _is_pipeline,
    _replace_final,
)
from ._validation import _check_classifier, _encode_labels
from .classifier import BalancedClassifier
from .decision import TunedDecisionClassifierCV
from .focal import FocalLossClassifier
from .router import SmallClassRouter
from .transformer import _as_transformer
from .weights import SCHEMES


def _check_strategies(strategies):
    """Check a user dict of strategies: non-empty, str names, classifiers."""
    if not strategies:
        raise ValueError(
            "strategies is empty; pass a dict name -> classifier, or None for "
            "the default strategies."
        )
    for name, estimator in strategies.items():
        if not isinstance(name, str):
            raise TypeError(f"Strategy names must be strings, got {name!r}.")
        _check_classifier(estimator, f"Strategy {name!r}")
    return dict(strategies)


def default_strategies(estimator=None, random_state=None, *, sparse=False):
    """The default strategies :func:`~skbalance.compare.compare` tries, by name.

    Each strategy is one way of handling the class imbalance (class weights,
    resampling, rare-class routing, ...) around the same base classifier; the
    plain classifier is the reference they are compared with.

    Parameters
    ----------
    estimator : classifier, default=None
        Base classifier, or a (nested) pipeline ending in one; the
        strategies wrap its final classifier and keep the steps before it.
        None means ``make_pipeline(StandardScaler(),
        LogisticRegression(max_iter=1000))``.
    random_state : int or None, default=None
        Seed given to every unset ``random_state`` (estimator, samplers,
        BalancedClassifier).
    sparse : bool, default=False
        Build the default preprocessing for sparse input: the
        ``StandardScaler`` of the default estimator and of the focal
        strategy then scales without centering (``with_mean=False``), which
        a sparse matrix supports.

    Returns
    -------
    strategies : dict of str -> estimator
        Unfitted estimators:

        - ``"plain"``: the estimator as it is;
        - ``"weight:<scheme>"``: ``BalancedClassifier(final,
          weighting=scheme)`` for every scheme of
          :data:`skbalance.weights.SCHEMES` but ``"none"``;
        - ``"sampler:random_over"``, ``"sampler:random_under"``,
          ``"sampler:smote"``: ``BalancedClassifier(final, weighting=None,
          sampler=...)`` with imbalanced-learn's ``RandomOverSampler``,
          ``RandomUnderSampler`` and ``SMOTE``;
        - ``"router"``: ``SmallClassRouter`` of two ``BalancedClassifier``
          of the final classifier (``routing="hard"`` when it has no
          ``predict_proba``, as ``SVC()``);
        - ``"tuned:prior_power"``: a
          :class:`~skbalance.decision.TunedDecisionClassifierCV` of the final
          classifier (its decision tuned on out-of-fold, or out-of-bag,
          probabilities), when it has ``predict_proba``;
        - ``"focal"``: a :class:`~skbalance.FocalLossClassifier` behind the
          same preprocessing (a ``StandardScaler`` when the estimator is not
          a pipeline), only when the final classifier is a linear model.

    See Also
    --------
    skbalance.compare.compare : Cross-validates these strategies.

    Examples
    --------
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from skbalance.compare import default_strategies
    >>> names = list(default_strategies(RandomForestClassifier(), random_state=0))
    >>> names[:3]
    ['plain', 'weight:balanced', 'weight:inverse']
    >>> "focal" in names
    False
    """
    if estimator is None:
        estimator = make_pipeline(
            StandardScaler(with_mean=not sparse), LogisticRegression(max_iter=1000)
        )
    _check_classifier(estimator, "estimator")
    estimator = _seeded(clone(estimator), random_state)
    final = _final_step(estimator)

    def wrap(model):
        return _replace_final(estimator, model)

    def balanced(**params):
        return BalancedClassifier(clone(final), random_state=random_state, **params)

    strategies = {"plain": clone(estimator)}
    for scheme in SCHEMES:
        if scheme != "none":
            strategies[f"weight:{scheme}"] = wrap(balanced(weighting=scheme))
    samplers = {
        "random_over": RandomOverSampler(random_state=random_state),
        "random_under": RandomUnderSampler(random_state=random_state),
        "smote": SMOTE(random_state=random_state),
    }
    for name, sampler in samplers.items():
        strategies[f"sampler:{name}"] = wrap(balanced(weighting=None, sampler=sampler))
    has_proba = hasattr(final, "predict_proba")
    routing = "soft" if has_proba else "hard"
    strategies["router"] = wrap(SmallClassRouter(balanced(), balanced(), routing=routing))
    if has_proba:
        # without sample_weight of its own, the final classifier gets sample
        # weights by resampling, as the plain strategy does in compare
        inner = clone(final) if _accepts_sample_weight(final) else balanced(weighting=None)
        tuned = TunedDecisionClassifierCV(inner, random_state=random_state)
        strategies["tuned:prior_power"] = wrap(tuned)
    if _is_linear(final):
        focal = FocalLossClassifier(**_focal_params(final))
        if _is_pipeline(estimator):
            strategies["focal"] = wrap(focal)
        else:
            strategies["focal"] = make_pipeline(StandardScaler(with_mean=not sparse), focal)
    return strategies


def _adapt_to_sample_weight(strategies):
    """Strategies whose classifier has no ``sample_weight`` get it by resampling.

    Such a strategy is wrapped (its final classifier) in
    ``BalancedClassifier(weighting=None)``, which applies sample weights by
    resampling. Returns the strategies and one message per adapted strategy.
    """
    adapted, messages = {}, []
    for name, strategy in strategies.items():
        if _accepts_sample_weight(strategy):
            adapted[name] = strategy
            continue
        final = _final_step(strategy)
        if _has_sampler_step(strategy):  # the sampler changes the rows: resample it all
            adapted[name] = BalancedClassifier(strategy, weighting=None)
            reason = "a sampler step changes the rows before its final step"
        else:
            adapted[name] = _replace_final(strategy, BalancedClassifier(final, weighting=None))
            reason = f"{type(final).__name__} does not accept sample_weight"
        messages.append(
            f"Strategy {name!r}: {reason}; the sample weights are applied by resampling "
            "(BalancedClassifier(weighting=None))."
        )
    return adapted, messages


def _leave_out_unable(strategies, X):
    """Leave out the strategies that add a step unable to take missing values in ``X``.

    A strategy is left out when ``X`` holds NaN, the ``plain`` strategy's
    classifier accepts NaN (by its ``allow_nan`` tag) and the strategy's own
    final step does not (SMOTE around a forest, say); when ``plain`` refuses
    NaN too, preprocessing may handle them, so nothing is left out. Returns
    the strategies kept and one message per strategy left out.
    """
    plain = strategies.get("plain")
    if plain is None or not _has_nan(X) or not _allows_nan(_final_step(plain)):
        return strategies, []
    kept, messages = {}, []
    for name, strategy in strategies.items():
        if _allows_nan(_final_step(strategy)):
            kept[name] = strategy
        else:
            messages.append(
                f"Strategy {name!r} is left out: X has missing values, which "
                f"{_nan_refuser(_final_step(strategy))} does not accept (impute them "
                "to compare it)."
            )
    return kept, messages


def _nan_refuser(final):
    """The name of what refuses NaN in a final step: its sampler, or itself."""
    sampler = getattr(final, "sampler", None)
    if isinstance(final, BalancedClassifier) and sampler is not None and not _allows_nan(sampler):
        return type(sampler).__name__
    return type(final).__name__


def _allows_nan(estimator):
    """Whether ``estimator`` accepts missing values, by its tags."""
    return estimator is not None and get_tags(estimator).input_tags.allow_nan


def _has_nan(X):
    """Whether the numeric values of ``X`` (array, sparse matrix, DataFrame) hold NaN."""
    if issparse(X):
        return bool(np.isnan(X.data).any()) if X.dtype.kind == "f" else False
    if hasattr(X, "isna"):
        return bool(X.isna().to_numpy().any())
    values = np.asarray(X)
    return values.dtype.kind == "f" and bool(np.isnan(values).any())


def _distinct_strategies(strategies, y, sample_weight=None):
    """Keep one strategy of each group that is the same model on the labels ``y``.

    Two strategies are the same model when they fit the same classifier
    behind the same steps with the same per-class weights: ``weight:balanced``
    and ``weight:inverse`` always (under ``normalize="mean"``), every
    weighting and ``plain`` on balanced labels, ``router`` and
    ``weight:balanced`` when no class is rare. Strategies of unknown
    structure are always kept.

    Returns
    -------
    distinct : dict of str -> estimator
        The first strategy of each group, in the given order.
    aliases : dict of str -> list of str
        For each kept strategy, the names of the others of its group.
    """
    classes, codes = _encode_labels(y)
    counts = np.bincount(codes, weights=sample_weight, minlength=len(classes))
    distinct, aliases, owner = {}, {}, {}
    for name, strategy in strategies.items():
        key = _model_key(strategy, counts.astype(np.float64), classes, sample_weight is None)
        if key is not None and key in owner:
            aliases[owner[key]].append(name)
            continue
        if key is not None:
            owner[key] = name
        distinct[name], aliases[name] = strategy, []
    return distinct, aliases


def _model_key(strategy, counts, classes, unweighted):
    """A hashable description of the model ``strategy`` fits, or None if unknown."""
    final = _final_step(strategy)
    if final is None:
        return None
    steps = _params_key(_replace_final(strategy, "passthrough")) if _is_pipeline(strategy) else ()
    if isinstance(final, SmallClassRouter):
        if final.rare_classes != "auto" or final.estimator is None:
            return None
        if final._select_rare(counts, classes).any():
            return None
        final = final.estimator
    if isinstance(final, BalancedClassifier):
        if final.sampler is not None or final.prior is not None:
            return None
        inner = final._get_estimator()
        weights = _as_transformer(final.weighting)._weights_for_counts(counts, classes)
    else:
        inner, weights = final, np.ones(len(classes))
    unit = unweighted and np.allclose(weights, 1.0, rtol=1e-12, atol=0.0)
    if not (unit or _accepts_sample_weight(inner)):
        return None  # resampled: the drawn rows depend on more than the weights
    return steps, _params_key(inner), tuple(np.round(weights, 12).tolist())


def _params_key(estimator):
    """A hashable, untruncated description of ``estimator`` and its parameters."""
    params = estimator.get_params(deep=True)
    # nested estimators are described by their own parameters, listed deep
    values = (
        type(value).__name__ if hasattr(value, "get_params") else repr(value)
        for value in params.values()
    )
    return type(estimator).__name__, tuple(zip(params, values))


def _is_linear(estimator):
    """Whether the classifier is a linear model (focal loss is its analogue)."""
    module = type(estimator).__module__
    return (
        module.startswith("sklearn.linear_model")
        or module.startswith("skbalance.focal")
        or isinstance(estimator, LinearSVC)
    )


def _focal_params(final):
    """Carry the regularisation strength of a logistic regression over."""
    if isinstance(final, LogisticRegression) and isinstance(final.C, (int, float)):
        return {"C": float(final.C)}
    return {}


def _seeded(estimator, random_state):
    """Set every unset ``random_state`` of ``estimator`` (deep) to the seed."""
    if random_state is None:
        return estimator
    unset = {
        key: random_state
        for key, value in estimator.get_params(deep=True).items()
        if (key == "random_state" or key.endswith("__random_state")) and value is None
    }
    return estimator.set_params(**unset)
