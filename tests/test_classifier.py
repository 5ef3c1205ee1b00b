"""Tests of BalancedClassifier (class weights and samplers inside any classifier's fit)."""

import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
import skops.io
from _doubles import RecordingClassifier, UnweightedRecorder
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.combine import SMOTEENN, SMOTETomek
from imblearn.over_sampling import (
    ADASYN,
    SMOTE,
    SVMSMOTE,
    BorderlineSMOTE,
    RandomOverSampler,
)
from imblearn.pipeline import make_pipeline as make_imblearn_pipeline
from imblearn.under_sampling import NearMiss, RandomUnderSampler
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import config_context
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    StratifiedKFold,
    cross_val_score,
    cross_validate,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.class_weight import compute_sample_weight

from skbalance import BalancedClassifier, ClassWeightTransformer, compute_class_weights
from skbalance.priors import correct_prior_shift


def _data(n_samples=300, weights=(0.7, 0.2, 0.1), random_state=0):
    """Imbalanced classification data; one class per entry of ``weights``."""
    return make_classification(
        n_samples=n_samples,
        n_features=6,
        n_informative=4,
        n_classes=len(weights),
        weights=list(weights),
        random_state=random_state,
    )


def _tiny_class_data(sizes=(40, 1, 2, 3), random_state=0):
    """Gaussian blobs, one per class, with the given (tiny) class sizes."""
    rng = np.random.RandomState(random_state)
    y = np.repeat(np.arange(len(sizes)), sizes)
    X = rng.normal(size=(len(y), 3)) + 1.5 * y[:, None]
    return X, y


def _weights_array(clf):
    """``class_weight_`` as an array aligned with ``classes_``."""
    return np.array([clf.class_weight_[label] for label in clf.classes_.tolist()])


def _codes(clf, y):
    """Indices of the labels ``y`` in ``clf.classes_``."""
    return np.searchsorted(clf.classes_, y)


BINARY_AND_MULTICLASS = pytest.mark.parametrize(
    "class_shares", [(0.85, 0.15), (0.7, 0.2, 0.1)], ids=["binary", "multiclass"]
)


# ---------------------------------------------------------------------------
# weights computed inside fit


def test_weights_are_computed_after_the_sampler():
    """Check that class weights come from the labels the estimator sees after the sampler."""
    X, y = _data()
    clf = BalancedClassifier(sampler=RandomOverSampler(random_state=0)).fit(X, y)
    assert clf.class_weight_ == pytest.approx({0: 1.0, 1: 1.0, 2: 1.0})
    n_major = np.bincount(y).max()
    assert_allclose(clf.class_counts_, [n_major] * 3)


def test_each_fit_computes_its_own_weights():
    """Check that fitting on two different subsets gives two different class_weight_."""
    X, y = _data()
    clf = BalancedClassifier()
    first = clf.fit(X[:100], y[:100]).class_weight_
    second = clf.fit(X[100:], y[100:]).class_weight_
    assert first != pytest.approx(second)
    assert first == pytest.approx(compute_class_weights(y[:100]))
    assert second == pytest.approx(compute_class_weights(y[100:]))


def test_each_cv_fold_gets_its_own_weights():
    """Check that every CV fold's estimator is weighted with its own training labels."""
    X, y = _data()
    result = cross_validate(
        BalancedClassifier(),
        X,
        y,
        cv=KFold(3, shuffle=True, random_state=0),
        return_estimator=True,
        return_indices=True,
    )
    fold_weights = []
    for clf, train in zip(result["estimator"], result["indices"]["train"]):
        assert clf.class_weight_ == pytest.approx(compute_class_weights(y[train]))
        fold_weights.append(_weights_array(clf))
    assert not np.allclose(fold_weights[0], fold_weights[1])


# ---------------------------------------------------------------------------
# equivalence with scikit-learn's class_weight="balanced"


@BINARY_AND_MULTICLASS
def test_balanced_equals_sklearn_class_weight_balanced(class_shares):
    """Check that weighting="balanced" fits like LogisticRegression(class_weight="balanced")."""
    X, y = _data(weights=class_shares)
    ours = BalancedClassifier(LogisticRegression(), weighting="balanced").fit(X, y)
    theirs = LogisticRegression(class_weight="balanced").fit(X, y)
    assert_allclose(ours.estimator_.coef_, theirs.coef_, rtol=1e-6, atol=1e-8)
    assert_allclose(ours.estimator_.intercept_, theirs.intercept_, rtol=1e-6, atol=1e-8)
    assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-6)


