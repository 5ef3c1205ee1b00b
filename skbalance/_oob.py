"""Private: out-of-bag probabilities standing in for out-of-fold ones.

Which models qualify (a bootstrap forest or bagging, bare, at the end of a
pipeline, or inside a ``BalancedClassifier`` that passes its class weights
as ``sample_weight``), the parameter that turns out-of-bag scoring on, and
the probabilities of the fitted model. Shared by
:class:`~skbalance.TunedDecisionClassifierCV` and
:class:`~skbalance.BalancedClassifierCV`.
"""

from ._pipeline import (
    _accepts_sample_weight,
    _final_step,
    _has_sampler_step,
    _step_path,
)
from ._validation import _align_columns
from .classifier import BalancedClassifier


def _oob_key(model):
    """The ``set_params`` key turning on out-of-bag scoring of ``model``, or None.

    Models whose final classifier is a bootstrap forest (or bagging), or a
    ``BalancedClassifier`` of one without sampler or prior that passes the
    class weights as ``sample_weight``, qualify: their out-of-bag
    probabilities stand in for out-of-fold ones, from one fit on all rows.
    """
    if _has_sampler_step(model):
        return None
    final, prefix = _final_step(model), _step_path(model)
    if isinstance(final, BalancedClassifier):
        inner = final._get_estimator()
        if final.sampler is not None or final.prior is not None or not _accepts_sample_weight(inner):
            return None
        final, prefix = inner, f"{prefix}__estimator" if prefix else "estimator"
    params = final.get_params(deep=False) if hasattr(final, "get_params") else {}
    if "oob_score" not in params or params.get("bootstrap") is not True:
        return None
    return f"{prefix}__oob_score" if prefix else "oob_score"


def _oob_proba(model, classes):
    """Out-of-bag probabilities of a model fitted with its ``_oob_key`` on.

    Columns aligned with ``classes``; a row never out of bag is NaN.
    """
    final = _final_step(model)
    forest = final.estimator_ if isinstance(final, BalancedClassifier) else final
    return _align_columns(forest.oob_decision_function_, forest.classes_, classes)
