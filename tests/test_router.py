"""Tests of skbalance.router.SmallClassRouter."""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from _doubles import FailingClassifier, RecordingClassifier
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import config_context
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import get_scorer
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils._param_validation import InvalidParameterError

from skbalance.classifier import BalancedClassifier
from skbalance.router import SmallClassRouter


def _lr():
    return LogisticRegression(max_iter=1000)


def _long_tailed(sizes=(60, 28, 13, 6, 3), n_features=4, seed=0, labels=None):
    """Gaussian blobs with the given class sizes; labels default to 0..k-1."""
    rng = np.random.RandomState(seed)
    centers = rng.normal(scale=3.0, size=(len(sizes), n_features))
    codes = np.repeat(np.arange(len(sizes)), sizes)
    X = centers[codes] + rng.normal(size=(codes.size, n_features))
    order = rng.permutation(codes.size)
    X, codes = X[order], codes[order]
    y = codes if labels is None else np.asarray(labels, dtype=object)[codes]
    return X, y


@settings(max_examples=15, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 50), min_size=2, max_size=6),
    max_fraction=st.floats(0.02, 0.6),
    seed=st.integers(0, 10_000),
)
def test_soft_probability_law(sizes, max_fraction, seed):
    """Check that soft routing follows P_main(c) for frequent and P_main(R) P_rare(c) for rare.

    Hard routing on the same fit must give rows summing to 1 that follow argmax(P_main).
    """
    X, y = _long_tailed(sorted(sizes, reverse=True), seed=seed)
    router = SmallClassRouter(_lr(), _lr(), max_fraction=max_fraction).fit(X, y)
    proba = router.predict_proba(X)
    assert proba.shape == (len(y), len(router.classes_))
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(router.predict(X), router.classes_[np.argmax(proba, axis=1)])

    is_rare = np.isin(router.classes_, router.rare_classes_)
    if router.main_estimator_ is None:
        p_main, p_meta = np.zeros((len(y), 0)), np.ones(len(y))
    else:
        p_main = router.main_estimator_.predict_proba(X)
        p_meta = p_main[:, -1] if is_rare.any() else np.zeros(len(y))
    n_frequent = (~is_rare).sum()
    assert_allclose(proba[:, ~is_rare], p_main[:, :n_frequent])
    if router.rare_estimator_ is not None:
        p_rare = router.rare_estimator_.predict_proba(X)
        assert_allclose(proba[:, is_rare], p_meta[:, None] * p_rare)
    elif is_rare.any():
        assert_allclose(proba[:, is_rare][:, 0], p_meta)

    # the same fitted estimators under hard routing: each row is either the
    # renormalised P_main on frequent classes or P_rare on rare classes
    hard = router.set_params(routing="hard").predict_proba(X)
    assert_allclose(hard.sum(axis=1), 1.0)
    assert_array_equal(router.predict(X), router.classes_[np.argmax(hard, axis=1)])
    routed = (hard[:, ~is_rare] == 0).all(axis=1) if is_rare.any() else np.zeros(len(y), bool)
    if router.main_estimator_ is not None and is_rare.any():
        assert_array_equal(routed, np.argmax(p_main, axis=1) == n_frequent)
    assert_array_equal(hard[~routed][:, is_rare], 0.0)


@pytest.mark.parametrize("routing", ["soft", "hard"])
@pytest.mark.parametrize("rare_classes", ["auto", [], [4], [2, 3, 4], 5])
def test_predict_is_argmax_of_predict_proba(routing, rare_classes):
    """Check that predict == classes_[argmax(predict_proba)] for both routings."""
    X, y = _long_tailed()
    router = SmallClassRouter(_lr(), _lr(), rare_classes=rare_classes, routing=routing)
    router.fit(X, y)
    proba = router.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(router.predict(X), router.classes_[np.argmax(proba, axis=1)])
    with np.errstate(divide="ignore"):
        assert_allclose(router.predict_log_proba(X), np.log(proba))


def test_hard_routing_probability_law():
    """Check that hard routing gives routed rows P_rare and other rows renormalised P_main."""
    X, y = _long_tailed()
    router = SmallClassRouter(_lr(), _lr(), rare_classes=[2, 3, 4], routing="hard").fit(X, y)
    proba = router.predict_proba(X)
    p_main = router.main_estimator_.predict_proba(X)
    routed = np.argmax(p_main, axis=1) == 2
    assert routed.any() and (~routed).any()
    assert_allclose(proba[routed][:, :2], 0.0)
    assert_allclose(proba[routed][:, 2:], router.rare_estimator_.predict_proba(X[routed]))
    assert_allclose(proba[~routed][:, 2:], 0.0)
    kept = p_main[~routed][:, :2]
    assert_allclose(proba[~routed][:, :2], kept / kept.sum(axis=1, keepdims=True))
    assert_array_equal(
        router.predict(X)[~routed], router.main_estimator_.predict(X[~routed])
    )