@BINARY_AND_MULTICLASS
def test_balanced_with_sample_weight_multiplies_like_sklearn(class_shares):
    """Check that a sample_weight is multiplied with the class weights, as scikit-learn does.

    scikit-learn multiplies ``class_weight`` by ``sample_weight`` but computes
    ``"balanced"`` from unweighted counts; we count classes as sums of sample
    weights (so integer weights equal repeated rows). The reference is thus
    LogisticRegression given, as a dict, the balanced weights of the
    *weighted* counts, fitted with the same sample_weight.
    """
    X, y = _data(weights=class_shares)
    sw = np.random.RandomState(0).uniform(0.2, 3.0, len(y))
    counts = np.bincount(y, weights=sw)
    balanced = counts.sum() / (len(counts) * counts)
    ours = BalancedClassifier(LogisticRegression()).fit(X, y, sample_weight=sw)
    theirs = LogisticRegression(class_weight=dict(enumerate(balanced))).fit(X, y, sample_weight=sw)
    assert_allclose(_weights_array(ours), balanced)
    assert_allclose(ours.estimator_.coef_, theirs.coef_, rtol=1e-6, atol=1e-8)
    assert_allclose(ours.estimator_.intercept_, theirs.intercept_, rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------------------
# the weighting parameter


@pytest.mark.parametrize("scheme", ["balanced", "inverse_sqrt", "effective_number", "log_inverse"])
def test_weighting_scheme_name(scheme):
    """Check that a scheme name gives compute_class_weights' weights, applied per row."""
    X, y = _data()
    clf = BalancedClassifier(RecordingClassifier(), weighting=scheme).fit(X, y)
    assert clf.class_weight_ == pytest.approx(compute_class_weights(y, scheme))
    assert_allclose(clf.estimator_.sample_weight_, _weights_array(clf)[y])


def test_weighting_dict():
    """Check that a dict of weights is normalised like compute_class_weights does."""
    X, y = _data()
    weights = {0: 1.0, 1: 3.0, 2: 10.0, "unused": 5.0}
    clf = BalancedClassifier(RecordingClassifier(), weighting=weights).fit(X, y)
    assert clf.class_weight_ == pytest.approx(compute_class_weights(y, weights))
    # ratios are kept, the mean sample weight is 1
    assert clf.class_weight_[2] / clf.class_weight_[0] == pytest.approx(10.0)
    assert clf.estimator_.sample_weight_.mean() == pytest.approx(1.0)


def test_weighting_callable():
    """Check that a callable gets the class counts and gives the raw weights."""
    X, y = _data()
    seen = []

    def square_inverse(counts):
        seen.append(counts.copy())
        return 1.0 / counts**2

    clf = BalancedClassifier(RecordingClassifier(), weighting=square_inverse).fit(X, y)
    assert_allclose(seen[0], np.bincount(y))
    assert clf.class_weight_ == pytest.approx(compute_class_weights(y, square_inverse))


def test_weighting_transformer_is_neither_fitted_nor_modified():
    """Check that a ClassWeightTransformer gives its weights and is left unfitted."""
    X, y = _data()
    cwt = ClassWeightTransformer("inverse_sqrt", max_ratio=2.0)
    params = cwt.get_params()
    clf = BalancedClassifier(weighting=cwt).fit(X, y)
    assert clf.class_weight_ == pytest.approx(clone(cwt).fit(y).class_weight_)
    assert not hasattr(cwt, "class_weight_")
    assert cwt.get_params() == params


def test_weighting_none_gives_unit_weights():
    """Check that weighting=None fits with unit weights (the user's sample_weight only)."""
    X, y = _data()
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    clf = BalancedClassifier(RecordingClassifier(), weighting=None).fit(X, y, sample_weight=sw)
    assert clf.class_weight_ == {0: 1.0, 1: 1.0, 2: 1.0}
    assert_allclose(clf.estimator_.sample_weight_, sw)


# ---------------------------------------------------------------------------
# samplers


ALL_SAMPLERS = [
    RandomOverSampler(),
    RandomUnderSampler(),
    SMOTE(),
    BorderlineSMOTE(),
    ADASYN(),
]


@pytest.mark.parametrize("sampler", ALL_SAMPLERS, ids=lambda s: type(s).__name__)
def test_any_sampler_works(sampler):
    """Check that imbalanced-learn samplers run and the estimator sees their output."""
    X, y = _data(n_samples=400)
    clf = BalancedClassifier(RecordingClassifier(), sampler=sampler, random_state=0).fit(X, y)
    counts = np.bincount(clf.estimator_.y_)
    assert_allclose(clf.class_counts_, counts)
    # every sampler above balances the classes, so the weights are (close to) 1
    assert_allclose(_weights_array(clf), 1.0, rtol=0.1)
    assert clf.sampler_ is not sampler
    assert clf.sampler_.random_state == 0


@pytest.mark.parametrize(
    "sampler",
    [
        RandomOverSampler(),
        RandomUnderSampler(),
        SMOTE(),
        BorderlineSMOTE(),
        # a single-row class has no neighbour of another class once it is
        # repeated, and ADASYN refuses such data by design
        pytest.param(
            ADASYN(),
            marks=pytest.mark.xfail(
                raises=RuntimeError, strict=True, reason="ADASYN, 1-row class"
            ),
        ),
    ],
    ids=lambda s: type(s).__name__,
)
def test_samplers_adapt_to_classes_of_one_two_three_rows(sampler):
    """Check that samplers handle classes of 1, 2 and 3 rows (fewer than k_neighbors + 1)."""
    X, y = _tiny_class_data((40, 1, 2, 3))
    params = sampler.get_params()
    clf = BalancedClassifier(sampler=sampler, random_state=0).fit(X, y)
    assert_array_equal(clf.classes_, [0, 1, 2, 3])
    assert_array_equal(clf.estimator_.classes_, [0, 1, 2, 3])
    assert clf.predict(X).shape == (len(y),)
    assert sampler.get_params() == params


def test_adasyn_adapts_to_classes_of_two_and_three_rows():
    """Check that ADASYN runs on classes of 2 and 3 rows lying among the majority."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(45, 3))
    y = np.array([0] * 40 + [1] * 2 + [2] * 3)
    sampler = ADASYN()
    clf = BalancedClassifier(RecordingClassifier(), sampler=sampler, random_state=0).fit(X, y)
    assert clf.estimator_.n_rows_ > len(y)
    assert sampler.n_neighbors == 5
    assert clf.sampler_.n_neighbors == 1


@pytest.mark.parametrize("sampler", [SMOTE(), BorderlineSMOTE()], ids=lambda s: type(s).__name__)
def test_neighbour_count_is_shrunk_on_the_clone_only(sampler):
    """Check that k_neighbors is adapted on sampler_ and left unchanged on the user's sampler."""
    X, y = _tiny_class_data((40, 3, 4))
    clf = BalancedClassifier(sampler=sampler, random_state=0).fit(X, y)
    assert clf.sampler_.k_neighbors == 2
    assert sampler.k_neighbors == 5
    assert not hasattr(sampler, "sampling_strategy_")


@pytest.mark.parametrize(
    "sampler", [SMOTE(), BorderlineSMOTE(), SVMSMOTE()], ids=lambda s: type(s).__name__
)
def test_single_row_class_is_copied_by_smote(sampler):
    """Check that a single-row class is over-sampled with copies of that row, as documented."""
    X, y = _tiny_class_data((40, 1, 3))
    clf = BalancedClassifier(RecordingClassifier(), sampler=sampler, random_state=0).fit(X, y)
    rows = clf.estimator_.X_[clf.estimator_.y_ == 1]
    assert len(rows) > 1
    assert_allclose(rows, np.repeat(X[y == 1], len(rows), axis=0))


@pytest.mark.parametrize("combined", [SMOTEENN, SMOTETomek], ids=lambda c: c.__name__)
def test_smote_inside_combined_samplers_adapts_to_small_classes(combined):
    """Check that the SMOTE step of SMOTEENN / SMOTETomek gets k_neighbors <= n_min - 1."""
    X, y = _tiny_class_data((40, 3, 6))
    user_smote = SMOTE(k_neighbors=4)
    for sampler in (combined(), combined(smote=user_smote)):
        clf = BalancedClassifier(sampler=sampler, random_state=0).fit(X, y)
        assert clf.sampler_.smote.k_neighbors == 2
        assert_array_equal(clf.estimator_.classes_, [0, 1, 2])
    # the default SMOTE is made explicit as imbalanced-learn builds it, seeded
    assert clf.sampler_.smote is not user_smote
    assert user_smote.k_neighbors == 4
    default = BalancedClassifier(sampler=combined(), random_state=0).fit(X, y).sampler_.smote
    assert default.random_state == 0
    assert default.sampling_strategy == "auto"


@pytest.mark.parametrize(
    "sampler, adapted",
    [
        (NearMiss(n_neighbors=5), {"n_neighbors": 3}),
        (NearMiss(version=2, n_neighbors=5), {"n_neighbors": 3}),
        (
            NearMiss(version=3, n_neighbors=5, n_neighbors_ver3=8),
            {"n_neighbors": 3, "n_neighbors_ver3": 6},
        ),
        # counts the small classes allow are kept
        (NearMiss(version=3), {"n_neighbors": 3, "n_neighbors_ver3": 3}),
    ],
    ids=["v1", "v2", "v3", "v3-defaults"],
)
def test_near_miss_adapts_to_small_classes(sampler, adapted):
    """Check that NearMiss's neighbour counts shrink to the classes they search.

    ``n_neighbors`` looks among the 3 rows of the smallest class, so at most
    3; ``n_neighbors_ver3`` among the rows of each class under-sampled (6 and
    40), so at most 6.
    """
    X, y = _tiny_class_data((40, 3, 6))
    params = sampler.get_params()
    clf = BalancedClassifier(RecordingClassifier(), sampler=sampler, random_state=0).fit(X, y)
    assert {name: clf.sampler_.get_params()[name] for name in adapted} == adapted
    assert_array_equal(np.bincount(clf.estimator_.y_), [3, 3, 3])
    assert sampler.get_params() == params


def test_near_miss_adapts_to_a_single_row_class():
    """Check that NearMiss runs on a single-row class, without repeating that row."""
    X, y = _tiny_class_data((40, 1, 6))
    clf = BalancedClassifier(RecordingClassifier(), sampler=NearMiss(), random_state=0)
    clf.fit(X, y)
    assert clf.sampler_.n_neighbors == 1
    assert_array_equal(np.bincount(clf.estimator_.y_), [1, 1, 1])


@pytest.mark.filterwarnings("ignore:The least populated class:UserWarning")
@pytest.mark.parametrize(
    "sampler",
    [SMOTE(), BorderlineSMOTE(), ADASYN(), RandomOverSampler()],
    ids=lambda s: type(s).__name__,
)
def test_samplers_adapt_inside_cv_folds(sampler):
    """Check that a class left tiny inside a training fold does not break cross-validation."""
    rng = np.random.RandomState(0)
    y = np.array([0] * 60 + [1] * 4 + [2] * 3)
    X = rng.normal(size=(len(y), 3)) + 0.8 * y[:, None]
    scores = cross_val_score(
        BalancedClassifier(sampler=sampler, random_state=0),
        X,
        y,
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        error_score="raise",
    )
    assert np.isfinite(scores).all()
    assert sampler.get_params()["random_state"] is None


# ---------------------------------------------------------------------------
# the user's sample_weight


def test_sample_weight_is_multiplied_with_class_weights():
    """Check that the inner estimator receives class weight times sample weight."""
    X, y = _data()
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    clf = BalancedClassifier(RecordingClassifier()).fit(X, y, sample_weight=sw)
    assert_allclose(clf.class_counts_, np.bincount(y, weights=sw))
    assert_allclose(clf.estimator_.sample_weight_, _weights_array(clf)[y] * sw)


def test_sample_weight_follows_under_sampled_rows():
    """Check that RandomUnderSampler's kept rows keep their own sample_weight."""
    X, y = _data()
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    clf = BalancedClassifier(
        RecordingClassifier(), sampler=RandomUnderSampler(random_state=0)
    ).fit(X, y, sample_weight=sw)
    kept = clf.sampler_.sample_indices_
    assert_array_equal(clf.estimator_.y_, y[kept])
    assert_allclose(clf.class_counts_, np.bincount(y[kept], weights=sw[kept]))
    assert_allclose(clf.estimator_.sample_weight_, _weights_array(clf)[y[kept]] * sw[kept])


def test_sample_weight_follows_smote_rows():
    """Check that SMOTE's original rows keep their weight and synthetic rows get the class mean."""
    X, y = _data()
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    clf = BalancedClassifier(RecordingClassifier(), sampler=SMOTE(random_state=0)).fit(
        X, y, sample_weight=sw
    )
    y_fit, received = clf.estimator_.y_, clf.estimator_.sample_weight_
    weights = _weights_array(clf)
    n = len(y)
    assert_array_equal(y_fit[:n], y)
    assert_allclose(received[:n], weights[y] * sw)
    class_mean = np.bincount(y, weights=sw) / np.bincount(y)
    synthetic = y_fit[n:]
    assert len(synthetic) > 0
    assert_allclose(received[n:], weights[synthetic] * class_mean[synthetic])


def test_sample_weight_after_combined_sampler_stays_within_class():
    """Check that SMOTEENN's rows get weights of their own class.

    Its output does not start with the input rows, unlike SMOTE's.
    """
    X, y = _data()
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    clf = BalancedClassifier(RecordingClassifier(), sampler=SMOTEENN(random_state=0)).fit(
        X, y, sample_weight=sw
    )
    y_fit = clf.estimator_.y_
    per_row = clf.estimator_.sample_weight_ / _weights_array(clf)[y_fit]
    class_mean = np.bincount(y, weights=sw) / np.bincount(y)
    for label, weight in zip(y_fit, per_row):
        own_class = np.append(sw[y == label], class_mean[label])
        assert np.isclose(own_class, weight).any()


# ---------------------------------------------------------------------------
# metadata routing


@config_context(enable_metadata_routing=True)
def test_routing_sample_weight_through_pipeline():
    """Check that a requested sample_weight reaches BalancedClassifier inside a Pipeline."""
    X, y = _data()
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    clf = BalancedClassifier(RecordingClassifier()).set_fit_request(sample_weight=True)
    pipe = make_pipeline(StandardScaler().set_fit_request(sample_weight=False), clf)
    pipe.fit(X, y, sample_weight=sw)
    inner = pipe[-1]
    assert_allclose(inner.estimator_.sample_weight_, _weights_array(inner)[y] * sw)


@config_context(enable_metadata_routing=True)
def test_routing_unrequested_sample_weight_raises():
    """Check that passing sample_weight through a Pipeline without a request raises."""
    X, y = _data()
    pipe = make_pipeline(BalancedClassifier())
    with pytest.raises(UnsetMetadataPassedError, match="BalancedClassifier.fit"):
        pipe.fit(X, y, sample_weight=np.ones(len(y)))


@config_context(enable_metadata_routing=True)
def test_routing_sample_weight_through_grid_search():
    """Check that GridSearchCV delivers sample_weight to the refitted BalancedClassifier."""
    X, y = _data()
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    clf = (
        BalancedClassifier(RecordingClassifier())
        .set_fit_request(sample_weight=True)
        .set_score_request(sample_weight=False)
    )
    search = GridSearchCV(clf, {"weighting": ["balanced", "inverse_sqrt"]}, cv=3)
    search.fit(X, y, sample_weight=sw)
    best = search.best_estimator_
    assert_allclose(best.estimator_.sample_weight_, _weights_array(best)[y] * sw)


@config_context(enable_metadata_routing=True)
def test_routing_sample_weight_through_cross_validate():
    """Check that cross_validate(params=...) gives each fold its rows' sample_weight."""
    X, y = _data()
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    clf = (
        BalancedClassifier(RecordingClassifier())
        .set_fit_request(sample_weight=True)
        .set_score_request(sample_weight=False)
    )
    result = cross_validate(
        clf, X, y, cv=3, params={"sample_weight": sw}, return_estimator=True, return_indices=True
    )
    for fitted, train in zip(result["estimator"], result["indices"]["train"]):
        assert fitted.class_weight_ == pytest.approx(
            compute_class_weights(y[train], sample_weight=sw[train])
        )
        expected = _weights_array(fitted)[y[train]] * sw[train]
        assert_allclose(fitted.estimator_.sample_weight_, expected)


@config_context(enable_metadata_routing=True)
def test_routing_other_fit_params_reach_the_estimator():
    """Check that fit params requested by the inner estimator are routed to it."""
    X, y = _data()
    inner = RecordingClassifier().set_fit_request(extra=True)
    pipe = make_pipeline(BalancedClassifier(inner))
    pipe.fit(X, y, extra="routed")
    assert pipe[-1].estimator_.extra_ == "routed"
    clf = BalancedClassifier(RecordingClassifier())
    with pytest.raises(UnsetMetadataPassedError, match="extra"):
        clf.fit(X, y, extra="not requested")


def test_without_routing_pipeline_step_sample_weight():
    """Check that, without routing, Pipeline.fit(balancedclassifier__sample_weight=sw) works."""
    X, y = _data()
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    pipe = make_pipeline(StandardScaler(), BalancedClassifier(RecordingClassifier()))
    pipe.fit(X, y, balancedclassifier__sample_weight=sw, balancedclassifier__extra=1)
    inner = pipe[-1]
    assert_allclose(inner.estimator_.sample_weight_, _weights_array(inner)[y] * sw)
    assert inner.estimator_.extra_ == 1


@pytest.mark.parametrize("routing", [False, True], ids=["no-routing", "routing"])
def test_inner_pipeline_gets_weights_on_its_final_step(routing):
    """Check that an inner Pipeline gets the weights on its final step, routing or not."""
    X, y = _data()
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    inner = make_pipeline(StandardScaler(), RecordingClassifier())
    with config_context(enable_metadata_routing=routing):
        clf = BalancedClassifier(inner).fit(X, y, sample_weight=sw)
    assert clf.fit_mode_ == "sample_weight"
    recorded = clf.estimator_[-1].sample_weight_
    assert_allclose(recorded, _weights_array(clf)[y] * sw)
    assert not hasattr(inner[-1], "sample_weight_")


@pytest.mark.parametrize("routing", [False, True], ids=["no-routing", "routing"])
def test_inner_pipeline_matches_weighted_logistic_regression(routing):
    """Check that make_pipeline(StandardScaler(), LogisticRegression()) gets the weights."""
    X, y = _data()
    inner = make_pipeline(StandardScaler(), LogisticRegression())
    with config_context(enable_metadata_routing=routing):
        clf = BalancedClassifier(inner).fit(X, y)
    reference = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced"))
    reference.fit(X, y)
    assert_allclose(clf.estimator_[-1].coef_, reference[-1].coef_, rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------------------
# estimators without sample_weight: the resample path


def test_resample_path_without_sample_weight():
    """Check that an estimator without sample_weight is fitted on resampled, balanced rows."""
    X, y = _data()
    clf = BalancedClassifier(KNeighborsClassifier(), random_state=0).fit(X, y)
    assert clf.fit_mode_ == "resample"
    assert clf.class_weight_ == pytest.approx(compute_class_weights(y))
    assert_allclose(clf.effective_prior_, [1 / 3] * 3, atol=0.01)
    assert clf.estimator_.n_samples_fit_ == len(y)


def test_resample_path_is_deterministic():
    """Check that the resample path gives the same model for the same random_state."""
    X, y = _data()
    first = BalancedClassifier(KNeighborsClassifier(), random_state=0).fit(X, y)
    second = BalancedClassifier(KNeighborsClassifier(), random_state=0).fit(X, y)
    assert_array_equal(first.estimator_._fit_X, second.estimator_._fit_X)
    assert_array_equal(first.predict_proba(X), second.predict_proba(X))


def test_resample_path_integer_weights_equal_repeated_rows():
    """Check that integer sample_weight equals repeating rows in the resample path."""
    X, y = _data()
    sw = np.random.RandomState(0).randint(0, 4, len(y))
    weighted = BalancedClassifier(KNeighborsClassifier(), random_state=0)
    weighted.fit(X, y, sample_weight=sw)
    rows = np.repeat(np.arange(len(y)), sw)
    repeated = BalancedClassifier(KNeighborsClassifier(), random_state=0).fit(X[rows], y[rows])
    assert_allclose(weighted.class_counts_, repeated.class_counts_)
    assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X))


