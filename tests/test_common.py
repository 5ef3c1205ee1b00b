"""Common tests: scikit-learn's (and imbalanced-learn's) estimator checks on every
public estimator of skbalance, discovered automatically."""

import inspect
import warnings

import pytest
from _public_api import public_estimators
from imblearn.utils.estimator_checks import (
    parametrize_with_checks as imblearn_parametrize_with_checks,
)
from sklearn.base import BaseEstimator
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import SkipTestWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

import skbalance
from skbalance import (
    BalancedClassifier,
    BalancedClassifierCV,
    FocalLossClassifier,
    SmallClassRouter,
    TunedDecisionClassifierCV,
)


def _lr(max_iter=1000):
    return LogisticRegression(max_iter=max_iter)


def _instances(cls):
    """Small instances of ``cls`` to check, each exercising a different code path.

    An estimator with no entry here is checked with its defaults (and
    ``random_state=0`` when it has one).
    """
    instances = {
        BalancedClassifier: [
            BalancedClassifier(),
            # bootstrap=False: with bootstrapping, weighted rows and repeated rows
            # differ, and scikit-learn itself xfails that check for the forest
            BalancedClassifier(
                RandomForestClassifier(n_estimators=5, bootstrap=False, random_state=0),
                random_state=0,
            ),
            # no sample_weight in KNeighborsClassifier.fit: the resample path
            BalancedClassifier(KNeighborsClassifier(), random_state=0),
        ],
        BalancedClassifierCV: [
            # the defaults (strategies="auto"), as users get them
            BalancedClassifierCV(random_state=0),
            # few cheap candidates and folds: each check refits the whole search
            BalancedClassifierCV(
                strategies={
                    "plain": _lr(200),
                    "balanced": BalancedClassifier(_lr(200)),
                    "tree": DecisionTreeClassifier(max_depth=3, random_state=0),
                },
                cv=2,
                random_state=0,
            )
        ],
        FocalLossClassifier: [
            FocalLossClassifier(),
            FocalLossClassifier(gamma=0.0, alpha="balanced"),
        ],
        SmallClassRouter: [
            SmallClassRouter(_lr(), _lr(), rare_classes=2),
            SmallClassRouter(_lr(), _lr(), rare_classes=2, routing="hard"),
            SmallClassRouter(),
        ],
        TunedDecisionClassifierCV: [
            TunedDecisionClassifierCV(random_state=0),
            # shrunk per-class offsets, 3 folds, the first fold's model kept
            TunedDecisionClassifierCV(
                method="per_class", scoring="gmean", cv=3, refit=False, random_state=0
            ),
            # out-of-bag tuning of a bootstrap forest
            TunedDecisionClassifierCV(
                RandomForestClassifier(n_estimators=10, random_state=0), random_state=0
            ),
        ],
    }
    if cls in instances:
        return instances[cls]
    estimator = cls()
    if "random_state" in estimator.get_params():
        estimator.set_params(random_state=0)
    return [estimator]


#: Warnings that the checks' tiny data sets trigger by design, with the reason.
_EXPECTED_WARNINGS = {
    # some checks' data have a class with fewer rows than the cv=2 folds: the
    # search warns that it is missing from a test fold and goes on, as it should
    BalancedClassifierCV: [("The classes", UserWarning)],
    # a 10-tree forest leaves a few rows of the checks' tiny data sets in every
    # bootstrap sample; those rows are left out of the tuning (documented)
    TunedDecisionClassifierCV: [("Some inputs do not have OOB scores", UserWarning)],
}

