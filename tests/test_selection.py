"""Tests of BalancedClassifierCV."""

import pickle

import numpy as np
import pandas as pd
import pytest
from _doubles import FailingClassifier
from scipy import sparse
from sklearn import config_context
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import get_tags

from skbalance import BalancedClassifier, BalancedClassifierCV
from skbalance.compare import compare, default_strategies


def _small_candidates():
    return {
        "plain": LogisticRegression(max_iter=200),
        "balanced": BalancedClassifier(LogisticRegression(max_iter=200)),
        "tree": DecisionTreeClassifier(max_depth=3, random_state=0),
    }


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=240,
        n_classes=3,
        n_informative=4,
        weights=[0.75, 0.2, 0.05],
        random_state=0,
    )
    return X, y


@pytest.mark.parametrize("search", ["halving", "full"])
def test_picks_the_best_candidate_of_its_results(data, search):
    """Check that the refitted strategy is the top row of cv_results_."""
    X, y = data
    clf = BalancedClassifierCV(
        strategies=_small_candidates(), cv=3, search=search, random_state=0
    ).fit(X, y)
    results = clf.cv_results_.set_index("strategy")
    reliable = results.index[results["p_better"] >= 0.9]
    if len(reliable):
        assert clf.best_strategy_ == results.loc[reliable, "f1_macro_mean"].idxmax()
    else:
        assert clf.best_strategy_ == clf.reference_ == "plain"
    assert set(clf.cv_results_["strategy"]) == set(_small_candidates())
    assert isinstance(clf.best_estimator_, type(_small_candidates()[clf.best_strategy_]))
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1)


def test_full_search_matches_compare(data):
    """Check that search="full" ranks like compare on the same folds."""
    from skbalance.compare import compare

    X, y = data
    clf = BalancedClassifierCV(
        strategies=_small_candidates(), cv=3, search="full", random_state=0
    ).fit(X, y)
    table = compare(X, y, strategies=_small_candidates(), cv=3, random_state=0)
    np.testing.assert_allclose(
        clf.cv_results_.set_index("strategy")["f1_macro_mean"].sort_index(),
        table.set_index("strategy")["f1_macro_mean"].sort_index(),
    )


def test_halving_fits_fewer_candidates_on_later_folds(data):
    """Check that halving scores weak candidates on fewer folds than survivors."""
    X, y = data
    candidates = {f"lr_C{c}": LogisticRegression(C=c, max_iter=200) for c in [1e-3, 1e-2, 0.1, 1, 10, 100]}
    candidates.update(_small_candidates())
    clf = BalancedClassifierCV(strategies=candidates, cv=5, search="halving", random_state=0)
    results = clf.fit(X, y).cv_results_
    assert results["round"].max() == 1
    n_folds = results.set_index("strategy")["n_folds"]
    assert n_folds[clf.best_strategy_] == 5
    # the best third (3 of 9) and the reference ("plain") reach every fold
    assert n_folds["plain"] == 5
    assert (n_folds == 2).sum() == len(candidates) - 4
    fold_scores = pd.DataFrame(results.attrs["fold_scores"])
    fits = fold_scores.groupby("strategy")["fold"].nunique()
    assert fits.sum() < len(candidates) * 5


def test_default_candidates_are_those_of_compare_on_two_families(data):
    """Check that the default searches compare's strategies of an LR and of a forest."""
    X, y = data
    clf = BalancedClassifierCV(cv=2, random_state=0).fit(X, y)
    searched = set(clf.cv_results_["strategy"])
    families = {"LogisticRegression": None, "RandomForestClassifier": RandomForestClassifier()}
    expected = {
        f"{family}/{name}"
        for family, estimator in families.items()
        for name in default_strategies(estimator, 0)
    }
    assert searched <= expected
    assert {name.split("/")[0] for name in searched} == set(families)
    assert clf.reference_ == "LogisticRegression/plain"
    # weight:inverse is weight:balanced under normalize="mean": searched once
    assert "LogisticRegression/weight:balanced" in searched
    assert "LogisticRegression/weight:inverse" not in searched
    forests = [m for n, m in zip(clf.ensemble_, clf.estimators_) if n.startswith("Random")]
    assert all(isinstance(m, (RandomForestClassifier, BalancedClassifier)) for m in forests)


def test_failing_candidate_is_dropped_with_its_error(data):
    """Check that a failing candidate keeps its error and is never chosen."""
    X, y = data
    candidates = {"broken": FailingClassifier(RuntimeError, "boom"), **_small_candidates()}
    clf = BalancedClassifierCV(strategies=candidates, cv=3, random_state=0).fit(X, y)
    row = clf.cv_results_.set_index("strategy").loc["broken"]
    assert "boom" in row["error"]
    assert clf.best_strategy_ != "broken"