def test_hard_routing_without_predict_proba():
    """Check that hard routing works with a main estimator that has no predict_proba."""
    X, y = _long_tailed()
    router = SmallClassRouter(LinearSVC(), _lr(), rare_classes=[3, 4], routing="hard")
    router.fit(X, y)
    assert not hasattr(router, "predict_proba")
    main = router.main_estimator_.predict(X)
    expected = np.where(main == 3, -1, main)
    routed = main == 3
    expected[routed] = router.rare_estimator_.predict(X[routed])
    assert_array_equal(router.predict(X), expected)
    assert router.score(X, y) > 0.8


def test_soft_routing_without_predict_proba_fails_at_fit():
    """Check that soft routing refuses a sub-estimator without predict_proba."""
    X, y = _long_tailed()
    with pytest.raises(ValueError, match="routing='soft'.*has no predict_proba"):
        SmallClassRouter(LinearSVC(), _lr(), rare_classes=[3, 4]).fit(X, y)
    with pytest.raises(ValueError, match="rare_estimator.*has no predict_proba"):
        SmallClassRouter(_lr(), LinearSVC(), rare_classes=[3, 4]).fit(X, y)


def test_auto_selection_max_fraction_and_min_samples():
    """Check that "auto" uses max_fraction, or min_samples when it is given."""
    X, y = _long_tailed()  # sizes 60, 28, 13, 6, 3 (shares .55 .25 .12 .055 .027)
    router = SmallClassRouter(_lr(), _lr())
    assert_array_equal(router.fit(X, y).rare_classes_, [4])
    assert_array_equal(router.set_params(max_fraction=0.1).fit(X, y).rare_classes_, [3, 4])
    assert_array_equal(router.set_params(min_samples=14).fit(X, y).rare_classes_, [2, 3, 4])
    assert_array_equal(router.set_params(min_samples=1).fit(X, y).rare_classes_, [])


def test_auto_selection_uses_sample_weight_and_every_fit():
    """Check that class shares are weighted and recomputed at every fit."""
    X, y = _long_tailed()
    router = SmallClassRouter(_lr(), _lr(), max_fraction=0.1)
    weight = np.where(y == 4, 20.0, 1.0)  # class 4 weighs 60 of 167, class 2 13 of 167
    assert_array_equal(router.fit(X, y, sample_weight=weight).rare_classes_, [2, 3])
    assert_array_equal(router.fit(X, y).rare_classes_, [3, 4])
    keep = y != 4
    assert_array_equal(router.fit(X[keep], y[keep]).rare_classes_, [3])


def test_int_rare_classes_breaks_ties_in_label_order():
    """Check that an int k selects the k smallest classes, ties in classes_ order."""
    X, y = _long_tailed(sizes=(30, 5, 20, 5, 5))
    router = SmallClassRouter(_lr(), _lr(), rare_classes=2).fit(X, y)
    assert_array_equal(router.rare_classes_, [1, 3])
    assert_array_equal(router.set_params(rare_classes=0).fit(X, y).rare_classes_, [])
    assert_array_equal(router.set_params(rare_classes=4).fit(X, y).rare_classes_, [1, 2, 3, 4])


def test_no_rare_class_acts_as_main_estimator():
    """Check that rare_classes=[] gives the main estimator's own predictions."""
    X, y = _long_tailed()
    router = SmallClassRouter(_lr(), FailingClassifier(), rare_classes=[]).fit(X, y)
    assert router.rare_estimator_ is None
    reference = _lr().fit(X, y)
    assert_allclose(router.predict_proba(X), reference.predict_proba(X))
    assert_array_equal(router.predict(X), reference.predict(X))