#: Checks that fail by design, with the reason, as scikit-learn lists them for its
#: own TunedThresholdClassifierCV and FixedThresholdClassifier.
_EXPECTED_FAILED_CHECKS = {
    TunedDecisionClassifierCV: {
        "check_classifiers_train": (
            "predict is argmax(log p + class_offset_), not the argmax of predict_proba "
            "(the inner model's probabilities), once the tuned offsets are not zero"
        ),
        **{
            f"check_sample_weight_equivalence_on_{kind}_data": (
                "weighted and repeated rows fall into different folds (and bootstrap "
                "samples), so the tuned offsets may differ; tests/test_decision.py checks "
                "that sample_weight reaches every fit and weights the tuning"
            )
            for kind in ("dense", "sparse")
        },
    },
}

#: The same for the default search only (strategies="auto"): it sees other
#: internal folds when rows are repeated instead of weighted, so it can select
#: another strategy (the small search of ``_instances`` happens not to).
_DEFAULT_SEARCH_FAILED_CHECKS = {
    f"check_sample_weight_equivalence_on_{kind}_data": (
        "weighted and repeated rows fall into different internal folds, so the "
        "selected strategy may differ; tests/test_selection.py checks that "
        "sample_weight reaches every candidate"
    )
    for kind in ("dense", "sparse")
}


def _expected_failed_checks(estimator):
    """The checks that fail by design for ``estimator``, with the reasons."""
    failed = dict(_EXPECTED_FAILED_CHECKS.get(type(estimator), {}))
    if isinstance(estimator, BalancedClassifierCV) and estimator.strategies == "auto":
        failed.update(_DEFAULT_SEARCH_FAILED_CHECKS)
    return failed


ESTIMATORS = public_estimators()
INSTANCES = [instance for cls in ESTIMATORS for instance in _instances(cls)]
SAMPLERS = [instance for instance in INSTANCES if hasattr(instance, "fit_resample")]


def test_estimators_are_exported():
    """Check that the estimators found are exactly those ``skbalance`` re-exports."""
    exported = {
        name
        for name in skbalance.__all__
        if inspect.isclass(getattr(skbalance, name))
        and issubclass(getattr(skbalance, name), BaseEstimator)
    }
    assert {cls.__name__ for cls in ESTIMATORS} == exported


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_default_instance_is_checked(cls):
    """Check that the checks include the instance users get: the defaults.

    Only ``random_state`` may be set (to 0), for reproducible checks.
    """
    default = cls().get_params(deep=False)
    default.pop("random_state", None)
    checked = [
        {k: v for k, v in instance.get_params(deep=False).items() if k != "random_state"}
        for instance in _instances(cls)
    ]
    assert any(params.keys() == default.keys() and all(
        params[k] is default[k] or params[k] == default[k] for k in default
    ) for params in checked)


def _listed(mark):
    """``mark`` with its parameter values in a list, not a generator.

    imbalanced-learn and scikit-learn 1.6 pass a generator to
    ``pytest.mark.parametrize``, which pytest 9.2 deprecates (an error under this
    project's warning filters).
    """
    names, values = mark.args
    return pytest.mark.parametrize(names, list(values), **mark.kwargs)


with warnings.catch_warnings():
    # ClassWeightTransformer transforms labels (it takes no X), so scikit-learn
    # runs only check_estimator_cloneable on it and warns that it skips the
    # rest; tests/test_transformer.py asserts that skip and runs the checks
    # that need no X one by one
    warnings.filterwarnings("ignore", "Can't test estimator", SkipTestWarning)
    _SKLEARN_CHECKS = _listed(
        parametrize_with_checks(
            INSTANCES,
            expected_failed_checks=_expected_failed_checks,
        )
    )


@_SKLEARN_CHECKS
def test_sklearn_compatible_estimator(estimator, check):
    """Check that every public estimator passes scikit-learn's estimator checks."""
    with warnings.catch_warnings():
        for message, category in _EXPECTED_WARNINGS.get(type(estimator), ()):
            warnings.filterwarnings("ignore", message, category)
        check(estimator)


@_listed(imblearn_parametrize_with_checks(SAMPLERS))
def test_imblearn_compatible_sampler(estimator, check):
    """Check that every public sampler passes imbalanced-learn's sampler checks."""
    check(estimator)