def test_all_failing_candidates_raise(data):
    """Check that fit raises the candidates' own error when every candidate fails."""
    X, y = data
    with pytest.raises(RuntimeError, match="boom"):
        BalancedClassifierCV(strategies={"a": FailingClassifier(RuntimeError, "boom"), "b": FailingClassifier(RuntimeError, "boom")}, cv=2).fit(X, y)


def test_refit_false_cannot_predict(data):
    """Check that refit=False learns the choice but exposes no predict."""
    X, y = data
    clf = BalancedClassifierCV(strategies=_small_candidates(), cv=2, refit=False).fit(X, y)
    assert clf.best_strategy_ in _small_candidates()
    assert not hasattr(clf, "predict")


def test_deterministic_with_random_state(data):
    """Check that two fits with the same random_state give the same results."""
    X, y = data
    a = BalancedClassifierCV(strategies=_small_candidates(), cv=3, random_state=1).fit(X, y)
    b = BalancedClassifierCV(strategies=_small_candidates(), cv=3, random_state=1).fit(X, y)
    pd.testing.assert_frame_equal(a.cv_results_, b.cv_results_.assign(fit_time_mean=a.cv_results_["fit_time_mean"]))
    np.testing.assert_array_equal(a.predict(X), b.predict(X))


def test_nested_cross_validation_does_not_leak(data):
    """Check that, inside an outer CV, the inner search sees only training rows."""
    X, y = data
    seen = []

    class Recording(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            seen.append(len(X))
            return super().fit(X, y, sample_weight=sample_weight)

    outer = StratifiedKFold(3, shuffle=True, random_state=0)
    inner = BalancedClassifierCV(strategies={"rec": Recording(max_iter=200)}, cv=2)
    cross_validate(inner, X, y, cv=outer)
    n_train = [len(train) for train, _ in outer.split(X, y)]
    assert max(seen) <= max(n_train)


def test_works_in_a_pipeline_with_dataframes(data):
    """Check that it composes in a Pipeline on a DataFrame."""
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    pipe = make_pipeline(
        StandardScaler(), BalancedClassifierCV(strategies=_small_candidates(), cv=2)
    ).set_output(transform="pandas")
    pipe.fit(frame, y)
    assert pipe.score(frame, y) > 0.7


def test_sample_weight_reaches_candidates(data):
    """Check that sample_weight is routed to the candidates, also with routing on."""
    X, y = data
    received = []

    class Recording(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            received.append(sample_weight)
            return super().fit(X, y, sample_weight=sample_weight)

    sw = np.linspace(0.5, 2, len(y))
    BalancedClassifierCV(strategies={"rec": Recording(max_iter=200)}, cv=2).fit(
        X, y, sample_weight=sw
    )
    assert all(w is not None for w in received)
    np.testing.assert_allclose(received[-1], sw)
    with config_context(enable_metadata_routing=True):
        received.clear()
        clf = BalancedClassifierCV(strategies={"rec": Recording(max_iter=200)}, cv=2)
        clf.set_fit_request(sample_weight=True).set_score_request(sample_weight=False)
        cross_validate(clf, X, y, cv=2, params={"sample_weight": sw})
        assert received and all(w is not None for w in received)


def test_clone_and_pickle_round_trip(data):
    """Check that clone and pickle round trips predict the same."""
    X, y = data
    clf = BalancedClassifierCV(strategies=_small_candidates(), cv=2, random_state=0).fit(X, y)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict(X), clf.predict(X))
    refit = clone(clf).fit(X, y)
    np.testing.assert_array_equal(refit.predict(X), clf.predict(X))


@pytest.mark.parametrize(
    "params, match",
    [
        ({"scoring": "accuracy"}, "scoring"),
        ({"search": "random"}, "search"),
        ({"strategies": "every"}, "strategies"),
    ],
)
def test_bad_parameters_raise(data, params, match):
    """Check that invalid parameters raise an error naming them."""
    X, y = data
    with pytest.raises(ValueError, match=match):
        BalancedClassifierCV(**params).fit(X, y)


def test_single_class_raises(data):
    """Check that a single-class y raises a clear error."""
    X, _ = data
    with pytest.raises(ValueError, match="only one class"):
        BalancedClassifierCV(strategies=_small_candidates()).fit(X, np.zeros(len(X)))


def test_default_search_around_an_unfitted_forest(data):
    """Check that an unfitted ensemble (which defines __len__) works as the estimator."""
    X, y = data
    forest = RandomForestClassifier(n_estimators=5, random_state=0)
    clf = BalancedClassifierCV(forest, cv=2, random_state=0).fit(X, y)
    assert clf.cv_results_["error"].isna().all(), clf.cv_results_["error"].dropna().tolist()
    assert clf.predict(X).shape == y.shape


def test_default_search_on_sparse_input(data):
    """Check that the default candidates accept a sparse matrix, as the tags say."""
    X, y = data
    X_sparse = sparse.csr_matrix(np.abs(X))
    clf = BalancedClassifierCV(cv=2, random_state=0)
    assert get_tags(clf).input_tags.sparse
    clf.fit(X_sparse, y)
    assert clf.cv_results_["error"].isna().all(), clf.cv_results_["error"].dropna().tolist()
    assert clf.predict(X_sparse).shape == y.shape
    results = compare(X_sparse, y, cv=2, random_state=0, scoring="f1_macro")
    assert results["error"].isna().all(), results["error"].dropna().tolist()


def test_nested_pipeline_candidates_get_sample_weight(data):
    """Check that sample_weight reaches the final step of a nested pipeline candidate."""
    X, y = data
    nested = Pipeline(
        [("outer", StandardScaler()), ("inner", make_pipeline(StandardScaler(), LogisticRegression(max_iter=200)))]
    )
    weights = np.linspace(0.5, 2.0, len(y))
    clf = BalancedClassifierCV(nested, cv=2, random_state=0).fit(X, y, sample_weight=weights)
    assert clf.cv_results_["error"].isna().all(), clf.cv_results_["error"].dropna().tolist()
    expected = clone(nested).fit(X, y, inner__logisticregression__sample_weight=weights)
    plain = BalancedClassifierCV(
        nested, strategies={"plain": nested}, cv=2, random_state=0
    ).fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(plain.predict_proba(X), expected.predict_proba(X))


def test_model_families_are_prefixed_candidates(data):
    """Check that a list of estimators gives every family's strategies, prefixed."""
    X, y = data
    families = [LogisticRegression(max_iter=200), DecisionTreeClassifier(random_state=0)]
    clf = BalancedClassifierCV(families, cv=2, random_state=0).fit(X, y)
    names = set(clf.cv_results_["strategy"])
    assert {"LogisticRegression/plain", "DecisionTreeClassifier/plain"} <= names
    assert clf.reference_ == "LogisticRegression/plain"
    assert clf.predict(X).shape == y.shape


def test_average_members_and_tuned_decision(data):
    """Check the fitted ensemble and decision attributes and that predict uses them."""
    X, y = data
    clf = BalancedClassifierCV(cv=3, random_state=0).fit(X, y)
    scores = clf.cv_results_.set_index("strategy")["pooled_score"]
    reference = scores[clf.reference_]
    # on these labels several candidates match plain, from both families
    assert clf.reference_ not in clf.ensemble_
    assert {name.split("/")[0] for name in clf.ensemble_} == {
        "LogisticRegression",
        "RandomForestClassifier",
    }
    assert set(clf.ensemble_) == set(scores[scores >= reference].index) - {clf.reference_}
    # best_strategy_ leads when it is a member (it is on some library versions),
    # the others follow by pooled score
    best = clf.best_strategy_
    others = [name for name in clf.ensemble_ if name != best]
    assert clf.ensemble_ == [best] * (best in clf.ensemble_) + others
    ranked = scores[others].to_numpy()
    assert (ranked[:-1] >= ranked[1:]).all()
    assert len(clf.estimators_) == len(clf.ensemble_)
    # best_estimator_ is the member's refit, or a refit of its own
    is_member = [clf.best_estimator_ is member for member in clf.estimators_]
    assert is_member == [name == best for name in clf.ensemble_]
    expected_proba = np.mean([m.predict_proba(X) for m in clf.estimators_], axis=0)
    np.testing.assert_allclose(clf.predict_proba(X), expected_proba)
    assert clf.class_offset_.shape == (len(clf.classes_),)
    log_proba = np.log(clf.predict_proba(X))
    expected = clf.classes_[np.argmax(log_proba + clf.class_offset_, axis=1)]
    np.testing.assert_array_equal(clf.predict(X), expected)


def test_candidates_worse_than_the_reference_are_left_out():
    """Check that a candidate scoring below the reference is never averaged in."""
    X, y = make_classification(n_samples=200, weights=[0.8, 0.2], random_state=0)
    candidates = {
        "plain": LogisticRegression(max_iter=200),
        "constant": DummyClassifier(strategy="prior"),
    }
    clf = BalancedClassifierCV(strategies=candidates, cv=3, random_state=0).fit(X, y)
    assert clf.ensemble_ == ["plain"]
    np.testing.assert_allclose(clf.predict_proba(X), clf.estimators_[0].predict_proba(X))


def test_decision_is_tuned_only_when_it_pays_off_out_of_sample():
    """Check tau_ against the cross-fitted scores of the members' pooled probabilities."""
    X, y = make_classification(
        n_samples=300, n_informative=3, weights=[0.9, 0.1], flip_y=0.05, random_state=0
    )
    forest = RandomForestClassifier(n_estimators=30, random_state=0)
    tuned = BalancedClassifierCV(forest, cv=3, random_state=0).fit(X, y)
    separable_X = np.r_[np.zeros((40, 1)), np.ones((10, 1))]
    separable_y = np.r_[np.zeros(40, int), np.ones(10, int)]
    separable = BalancedClassifierCV(
        strategies={"plain": LogisticRegression()}, cv=3, random_state=0
    ).fit(separable_X, separable_y)
    # a forest's majority-leaning votes gain from the prior shift out of sample;
    # a perfect split cannot, so its decision stays untuned
    assert tuned.tau_ > 0 and separable.tau_ == 0.0
    np.testing.assert_array_equal(separable.class_offset_, [0.0, 0.0])


def test_without_ensemble_and_tuning_it_is_the_chosen_strategy(data):
    """Check that ensemble=False, tune_decision=False predicts as the refitted choice."""
    X, y = data
    clf = BalancedClassifierCV(
        strategies=_small_candidates(), cv=3, ensemble=False, tune_decision=False, random_state=0
    ).fit(X, y)
    assert clf.ensemble_ == [clf.best_strategy_] and clf.tau_ == 0.0
    np.testing.assert_array_equal(clf.predict(X), clf.best_estimator_.predict(X))


def test_reference_is_kept_without_evidence():
    """Check that two names for one model never move the choice off the reference."""
    X, y = make_classification(n_samples=150, weights=[0.6, 0.4], random_state=1)
    same = {"plain": LogisticRegression(max_iter=200), "copy": LogisticRegression(max_iter=200)}
    clf = BalancedClassifierCV(strategies=same, cv=3, ensemble=False, random_state=0).fit(X, y)
    assert clf.best_strategy_ == "plain"


def test_forest_candidates_are_scored_out_of_bag(data):
    """Check that forest candidates are fitted once, out of bag, and kept as the refit."""
    X, y = data
    forest = RandomForestClassifier(n_estimators=30, random_state=0)
    clf = BalancedClassifierCV(forest, cv=3, random_state=0).fit(X, y)
    results = clf.cv_results_.set_index("strategy")
    assert results.loc["plain", "n_folds"] == 3
    for name, model in zip(clf.ensemble_, clf.estimators_):
        if name == "plain" or name.startswith("weight:"):
            # a forest has an estimator_ too (its tree template): BalancedClassifier's
            inner = model.estimator_ if isinstance(model, BalancedClassifier) else model
            assert inner.oob_score  # the out-of-bag fit is the refitted model
    no_oob = BalancedClassifierCV(forest, cv=3, oob=False, random_state=0).fit(X, y)
    assert set(no_oob.cv_results_["strategy"]) == set(results.index)


def test_auto_searches_weightings_and_all_searches_every_default(data):
    """Check the two named candidate sets."""
    X, y = data
    auto = BalancedClassifierCV(cv=2, random_state=0).fit(X, y)
    names = {name.split("/", 1)[1] for name in auto.cv_results_["strategy"]}
    assert "plain" in names and all(n == "plain" or n.startswith("weight:") for n in names)
    every = BalancedClassifierCV(strategies="all", search="full", cv=2, random_state=0).fit(X, y)
    names = set(every.cv_results_["strategy"])
    assert {"LogisticRegression/sampler:smote", "LogisticRegression/focal"} <= names
    assert "RandomForestClassifier/sampler:smote" in names
    assert not any(name.startswith("tuned:") for name in names)


def test_pickle_and_skops_round_trips_keep_cv_results(data):
    """Check that a fitted selector survives pickle and skops with its cv_results_."""
    sio = pytest.importorskip("skops.io")
    X, y = data
    clf = BalancedClassifierCV(cv=2, random_state=0).fit(X, y)
    payload = sio.dumps(clf)
    assert isinstance(clf.cv_results_, pd.DataFrame)  # dumping leaves the model as it was
    for copy in (pickle.loads(pickle.dumps(clf)), sio.loads(payload, trusted=sio.get_untrusted_types(data=payload))):
        pd.testing.assert_frame_equal(copy.cv_results_, clf.cv_results_)
        assert copy.cv_results_.attrs == clf.cv_results_.attrs
        np.testing.assert_array_equal(copy.predict(X), clf.predict(X))


def test_default_candidates_without_sample_weight_get_it_by_resampling(data):
    """Check that sample_weight works around k-NN, whose fit takes none."""
    from sklearn.neighbors import KNeighborsClassifier

    X, y = data
    knn = make_pipeline(StandardScaler(), KNeighborsClassifier())
    weights = np.linspace(0.5, 2.0, len(y))
    clf = BalancedClassifierCV(knn, cv=2, random_state=0).fit(X, y, sample_weight=weights)
    assert clf.cv_results_["error"].isna().all(), clf.cv_results_["error"].dropna().tolist()
    assert clf.predict(X).shape == y.shape


def test_a_failing_out_of_bag_candidate_is_reported_not_fatal(data):
    """Check that a forest candidate failing to fit is cross-validated and reported."""
    X, y = data
    forest = RandomForestClassifier(n_estimators=5, max_depth=-1, random_state=0)
    candidates = {"plain": LogisticRegression(max_iter=200), "broken_forest": forest}
    clf = BalancedClassifierCV(strategies=candidates, cv=2, random_state=0).fit(X, y)
    assert clf.cv_results_.set_index("strategy").loc["broken_forest", "error"]
    assert clf.best_strategy_ == "plain"


@pytest.mark.parametrize(
    "scores, best, expected",
    [
        ({"plain": 0.5, "a": 0.6, "b": 0.7, "c": 0.4}, "plain", ["b", "a"]),
        ({"plain": 0.5, "a": 0.6, "b": 0.7}, "a", ["a", "b"]),
        ({"plain": 0.5, "a": 0.5}, "plain", ["a"]),
        ({"plain": 0.5, "a": 0.4}, "plain", ["plain"]),
        ({"a": 0.4, "b": 0.9}, "a", ["a"]),
    ],
)
def test_ensemble_members_rule(scores, best, expected):
    """Check the members: every candidate at least as good as the reference, best first."""
    from skbalance._portfolio import _ensemble_members

    assert _ensemble_members(scores, "plain", best) == expected


def test_cross_fitted_scores_of_a_majority_leaning_model():
    """Check that shifting the prior pays off out of sample when argmax never picks the rare class."""
    from skbalance._tuning import _cross_fitted_scores

    codes = np.r_[np.zeros(90, int), np.ones(10, int)]
    p_rare = np.r_[np.full(90, 0.05), np.full(10, 0.3)]
    proba = np.c_[1 - p_rare, p_rare]
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(proba, codes))
    untuned, tuned = _cross_fitted_scores(proba, codes, np.array([0.9, 0.1]), folds)
    assert untuned == pytest.approx(90 / 190)  # macro-F1 of "always class 0"
    assert tuned == pytest.approx(1.0)