# ---------------------------------------------------------------------------
# prior correction


def test_prior_none_keeps_the_weighted_probabilities():
    """Check that prior=None returns the inner estimator's probabilities unchanged."""
    X, y = _data()
    clf = BalancedClassifier(prior=None).fit(X, y)
    assert clf.target_prior_ is None
    assert_array_equal(clf.predict_proba(X), clf.estimator_.predict_proba(X))


def test_prior_train_restores_training_frequencies():
    """Check that prior="train" gives calibrated probabilities: mean close to class shares."""
    X, y = _data(n_samples=1000, weights=(0.8, 0.15, 0.05))
    frequencies = np.bincount(y) / len(y)
    corrected = BalancedClassifier(prior="train").fit(X, y)
    proba = corrected.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_allclose(corrected.target_prior_, frequencies)
    assert_allclose(proba.mean(axis=0), frequencies, atol=0.02)
    # the re-weighted model alone is far from the training shares
    weighted = BalancedClassifier().fit(X, y).predict_proba(X).mean(axis=0)
    assert np.abs(weighted - frequencies).max() > 0.1


def test_prior_train_uses_sample_weight_before_the_sampler():
    """Check that "train" is the sample-weighted class share of y before any sampler."""
    X, y = _data()
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    clf = BalancedClassifier(
        sampler=RandomOverSampler(random_state=0), weighting=None, prior="train"
    ).fit(X, y, sample_weight=sw)
    counts = np.bincount(y, weights=sw)
    assert_allclose(clf.target_prior_, counts / counts.sum())
    # the over-sampled classes carry (close to) equal mass
    assert_allclose(clf.effective_prior_, [1 / 3] * 3, atol=0.05)