@pytest.mark.parametrize("routing", ["soft", "hard"])
def test_one_rare_class_needs_no_secondary_fit(routing):
    """Check that a single rare class gets P_rare = 1 without fitting rare_estimator."""
    X, y = _long_tailed()
    router = SmallClassRouter(_lr(), FailingClassifier(), rare_classes=[4], routing=routing)
    router.fit(X, y)
    assert router.rare_estimator_ is None
    p_main = router.main_estimator_.predict_proba(X)
    proba = router.predict_proba(X)
    if routing == "soft":
        assert_allclose(proba, p_main)
    else:
        routed = np.argmax(p_main, axis=1) == 4
        assert_allclose(proba[routed, 4], 1.0)
    assert_array_equal(router.predict(X), router.classes_[np.argmax(proba, axis=1)])


@pytest.mark.parametrize("routing", ["soft", "hard"])
def test_every_class_rare_fits_only_secondary(routing):
    """Check that with every class rare only the secondary estimator is fitted."""
    X, y = _long_tailed()
    router = SmallClassRouter(FailingClassifier(), _lr(), rare_classes=5, routing=routing)
    router.fit(X, y)
    assert router.main_estimator_ is None
    reference = _lr().fit(X, y)
    assert_allclose(router.predict_proba(X), reference.predict_proba(X))
    assert_array_equal(router.predict(X), reference.predict(X))


def test_single_sample_rare_class_and_binary_main():
    """Check a one-row rare class, and a main estimator seeing one class plus the meta-class."""
    X, y = _long_tailed(sizes=(40, 6, 1))
    router = SmallClassRouter(_lr(), _lr(), rare_classes=[1, 2]).fit(X, y)
    assert_array_equal(router.main_estimator_.classes_, [0, 1])
    assert_array_equal(router.rare_estimator_.classes_, [1, 2])
    proba = router.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert router.predict(X[y == 2])[0] in router.classes_


def test_rare_estimator_rows_and_labels():
    """Check that the secondary estimator sees exactly the rare rows with their labels."""
    X, y = _long_tailed()
    router = SmallClassRouter(RecordingClassifier(), RecordingClassifier(), rare_classes=[2, 4])
    router.fit(X, y)
    rows = np.isin(y, [2, 4])
    assert router.main_estimator_.X_ is X  # all rows, not copied
    assert_array_equal(router.main_estimator_.y_, np.select([y < 2, y == 3], [y, 2], 3))
    assert_array_equal(router.rare_estimator_.X_, X[rows])
    assert_array_equal(router.rare_estimator_.y_, y[rows])


@pytest.mark.parametrize(
    "labels",
    [
        np.array([10, 20, 30, 40, 50]),
        np.array(["ant", "bee", "cat", "dog", "eel"]),
        np.array(["1", "2", "10", "20", "3"], dtype=object),
        np.array([-1.0, 0.0, 2.0, 7.0, 9.0]),
    ],
    ids=["int", "str", "numeric-str-object", "integral-float"],
)
@pytest.mark.parametrize("routing", ["soft", "hard"])
def test_labels_of_every_kind(labels, routing):
    """Check that any label type works and that users see only their labels."""
    X, codes = _long_tailed()
    y = labels[codes]
    router = SmallClassRouter(rare_classes=2, routing=routing).fit(X, y)
    assert_array_equal(router.classes_, np.unique(y))
    assert_array_equal(router.rare_classes_, np.sort(labels[[3, 4]]))
    y_pred = router.predict(X)
    assert set(y_pred.tolist()) <= set(y.tolist())
    assert type(y_pred[0]) is type(y[0])
    assert (y_pred == y).mean() > 0.8


def test_boolean_and_categorical_labels():
    """Check booleans and pandas Categoricals (with an unused category) as labels."""
    X, codes = _long_tailed(sizes=(40, 4))
    y = codes == 1
    router = SmallClassRouter(_lr(), _lr(), rare_classes=1).fit(X, y)
    assert_array_equal(router.classes_, [False, True])
    assert_array_equal(router.rare_classes_, [True])
    assert router.predict(X).dtype == bool

    X, codes = _long_tailed()
    categories = ["e", "d", "c", "b", "a", "unused"]
    y = pd.Series(pd.Categorical(np.array(categories)[codes], categories=categories))
    router = SmallClassRouter(_lr(), _lr(), rare_classes=["a", "b"]).fit(X, y)
    assert_array_equal(router.classes_, ["a", "b", "c", "d", "e"])
    assert (router.predict(X) == y.to_numpy()).mean() > 0.8


