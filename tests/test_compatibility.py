"""Compatibility matrix: every wrapper of skbalance around the classifiers users
wrap, on the inputs and labels they have.

The full product (5 wrappers x 15 classifiers x 3 inputs x 5 label kinds x
weights) is too slow for the suite, so it is sampled in two parts:

- every wrapper around every inner classifier, on dense X with integer labels;
- every input kind x label kind x with/without ``sample_weight`` for every
  wrapper, around two inner classifiers (a pipeline and a tree, alternating).

A cell fits, predicts (and ``predict_proba`` when the inner classifier has
it), runs ``cross_val_score`` and a ``GridSearchCV`` over one parameter, and
round-trips through pickle; ``compare`` cells check that every default
strategy ran. A combination that cannot work is listed in ``UNSUPPORTED``
with the error of ours it must raise, which names the limitation and the fix.
"""

import pickle
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import make_pipeline as make_imblearn_pipeline
from imblearn.under_sampling import RandomUnderSampler
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.ensemble import (
    BaggingClassifier,
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MaxAbsScaler, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from skbalance import BalancedClassifier, BalancedClassifierCV, SmallClassRouter
from skbalance.compare import compare

ROOT = Path(__file__).resolve().parent.parent


def _lightgbm():
    lightgbm = pytest.importorskip("lightgbm")
    return lightgbm.LGBMClassifier(n_estimators=5, min_child_samples=2, n_jobs=1, verbose=-1)


def _xgboost():
    xgboost = pytest.importorskip("xgboost")
    return xgboost.XGBClassifier(n_estimators=5, max_depth=2, n_jobs=1)


#: The inner classifiers, small and fast; each call builds a fresh one.
INNERS = {
    "logistic": lambda: LogisticRegression(max_iter=500),
    "forest": lambda: RandomForestClassifier(n_estimators=5, random_state=0),
    "extra_trees": lambda: ExtraTreesClassifier(n_estimators=5, random_state=0),
    "hist_gb": lambda: HistGradientBoostingClassifier(max_iter=5, random_state=0),
    "gradient_boosting": lambda: GradientBoostingClassifier(n_estimators=5, random_state=0),
    "bagging": lambda: BaggingClassifier(n_estimators=3, random_state=0),
    "tree": lambda: DecisionTreeClassifier(max_depth=3, random_state=0),
    "knn": lambda: KNeighborsClassifier(),
    "svc": lambda: SVC(),  # no predict_proba
    "sgd": lambda: SGDClassifier(random_state=0),  # hinge loss: no predict_proba
    "pipeline": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)),
    "nested_pipeline": lambda: Pipeline(
        [
            ("scale", StandardScaler()),
            ("model", Pipeline([("logistic", LogisticRegression(max_iter=500))])),
        ]
    ),
    "imblearn_pipeline": lambda: make_imblearn_pipeline(
        StandardScaler(), RandomUnderSampler(random_state=0), LogisticRegression(max_iter=500)
    ),
    "lightgbm": _lightgbm,
    "xgboost": _xgboost,
}

#: Each wrapper around an inner classifier, with the parameter its grid search varies.
WRAPPERS = {
    "balanced": (
        lambda inner: BalancedClassifier(inner, random_state=0),
        {"weighting": ["balanced", "inverse_sqrt"]},
    ),
    "router_main": (
        lambda inner: SmallClassRouter(inner),
        {"max_fraction": [0.05, 0.1]},
    ),
    "router_rare": (
        lambda inner: SmallClassRouter(rare_estimator=inner),
        {"max_fraction": [0.05, 0.1]},
    ),
    # the defaults but for two internal folds (strategies="auto")
    "selector": (
        lambda inner: BalancedClassifierCV(inner, cv=2, random_state=0),
        {"ensemble": [True, False]},
    ),
    "compare": (None, None),
}