@pytest.mark.parametrize(
    "prior, target",
    [
        ("uniform", [1, 1, 1]),
        ([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]),
        ([2, 3, 5], [2, 3, 5]),
        ({0: 1.0, 1: 1.0, 2: 2.0}, [1, 1, 2]),
    ],
    ids=["uniform", "array", "unnormalised", "dict"],
)
def test_prior_correction_follows_the_prior_shift_rule(prior, target):
    """Check that the corrected probabilities are p * target / effective prior, normalised."""
    X, y = _data()
    base = BalancedClassifier().fit(X, y)
    clf = BalancedClassifier(prior=prior).fit(X, y)
    target = np.asarray(target, dtype=float)
    assert_allclose(clf.target_prior_, target / target.sum())
    expected = correct_prior_shift(base.predict_proba(X), base.effective_prior_, target)
    assert_allclose(clf.predict_proba(X), expected)
    raw = base.predict_proba(X) * target / base.effective_prior_
    assert_allclose(clf.predict_proba(X), raw / raw.sum(axis=1, keepdims=True))


def test_prior_dict_with_string_labels():
    """Check that a dict prior is matched to string labels."""
    X, y = _data()
    labels = np.array(["low", "mid", "high"])[y]
    clf = BalancedClassifier(prior={"high": 0.5, "low": 0.25, "mid": 0.25}).fit(X, labels)
    assert_array_equal(clf.classes_, ["high", "low", "mid"])
    assert_allclose(clf.target_prior_, [0.5, 0.25, 0.25])


