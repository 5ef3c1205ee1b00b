"""Private adaptation of imbalanced-learn samplers to tiny classes, and rows that follow them.

This is the only code of skbalance that knows how imbalanced-learn's samplers
search neighbours (``k_neighbors``, ``n_neighbors``, the ``smote`` step of
combined samplers), so that a class with fewer rows than neighbours is handled
instead of failing, and how per-row fit parameters and sample weights follow
the rows a sampler keeps.
"""

from numbers import Integral

import numpy as np
from imblearn.over_sampling import SMOTE
from imblearn.under_sampling import NearMiss
from imblearn.utils import check_sampling_strategy

from ._sklearn_compat import _check_method_params
from ._validation import _encode_labels

#: Neighbour counts of over-samplers, searched among the rows of a row's own class.
_NEIGHBOUR_PARAMS = ("k_neighbors", "n_neighbors")


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