#: Combinations that cannot work: (wrapper, inner) -> (error, message it must match).
_SOFT_ROUTING = (ValueError, r"has no predict_proba\. Use routing='hard'")
#: XGBoost requires the labels 0..k-1, and the router's secondary estimator
#: sees the original labels of the rare classes (so that a nested router or a
#: label-keyed parameter can name them): XGBoost's own error, the one cell
#: whose message is not ours.
_XGBOOST_LABELS = (ValueError, r"Invalid classes inferred from unique values of `y`")
UNSUPPORTED = {
    ("router_main", "svc"): _SOFT_ROUTING,
    ("router_main", "sgd"): _SOFT_ROUTING,
    ("router_rare", "svc"): _SOFT_ROUTING,
    ("router_rare", "sgd"): _SOFT_ROUTING,
    ("router_rare", "xgboost"): _XGBOOST_LABELS,
}
#: The same with sample_weight: (wrapper, inner) -> (error, message).
UNSUPPORTED_WEIGHTED = {
    # the router hands sample_weight to its sub-estimators: an imbalanced-learn
    # sampler step would drop rows under them (the selector and compare resample
    # such a default candidate as a whole instead)
    ("router_main", "imblearn_pipeline"): (
        ValueError,
        r"estimator \(Pipeline\) does not accept sample_weight.*BalancedClassifier",
    ),
}
#: Default strategies of compare that fail around an inner classifier, for the
#: reason above: inner -> {strategy: message}.
FAILING_STRATEGIES = {"xgboost": {"router": _XGBOOST_LABELS[1]}}

#: The selector's cross_val_score and grid search refit the whole search many
#: times: they run around these inner classifiers only (fit, predict and
#: pickle run around every one).
_SELECTOR_SEARCHED = {"forest", "imblearn_pipeline"}


def _data(labels="int", n_samples=160):
    """Long-tailed numeric X (4 features) and labels of the kind asked for.

    Three or four classes of 64/28/4/4 % (two of them rare for the router),
    or, for bool labels, two classes of 80/20 %.
    """
    rng = np.random.RandomState(0)
    shares = [0.8, 0.2] if labels == "bool" else [0.64, 0.28, 0.04, 0.04]
    codes = np.repeat(np.arange(len(shares)), np.round(np.array(shares) * n_samples).astype(int))
    X = rng.normal(size=(len(codes), 4)) + codes[:, None] * 1.5
    X[:, 3] = np.abs(X[:, 3])
    kinds = {
        "int": lambda c: c * 10,
        "codes": lambda c: c,
        "str": lambda c: np.array(["cat", "dog", "eel", "fox"])[c],
        "numeric_str": lambda c: np.array(["1", "2", "10", "20"])[c],
        "bool": lambda c: c.astype(bool),
        "categorical": lambda c: pd.Categorical(
            np.array(["low", "mid", "high", "top"])[c], categories=["top", "high", "mid", "low"]
        ),
    }
    return X, kinds[labels](codes)


def _as_input(X, kind):
    if kind == "sparse":
        X = X.copy()
        X[X < 0.5] = 0.0  # mostly zeros, as sparse data is
        return sparse.csr_matrix(X)
    if kind == "frame":
        return pd.DataFrame(X, columns=["alpha", "beta", "gamma", "delta"])
    return X


def _label_values(y):
    return set(np.asarray(y).tolist())


def _inner(name):
    return {**INNERS, **INPUT_INNERS}[name]()


def _check_estimator_cell(wrapper, inner_name, X, y, sample_weight):
    """fit/predict/predict_proba, cross_val_score, GridSearchCV and pickle of one cell."""
    build, grid = WRAPPERS[wrapper]
    inner = _inner(inner_name)
    estimator = build(inner)
    fit_params = {} if sample_weight is None else {"sample_weight": sample_weight}
    estimator.fit(X, y, **fit_params)
    predicted = estimator.predict(X)
    assert predicted.shape == (X.shape[0],)
    assert _label_values(predicted) <= _label_values(y)
    assert_array_equal(np.sort(estimator.classes_), np.sort(np.unique(np.asarray(y))))
    if isinstance(X, pd.DataFrame):
        assert_array_equal(estimator.feature_names_in_, X.columns)
    if hasattr(inner, "predict_proba"):
        proba = estimator.predict_proba(X)
        assert proba.shape == (X.shape[0], len(estimator.classes_))
        assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)  # float32 for XGBoost
    restored = pickle.loads(pickle.dumps(estimator))
    assert_array_equal(restored.predict(X), predicted)
    if wrapper == "selector" and inner_name not in _SELECTOR_SEARCHED:
        return
    scores = cross_val_score(clone(estimator), X, y, cv=3, params=fit_params)
    assert np.isfinite(scores).all()
    search = GridSearchCV(clone(estimator), grid, cv=2).fit(X, y, **fit_params)
    assert search.best_estimator_.predict(X).shape == predicted.shape


def _check_compare_cell(inner_name, X, y, sample_weight):
    """Every default strategy around the inner classifier runs without error."""
    results = compare(
        X, y, _inner(inner_name), cv=2, random_state=0, sample_weight=sample_weight
    )
    errors = results.set_index("strategy")["error"].dropna()
    expected = FAILING_STRATEGIES.get(inner_name, {})
    assert set(errors.index) == set(expected), errors.to_dict()
    for strategy, message in expected.items():
        assert re.search(message, errors[strategy]), errors[strategy]
    assert np.isfinite(results["f1_macro_mean"][results["error"].isna()]).all()