@pytest.mark.parametrize(
    "prior, match",
    [
        ({0: 0.5, 7: 0.5}, r"prior names labels that are not in y: \[7\]"),
        ([0.5, 0.5], r"prior must have one value per class \(3\)"),
        ({0: 0.5, 2: 0.5}, r"prior has no value for the labels \[1\]"),
        ([0.5, -0.1, 0.6], "prior must hold finite, positive numbers"),
        ([0.5, 0.0, 0.5], "prior must hold finite, positive numbers"),
        ([np.nan, 0.5, 0.5], "prior must hold finite, positive numbers"),
        (["a", "b", "c"], "prior must hold numbers"),
    ],
    ids=["unknown-label", "wrong-length", "missing-label", "negative", "zero", "nan", "strings"],
)
def test_bad_prior_raises_at_fit(prior, match):
    """Check that an invalid prior is a ValueError at fit, not at construction."""
    X, y = _data()
    clf = BalancedClassifier(prior=prior)
    with pytest.raises(ValueError, match=match):
        clf.fit(X, y)


@pytest.mark.parametrize("prior", ["train", "uniform", [0.9, 0.05, 0.05]])
def test_prior_without_predict_proba_raises_at_fit(prior):
    """Check that a prior an estimator without predict_proba would ignore is a ValueError."""
    X, y = _data()
    clf = BalancedClassifier(LinearSVC(), prior=prior)
    with pytest.raises(ValueError, match=r"\(LinearSVC\) has no predict_proba"):
        clf.fit(X, y)
    assert not hasattr(clf, "estimator_")
    # the same estimator without a prior fits, predicting from decision_function
    assert BalancedClassifier(LinearSVC(), prior=None).fit(X, y).predict(X).shape == y.shape


