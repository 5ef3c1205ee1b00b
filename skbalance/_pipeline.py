"""Private helpers for pipelines, nested ones included: the one copy every module uses.

A scikit-learn or imbalanced-learn ``Pipeline`` may hold another pipeline as
its last step. Everything that needs the classifier at the end of it (to pass
it ``sample_weight``, to replace it, to read its tags) goes through these
helpers, so nesting is handled in one place.
"""

from sklearn.base import clone
from sklearn.utils.metadata_routing import get_routing_for_object
from sklearn.utils.validation import has_fit_parameter

from ._sklearn_compat import _routing_enabled


def _is_pipeline(estimator):
    """Whether ``estimator`` is a scikit-learn or imbalanced-learn pipeline."""
    return hasattr(estimator, "steps") and hasattr(estimator, "named_steps")


def _final_step(estimator):
    """The classifier at the end of a (nested) pipeline, or ``estimator`` itself.

    None when the last step is ``"passthrough"`` or None.
    """
    while _is_pipeline(estimator):
        estimator = estimator.steps[-1][1]
    if estimator is None or (isinstance(estimator, str) and estimator == "passthrough"):
        return None
    return estimator


def _step_path(estimator):
    """``name1__name2...`` of a (nested) pipeline's final step ("" for a non-pipeline)."""
    names = []
    while _is_pipeline(estimator):
        name, estimator = estimator.steps[-1]
        names.append(name)
    return "__".join(names)


def _sample_weight_key(estimator):
    """The ``fit`` keyword that hands ``sample_weight`` to the final classifier."""
    path = _step_path(estimator)
    return f"{path}__sample_weight" if path else "sample_weight"


def _has_sampler_step(estimator):
    """Whether a (nested) pipeline has a step with ``fit_resample``."""
    return any(
        hasattr(step, "fit_resample") or _has_sampler_step(step)
        for _, step in getattr(estimator, "steps", ())
    )


def _replace_final(estimator, model):
    """``model`` behind the steps of ``estimator`` before its final one (a clone).

    For a nested pipeline the innermost final step is replaced; a
    non-pipeline ``estimator`` just gives ``model``.
    """
    if not _is_pipeline(estimator):
        return model
    return clone(estimator).set_params(**{_step_path(estimator): model})


def _accepts_sample_weight(estimator):
    """Whether per-row ``sample_weight`` can reach the final classifier's ``fit``.

    A pipeline with a sampler step does not qualify: the sampler changes the
    rows before the final step, so weights aligned with the input would not
    fit them. With metadata routing enabled, a meta-estimator that routes
    ``sample_weight`` on (a ``GridSearchCV`` around a classifier that
    requested it, say) qualifies too.
    """
    if _has_sampler_step(estimator):
        return False
    final = _final_step(estimator)
    if final is None:
        return False
    if has_fit_parameter(final, "sample_weight"):
        return True
    return (
        _routing_enabled()
        and not _is_pipeline(estimator)
        and get_routing_for_object(estimator).consumes("fit", ["sample_weight"]) != set()
    )


def _fit_with_sample_weight(estimator, X, y, sample_weight, fit_params=None):
    """Fit ``estimator``, handing ``sample_weight`` (None: none) to its final classifier.

    Works for a plain classifier and for (nested) pipelines, with or without
    metadata routing enabled. ``estimator`` is fitted in place (clone it first).
    """
    fit_params = dict(fit_params or {})
    if sample_weight is None:
        return estimator.fit(X, y, **fit_params)
    if _has_sampler_step(estimator):
        raise ValueError(
            "sample_weight cannot reach the final step of a pipeline with a sampler "
            "step: the sampler changes the rows first. Wrap the pipeline in "
            "BalancedClassifier(pipeline, weighting=None), which applies sample "
            "weights by resampling, or fit without sample_weight."
        )
    if not _is_pipeline(estimator):
        return estimator.fit(X, y, sample_weight=sample_weight, **fit_params)
    if _routing_enabled():
        # the pipeline routes sample_weight to every step that asks for it and
        # raises for steps with no request: only the final step is meant to get it
        _decline_sample_weight(estimator)
        _final_step(estimator).set_fit_request(sample_weight=True)
        return estimator.fit(X, y, sample_weight=sample_weight, **fit_params)
    fit_params[_sample_weight_key(estimator)] = sample_weight
    return estimator.fit(X, y, **fit_params)


def _decline_sample_weight(pipeline):
    """Set ``sample_weight=False`` on the (cloned) pipeline's steps that have no request."""
    for _, step in pipeline.steps:
        if _is_pipeline(step):
            _decline_sample_weight(step)
        elif hasattr(step, "set_fit_request"):
            requests = step.get_metadata_routing().fit.requests
            if "sample_weight" in requests and requests["sample_weight"] is None:
                step.set_fit_request(sample_weight=False)