def test_balanced_classifier_and_nested_router():
    """Check BalancedClassifier sub-estimators and a router as rare_estimator."""
    X, y = _long_tailed(sizes=(80, 40, 20, 10, 6, 4))
    nested = SmallClassRouter(rare_estimator=BalancedClassifier(), rare_classes=[4, 5])
    router = SmallClassRouter(
        BalancedClassifier(_lr()), nested, rare_classes=[2, 3, 4, 5]
    ).fit(X, y)
    assert isinstance(router.rare_estimator_, SmallClassRouter)
    assert_array_equal(router.rare_estimator_.rare_classes_, [4, 5])
    assert_array_equal(router.rare_estimator_.classes_, [2, 3, 4, 5])
    proba = router.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert router.score(X, y) > 0.8
    assert nested.get_params()["rare_classes"] == [4, 5] and not hasattr(nested, "classes_")


def test_sub_estimators_are_cloned_not_mutated():
    """Check that the given sub-estimators are cloned and left unfitted."""
    X, y = _long_tailed()
    main, rare = _lr(), _lr()
    router = SmallClassRouter(main, rare, rare_classes=[3, 4]).fit(X, y)
    assert router.main_estimator_ is not main and router.rare_estimator_ is not rare
    assert not hasattr(main, "coef_") and not hasattr(rare, "coef_")


@pytest.mark.parametrize("routing", ["soft", "hard"])
def test_pickle_and_clone_round_trips(routing):
    """Check that pickled and cloned-then-refitted routers predict identically."""
    X, y = _long_tailed()
    router = SmallClassRouter(_lr(), _lr(), max_fraction=0.1, routing=routing).fit(X, y)
    restored = pickle.loads(pickle.dumps(router))
    assert_array_equal(restored.predict_proba(X), router.predict_proba(X))
    refitted = clone(router).fit(X, y)
    assert_array_equal(refitted.predict_proba(X), router.predict_proba(X))
    assert_array_equal(refitted.predict(X), router.predict(X))


def test_dataframe_and_sparse_input():
    """Check that DataFrames keep their names and sparse input works."""
    X, y = _long_tailed()
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    router = SmallClassRouter(_lr(), _lr(), rare_classes=[3, 4]).fit(frame, y)
    assert_array_equal(router.feature_names_in_, frame.columns)
    assert_array_equal(router.rare_estimator_.feature_names_in_, frame.columns)
    dense = router.predict_proba(frame)
    sparse = clone(router).fit(sp.csr_matrix(X), y).predict_proba(sp.csr_matrix(X))
    assert_allclose(sparse, dense, atol=1e-6)


@pytest.mark.parametrize(
    "params, err, match",
    [
        ({"rare_classes": [4, 7, "x"]}, ValueError, r"not in y: \[7, 'x'\]"),
        ({"rare_classes": 6}, ValueError, "asks for the 6 smallest classes.*only 5"),
        ({"max_fraction": 0.0}, InvalidParameterError, "max_fraction"),
        ({"max_fraction": 1.0}, InvalidParameterError, "max_fraction"),
        ({"min_samples": 0}, InvalidParameterError, "min_samples"),
        ({"routing": "random"}, InvalidParameterError, "routing"),
        ({"rare_classes": "some"}, InvalidParameterError, "rare_classes"),
        ({"rare_estimator": LinearRegression()}, TypeError, "rare_estimator must be"),
        ({"estimator": LinearRegression()}, TypeError, "estimator must be"),
    ],
)
def test_bad_parameters(params, err, match):
    """Check that bad parameters raise clear errors at fit."""
    X, y = _long_tailed()
    with pytest.raises(err, match=match):
        SmallClassRouter(**{"estimator": _lr(), "rare_estimator": _lr(), **params}).fit(X, y)