@st.composite
def _random_problem(draw):
    """A small random classification problem with a weighting and a prior."""
    n_classes = draw(st.integers(2, 4))
    n_samples = draw(st.integers(12, 40))
    rng = np.random.RandomState(draw(st.integers(0, 2**16)))
    y = np.r_[np.arange(n_classes), rng.randint(0, n_classes, n_samples - n_classes)]
    X = rng.normal(size=(n_samples, 3)) + y[:, None] * draw(st.floats(0.0, 2.0))
    weighting = draw(st.sampled_from(["balanced", "inverse_sqrt", "effective_number", None]))
    prior = draw(
        st.one_of(
            st.sampled_from([None, "train", "uniform"]),
            st.lists(st.floats(0.01, 1.0), min_size=n_classes, max_size=n_classes),
        )
    )
    return X, y, weighting, prior


@settings(max_examples=15, deadline=None)
@given(_random_problem())
def test_property_predict_is_argmax_of_probabilities(problem):
    """Check that probabilities sum to 1 and predict is classes_[argmax(predict_proba)]."""
    X, y, weighting, prior = problem
    clf = BalancedClassifier(weighting=weighting, prior=prior).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), len(clf.classes_))
    assert (proba >= 0).all()
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(clf.predict(X), clf.classes_[np.argmax(proba, axis=1)])
    assert_allclose(clf.predict_log_proba(X), np.log(proba))


# ---------------------------------------------------------------------------
# optional methods


@BINARY_AND_MULTICLASS
def test_estimator_without_predict_proba_uses_decision_function(class_shares):
    """Check that with LinearSVC, predict follows decision_function and predict_proba is absent."""
    X, y = _data(weights=class_shares)
    clf = BalancedClassifier(LinearSVC()).fit(X, y)
    assert not hasattr(clf, "predict_proba")
    assert not hasattr(clf, "predict_log_proba")
    scores = clf.decision_function(X)
    if scores.ndim == 1:
        expected = clf.classes_[(scores > 0).astype(int)]
    else:
        expected = clf.classes_[np.argmax(scores, axis=1)]
    assert_array_equal(clf.predict(X), expected)
    # (liblinear's class_weight acts on the one-vs-rest problems differently
    # from per-row weights, so the reference is the per-row weighting)
    reference = LinearSVC().fit(X, y, sample_weight=compute_sample_weight("balanced", y))
    assert_allclose(scores, reference.decision_function(X), rtol=1e-5, atol=1e-6)


def test_decision_function_only_when_the_estimator_has_it():
    """Check that decision_function is available exactly when the inner estimator has it."""
    X, y = _data()
    forest = BalancedClassifier(RandomForestClassifier(n_estimators=3, random_state=0))
    assert not hasattr(forest, "decision_function")
    assert not hasattr(forest.fit(X, y), "decision_function")
    assert hasattr(forest, "predict_proba")
    logistic = BalancedClassifier(LogisticRegression())
    assert hasattr(logistic, "decision_function")
    logistic.fit(X, y)
    assert_allclose(logistic.decision_function(X), logistic.estimator_.decision_function(X))


# ---------------------------------------------------------------------------
# labels and inputs of every kind


def _rf_with_numeric_strings():
    X, y = _data()
    return X, np.array(["1", "2", "10"], dtype=object)[y]


def test_sklearn_rf_balanced_fails_on_numeric_looking_strings():
    """Check that scikit-learn's own class_weight="balanced" still fails on '1', '2' labels."""
    X, y = _rf_with_numeric_strings()
    forest = RandomForestClassifier(n_estimators=3, class_weight="balanced", random_state=0)
    try:
        clone(forest).fit(X, y)
    except ValueError:
        pass
    else:
        pytest.skip("fixed in this scikit-learn version")
    with pytest.raises(ValueError, match="are not in class_weight"):
        forest.fit(X, y)


def test_numeric_looking_string_labels_with_random_forest():
    """Check that object arrays of numeric-looking strings work with RandomForestClassifier."""
    X, y = _rf_with_numeric_strings()
    clf = BalancedClassifier(RandomForestClassifier(n_estimators=3, random_state=0)).fit(X, y)
    assert_array_equal(clf.classes_, ["1", "10", "2"])
    assert set(clf.class_weight_) == {"1", "2", "10"}
    assert set(clf.predict(X)) <= {"1", "2", "10"}
    assert clf.score(X, y) > 0.5