def test_a_family_without_predict_proba_keeps_the_best_strategy_alone(data):
    """Check that a reference without probabilities leaves the average to best_strategy_."""
    from sklearn.svm import LinearSVC

    X, y = data
    families = [LinearSVC(), RandomForestClassifier(n_estimators=10, random_state=0)]
    clf = BalancedClassifierCV(families, cv=3, random_state=0).fit(X, y)
    results = clf.cv_results_.set_index("strategy")
    assert np.isnan(results.loc["LinearSVC/plain", "pooled_score"])
    assert results.loc["RandomForestClassifier/plain", "pooled_score"] > 0
    assert clf.ensemble_ == [clf.best_strategy_] and clf.tau_ == 0.0
    np.testing.assert_array_equal(clf.predict(X), clf.best_estimator_.predict(X))


def test_folds_that_are_not_a_partition_leave_the_best_strategy_alone():
    """Check a ShuffleSplit cv: no pooled probabilities, so no average and no tuning."""
    from sklearn.model_selection import StratifiedShuffleSplit

    X, y = make_classification(n_samples=200, weights=[0.85, 0.15], random_state=0)
    forest = RandomForestClassifier(n_estimators=20, random_state=0)
    cv = StratifiedShuffleSplit(3, test_size=0.3, random_state=0)
    clf = BalancedClassifierCV(forest, cv=cv, random_state=0).fit(X, y)
    assert clf.cv_results_["pooled_score"].isna().all()
    assert clf.ensemble_ == [clf.best_strategy_] and clf.tau_ == 0.0
    np.testing.assert_array_equal(clf.predict(X), clf.best_estimator_.predict(X))