def _run_cell(wrapper, inner_name, X, y, sample_weight=None):
    X_before = X.copy()
    y_before = y.copy()
    expected = UNSUPPORTED.get((wrapper, inner_name))
    if sample_weight is not None:
        expected = UNSUPPORTED_WEIGHTED.get((wrapper, inner_name), expected)
    with warnings.catch_warnings():
        # tiny data: folds missing a rare class, trees without OOB rows
        warnings.simplefilter("ignore", UserWarning)
        if expected is not None:
            error, match = expected
            with pytest.raises(error, match=match):
                _check_estimator_cell(wrapper, inner_name, X, y, sample_weight)
        elif wrapper == "compare":
            _check_compare_cell(inner_name, X, y, sample_weight)
        else:
            _check_estimator_cell(wrapper, inner_name, X, y, sample_weight)
    # inputs are never modified
    if sparse.issparse(X):
        assert (X != X_before).nnz == 0
    elif isinstance(X, pd.DataFrame):
        pd.testing.assert_frame_equal(X, X_before)
    else:
        assert_array_equal(X, X_before)
    assert_array_equal(np.asarray(y), np.asarray(y_before))


@pytest.mark.parametrize("inner_name", list(INNERS))
@pytest.mark.parametrize("wrapper", list(WRAPPERS))
def test_wrapper_around_inner_classifier(wrapper, inner_name):
    """Check every wrapper around every inner classifier on dense X, integer labels."""
    # XGBoost requires the labels 0..n_classes-1
    X, y = _data("codes" if inner_name == "xgboost" else "int")
    _run_cell(wrapper, inner_name, X, y)


@pytest.mark.parametrize("inner_name", ["nested_pipeline", "imblearn_pipeline"])
@pytest.mark.parametrize("wrapper", list(WRAPPERS))
def test_pipelines_with_sample_weight(wrapper, inner_name):
    """Check nested and imbalanced-learn pipelines with sample_weight (the weight
    must reach the final step under its nested name, or the resampled rows)."""
    X, y = _data()
    _run_cell(wrapper, inner_name, X, y, np.linspace(0.5, 2.0, len(y)))


#: Only for sparse input: a pipeline that scales without centering (a sparse
#: matrix cannot be centered).
INPUT_INNERS = {
    "sparse_pipeline": lambda: make_pipeline(MaxAbsScaler(), LogisticRegression(max_iter=500)),
    "pipeline": INNERS["pipeline"],
    "tree": INNERS["tree"],
}


def _input_cells():
    """Wrapper x input kind x label kind x weighted, around two inner classifiers.

    The inner classifier (a pipeline, or a tree) alternates so that each
    combination meets both across the wrappers. The selector and compare,
    which fit every default strategy, run each (input, labels) pair once,
    weighted or not in turn, to keep the suite fast.
    """
    cells = []
    inputs = ["dense", "sparse", "frame"]
    labels = ["int", "str", "numeric_str", "bool", "categorical"]
    for w, wrapper in enumerate(WRAPPERS):
        for i, input_kind in enumerate(inputs):
            for j, label_kind in enumerate(labels):
                for weighted in (False, True):
                    if wrapper in ("selector", "compare") and weighted != bool((i + j) % 2):
                        continue
                    inner = ("pipeline", "tree")[(w + i + j + weighted) % 2]
                    if input_kind == "sparse" and inner == "pipeline":
                        inner = "sparse_pipeline"
                    cells.append((wrapper, inner, input_kind, label_kind, weighted))
    return cells


@pytest.mark.parametrize(
    "wrapper, inner_name, input_kind, label_kind, weighted",
    _input_cells(),
)
def test_inputs_and_labels(wrapper, inner_name, input_kind, label_kind, weighted):
    """Check every wrapper on every input kind and label kind, with and without weights."""
    X, y = _data(label_kind)
    sample_weight = np.linspace(0.5, 2.0, len(y)) if weighted else None
    _run_cell(wrapper, inner_name, _as_input(X, input_kind), y, sample_weight)


def test_oldest_constraints_pin_the_declared_floors():
    """Check that CI's oldest-versions environment pins exactly the floors of pyproject.toml."""
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]
    floors = dict(requirement.split(">=") for requirement in dependencies)
    pins = dict(
        line.split("==")
        for line in (ROOT / ".ci" / "oldest-constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert pins == floors