@pytest.mark.parametrize(
    "labels",
    [
        np.array([3, 10, 20]),
        np.array(["cat", "dog", "eel"]),
        np.array(["cat", "dog", "eel"], dtype=object),
    ],
    ids=["int", "str", "object-str"],
)
def test_labels_of_any_kind(labels):
    """Check that ints and strings are kept as labels in classes_ and predictions."""
    X, y = _data()
    y = labels[y]
    clf = BalancedClassifier(prior="train").fit(X, y)
    assert_array_equal(clf.classes_, np.sort(labels))
    assert set(clf.class_weight_) == set(labels.tolist())
    assert set(clf.predict(X)) <= set(labels.tolist())


def test_boolean_labels():
    """Check that boolean labels work and predictions are booleans."""
    X, y = _data(weights=(0.85, 0.15))
    clf = BalancedClassifier().fit(X, y.astype(bool))
    assert_array_equal(clf.classes_, [False, True])
    assert clf.predict(X).dtype == bool
    assert clf.class_weight_[True] > clf.class_weight_[False]


def test_pandas_categorical_labels_ignore_unused_categories():
    """Check that unused categories of a pandas Categorical are not classes."""
    X, y = _data()
    labels = pd.Categorical(
        np.array(["a", "b", "c"])[y], categories=["unused", "a", "b", "c", "never"]
    )
    clf = BalancedClassifier(sampler=SMOTE(), random_state=0).fit(X, pd.Series(labels))
    assert_array_equal(clf.classes_, ["a", "b", "c"])
    assert set(clf.class_weight_) == {"a", "b", "c"}


def test_dataframe_input_sets_feature_names():
    """Check that a DataFrame X sets feature_names_in_ and predicts without warning."""
    X, y = _data()
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = BalancedClassifier(sampler=SMOTE(), random_state=0).fit(frame, y)
    assert_array_equal(clf.feature_names_in_, frame.columns)
    assert clf.n_features_in_ == X.shape[1]
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        from_array = clf.predict(X)
    assert_array_equal(clf.predict(frame), from_array)


def test_dataframe_with_tiny_class():
    """Check that the repeated single row of a tiny class works with a DataFrame X."""
    X, y = _tiny_class_data((30, 1, 4))
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    clf = BalancedClassifier(sampler=SMOTE(), random_state=0).fit(frame, y)
    assert clf.predict(frame).shape == (len(y),)


def test_set_output_pandas_pipeline():
    """Check that a pipeline with set_output(transform="pandas") passes names through."""
    X, y = _data()
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    pipe = make_pipeline(
        StandardScaler(), BalancedClassifier(sampler=SMOTE(), random_state=0)
    ).set_output(transform="pandas")
    pipe.fit(frame, y)
    assert_array_equal(pipe[-1].feature_names_in_, frame.columns)
    assert pipe.predict(frame).shape == (len(y),)


# ---------------------------------------------------------------------------
# composition, cloning, persistence


def test_in_sklearn_and_imblearn_pipelines():
    """Check that BalancedClassifier works as the last step of both kinds of Pipeline."""
    X, y = _data()
    for pipe in [
        make_pipeline(StandardScaler(), BalancedClassifier()),
        make_imblearn_pipeline(
            StandardScaler(), RandomUnderSampler(random_state=0), BalancedClassifier()
        ),
    ]:
        pipe.fit(X, y)
        assert pipe.predict(X).shape == (len(y),)
        assert pipe[-1].class_weight_


def test_imblearn_pipeline_sampler_before_weights():
    """Check that in an imblearn Pipeline the weights see the sampler's output."""
    X, y = _data()
    pipe = make_imblearn_pipeline(RandomOverSampler(random_state=0), BalancedClassifier())
    pipe.fit(X, y)
    assert pipe[-1].class_weight_ == pytest.approx({0: 1.0, 1: 1.0, 2: 1.0})