def test_bad_targets():
    """Check that single-class, NaN and continuous targets are refused clearly."""
    X, y = _long_tailed()
    router = SmallClassRouter(_lr(), _lr())
    with pytest.raises(ValueError, match="one class"):
        router.fit(X, np.zeros(len(y)))
    y_nan = y.astype(float)
    y_nan[3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        router.fit(X, y_nan)
    y_none = y.astype(object)
    y_none[3] = None
    with pytest.raises(ValueError, match="missing labels"):
        router.fit(X, y_none)
    with pytest.raises(ValueError, match="Unknown label type"):
        router.fit(X, y + 0.5 * np.arange(len(y)))
    with pytest.raises(ValueError, match="one class"):
        router.fit(X, y, sample_weight=(y == 0).astype(float))


def test_sample_weight_needs_a_weight_aware_estimator():
    """Check that sample_weight with an estimator lacking it is a clear error."""
    from sklearn.neighbors import KNeighborsClassifier

    X, y = _long_tailed()
    router = SmallClassRouter(_lr(), KNeighborsClassifier(3), rare_classes=[2, 3, 4])
    router.fit(X, y)
    with pytest.raises(ValueError, match="does not accept sample_weight.*BalancedClassifier"):
        router.fit(X, y, sample_weight=np.ones(len(y)))


def test_pipeline_and_grid_search():
    """Check composition in a Pipeline tuned by GridSearchCV over router parameters."""
    X, y = _long_tailed(sizes=(60, 30, 15, 9, 6))
    pipe = Pipeline([("scale", StandardScaler()), ("router", SmallClassRouter(_lr(), _lr()))])
    grid = {
        "router__max_fraction": [0.05, 0.15],
        "router__routing": ["soft", "hard"],
        "router__estimator__C": [1.0],
        "router__rare_estimator__C": [0.1, 1.0],
    }
    search = GridSearchCV(pipe, grid, cv=3, scoring="f1_macro").fit(X, y)
    assert len(search.cv_results_["params"]) == 8
    assert search.best_estimator_.predict(X).shape == y.shape
    assert search.best_score_ > 0.5


def test_sample_weight_without_routing_reaches_both_estimators():
    """Check that sample_weight reaches both sub-fits, the rare one on its rows."""
    X, y = _long_tailed()
    weight = np.arange(len(y), dtype=float) + 1
    router = SmallClassRouter(RecordingClassifier(), RecordingClassifier(), rare_classes=[3, 4])
    router.fit(X, y, sample_weight=weight)
    rows = np.isin(y, [3, 4])
    assert_array_equal(router.main_estimator_.sample_weight_, weight)
    assert_array_equal(router.rare_estimator_.sample_weight_, weight[rows])
    with pytest.raises(ValueError, match="metadata"):
        router.fit(X, y, metadata=weight)


@config_context(enable_metadata_routing=True)
def test_metadata_routing_through_grid_search():
    """Check that routed sample_weight and metadata reach both sub-estimators."""
    X, y = _long_tailed()
    weight = np.arange(len(y), dtype=float) + 1
    metadata = np.arange(len(y)) * 10
    main = RecordingClassifier().set_fit_request(metadata=True, sample_weight=False)
    rare = RecordingClassifier().set_fit_request(metadata=True, sample_weight=False)
    router = SmallClassRouter(main, rare, rare_classes=[3, 4])
    router.set_fit_request(sample_weight=True)
    pipe = Pipeline([("router", router)])
    # an explicit scorer: scikit-learn 1.6 does not route metadata to a
    # Pipeline's score through GridSearchCV's default scoring
    scoring = get_scorer("accuracy").set_score_request(sample_weight=True)
    search = GridSearchCV(pipe, {"router__routing": ["soft"]}, cv=2, scoring=scoring)
    search.fit(X, y, sample_weight=weight, metadata=metadata)
    fitted = search.best_estimator_.named_steps["router"]
    rows = np.isin(y, [3, 4])
    assert_array_equal(fitted.main_estimator_.sample_weight_, weight)
    assert_array_equal(fitted.main_estimator_.metadata_, metadata)
    assert_array_equal(fitted.rare_estimator_.sample_weight_, weight[rows])
    assert_array_equal(fitted.rare_estimator_.metadata_, metadata[rows])

    routing = router.get_metadata_routing()
    assert routing.consumes("fit", ["sample_weight", "metadata"]) == {"sample_weight", "metadata"}


@config_context(enable_metadata_routing=True)
def test_metadata_routing_refuses_unrequested_metadata():
    """Check that metadata no sub-estimator requested is refused under routing."""
    X, y = _long_tailed()
    router = SmallClassRouter(RecordingClassifier(), RecordingClassifier(), rare_classes=[3, 4])
    with pytest.raises(ValueError, match="metadata"):
        router.fit(X, y, metadata=np.ones(len(y)))
    router.fit(X, y)
    assert router.main_estimator_.metadata_ is None


def test_predict_checks_features():
    """Check that predict refuses X with a different number of features or 1-D X."""
    X, y = _long_tailed()
    router = SmallClassRouter(_lr(), _lr(), rare_classes=[3, 4]).fit(X, y)
    with pytest.raises(ValueError, match="4 features"):
        router.predict(X[:, :3])
    with pytest.raises(ValueError, match="Reshape your data"):
        router.predict_proba(X[0])