def test_grid_search_over_weighting_sampler_and_inner_parameter():
    """Check that GridSearchCV can tune weighting, sampler and estimator__C together."""
    X, y = _data()
    grid = {
        "weighting": ["balanced", "inverse_sqrt", None],
        "sampler": [None, RandomUnderSampler()],
        "estimator__C": [0.1, 1.0],
    }
    search = GridSearchCV(
        BalancedClassifier(LogisticRegression(), random_state=0), grid, cv=3, scoring="f1_macro"
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 12
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_
    assert best.estimator_.C == search.best_params_["estimator__C"]
    assert best.weighting == search.best_params_["weighting"]


def _fitted_for_persistence():
    X, y = _data()
    clf = BalancedClassifier(
        RandomForestClassifier(n_estimators=5, random_state=0),
        sampler=SMOTE(),
        prior="train",
        random_state=0,
    ).fit(X, y)
    return clf, X, y


def test_clone_refits_to_the_same_model():
    """Check that a clone refitted on the same data predicts the same probabilities."""
    clf, X, y = _fitted_for_persistence()
    again = clone(clf)
    assert not hasattr(again, "estimator_")
    assert_array_equal(again.fit(X, y).predict_proba(X), clf.predict_proba(X))


def test_pickle_round_trip():
    """Check that a pickled and reloaded model predicts identically."""
    clf, X, _ = _fitted_for_persistence()
    loaded = pickle.loads(pickle.dumps(clf))
    assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert_array_equal(loaded.predict(X), clf.predict(X))


def test_skops_round_trip():
    """Check that a skops round trip (with the listed untrusted types) predicts identically."""
    clf, X, _ = _fitted_for_persistence()
    data = skops.io.dumps(clf)
    untrusted = skops.io.get_untrusted_types(data=data)
    assert "skbalance.classifier.BalancedClassifier" in untrusted
    loaded = skops.io.loads(data, trusted=untrusted)
    assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert loaded.class_weight_ == clf.class_weight_


def test_fit_mutates_neither_estimator_nor_inputs():
    """Check that fit leaves the estimator, the sampler, X, y and sample_weight unchanged."""
    X, y = _data()
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    X_copy, y_copy, sw_copy = X.copy(), y.copy(), sw.copy()
    estimator = LogisticRegression(C=0.5)
    sampler = SMOTE(k_neighbors=3)
    before = joblib.hash((estimator, sampler))
    clf = BalancedClassifier(estimator, sampler=sampler, random_state=0)
    clf.fit(X, y, sample_weight=sw)
    assert clf.estimator_ is not estimator
    assert joblib.hash((estimator, sampler)) == before
    assert not hasattr(estimator, "coef_")
    assert_array_equal(X, X_copy)
    assert_array_equal(y, y_copy)
    assert_array_equal(sw, sw_copy)


# ---------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize(
    "y_kind, match",
    [
        ("single-class", "only one class"),
        ("nan", "NaN"),
        ("two-columns", "Multi-output targets are not supported"),
    ],
)
def test_bad_labels_raise(y_kind, match):
    """Check that unusable labels are a ValueError that says what is wrong."""
    X, y = _data()
    bad = {
        "single-class": np.zeros(len(y)),
        "nan": np.where(np.arange(len(y)) < 3, np.nan, y),
        "two-columns": np.c_[y, y],
    }[y_kind]
    with pytest.raises(ValueError, match=match):
        BalancedClassifier().fit(X, bad)


@pytest.mark.parametrize(
    "sample_weight, match",
    [
        (-np.ones(300), "Negative values"),
        (np.full(300, np.nan), "NaN"),
        (np.ones(5), r"sample_weight.shape == \(5,\)"),
    ],
    ids=["negative", "nan", "wrong-length"],
)
def test_bad_sample_weight_raises(sample_weight, match):
    """Check that a negative, NaN or wrong-length sample_weight is a ValueError."""
    X, y = _data()
    with pytest.raises(ValueError, match=match):
        BalancedClassifier().fit(X, y, sample_weight=sample_weight)


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"weighting": "balance"}, InvalidParameterError, "'weighting' parameter"),
        ({"weighting": {0: 1.0, 1: 2.0}}, ValueError, r"no weight for the labels \[2\]"),
        ({"sampler": StandardScaler()}, InvalidParameterError, "'sampler' parameter"),
        ({"estimator": LinearRegression()}, TypeError, "must be a scikit-learn classifier"),
        ({"prior": "deployment"}, InvalidParameterError, "'prior' parameter"),
    ],
    ids=[
        "unknown-scheme",
        "dict-missing-label",
        "not-a-sampler",
        "not-a-classifier",
        "unknown-prior",
    ],
)
def test_bad_parameters_raise_at_fit(params, error, match):
    """Check that invalid parameters raise a clear error at fit."""
    X, y = _data()
    clf = BalancedClassifier(**params)
    with pytest.raises(error, match=match):
        clf.fit(X, y)


@pytest.mark.parametrize(
    "sampler",
    [None, RandomUnderSampler(random_state=0), RandomOverSampler(random_state=0)],
    ids=["resample-path", "under-sampler", "over-sampler"],
)
def test_per_sample_fit_params_follow_the_resampled_rows(sampler):
    """Check that a fit parameter with one value per row is indexed like the rows."""
    X, y = _data()
    X[:, 0] = np.arange(len(y))  # each row carries its index
    clf = BalancedClassifier(UnweightedRecorder(), sampler=sampler, random_state=0)
    clf.fit(X, y, extra=np.arange(len(y)))
    inner = clf.estimator_
    assert not np.array_equal(inner.X_[:, 0], np.arange(len(y)))  # rows were resampled
    assert_array_equal(inner.extra_, inner.X_[:, 0].astype(int))


def test_per_sample_fit_params_with_a_synthetic_sampler_raise():
    """Check that per-row metadata and SMOTE's synthetic rows give a clear error."""
    X, y = _data()
    clf = BalancedClassifier(UnweightedRecorder(), sampler=SMOTE())
    with pytest.raises(ValueError, match=r"fit parameters \['extra'\] hold one value per sample"):
        clf.fit(X, y, extra=np.arange(len(y)))
    clf.fit(X, y, extra="not per sample")  # other parameters pass through
    assert clf.estimator_.extra_ == "not per sample"


def test_imblearn_pipeline_with_a_sampler_takes_the_resample_path():
    """Check that a pipeline that resamples itself gets class weights by resampling."""
    X, y = _data()
    pipeline = make_imblearn_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression())
    clf = BalancedClassifier(pipeline, random_state=0).fit(X, y)
    assert clf.fit_mode_ == "resample"
    assert clf.predict(X).shape == y.shape


def test_weighting_transformer_parameters_are_validated():
    """Check that a ClassWeightTransformer given as weighting has its parameters checked."""
    X, y = _data()
    weighting = ClassWeightTransformer("effective_number", beta=2.0)
    with pytest.raises(InvalidParameterError, match="'beta' parameter"):
        BalancedClassifier(weighting=weighting).fit(X, y)


def test_sample_weight_leaving_one_class_raises():
    """Check that weights zeroing all classes but one are refused, not fitted."""
    X, y = _data()
    with pytest.raises(ValueError, match="Only one class carries a positive sample_weight"):
        BalancedClassifier().fit(X, y, sample_weight=(y == 0).astype(float))
