"""Tests of ClassWeightTransformer (labels in, per-sample weights out)."""

import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import config_context
from sklearn.base import clone
from sklearn.exceptions import NotFittedError, SkipTestWarning
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import estimator_checks
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import check_estimator

from skbalance import ClassWeightTransformer
from skbalance.transformer import _as_transformer
from skbalance.weights import SCHEMES, compute_class_weights

Y = np.array(["ok", "fraud", "ok", "ok", "spam", "ok", "spam", "ok"])


def test_fit_learns_classes_counts_and_weights():
    """Check that fit learns sorted classes_, aligned class_counts_ and class_weight_."""
    cwt = ClassWeightTransformer().fit(Y)
    assert_array_equal(cwt.classes_, ["fraud", "ok", "spam"])
    assert_allclose(cwt.class_counts_, [1, 5, 2])
    assert cwt.class_counts_.dtype == np.float64
    # balanced: 8 / (3 * n_c)
    assert cwt.class_weight_ == pytest.approx({"fraud": 8 / 3, "ok": 8 / 15, "spam": 4 / 3})
    assert list(cwt.class_weight_) == cwt.classes_.tolist()


@pytest.mark.parametrize("scheme", [*SCHEMES, {"ok": 1, "fraud": 9, "spam": 3}])
@pytest.mark.parametrize("normalize", ["mean", "sum", "classes", None])
def test_fit_matches_compute_class_weights(scheme, normalize):
    """Check that fit gives the weights of compute_class_weights for every scheme."""
    params = dict(beta=0.9, normalize=normalize, max_ratio=4)
    cwt = ClassWeightTransformer(scheme, **params).fit(Y)
    assert cwt.class_weight_ == pytest.approx(compute_class_weights(Y, scheme, **params))


def test_transform_looks_weights_up():
    """Check that transform gives the float64 weight of each label, in input order."""
    cwt = ClassWeightTransformer("inverse", normalize=None).fit(Y)
    weights = cwt.transform(["spam", "ok", "fraud", "fraud"])
    assert weights.dtype == np.float64
    assert_allclose(weights, [1 / 2, 1 / 5, 1.0, 1.0])


def test_fit_transform_equals_fit_then_transform():
    """Check that fit_transform equals fit(y).transform(y)."""
    expected = ClassWeightTransformer("log_inverse").fit(Y).transform(Y)
    cwt = ClassWeightTransformer("log_inverse")
    assert_allclose(cwt.fit_transform(Y), expected)
    assert hasattr(cwt, "class_weight_")


def test_mean_normalised_weights_average_to_one():
    """Check that the default per-sample weights have mean 1 (sample size is kept)."""
    assert ClassWeightTransformer().fit_transform(Y).mean() == pytest.approx(1.0)


def test_2d_labels_are_counted_and_transformed_elementwise():
    """Check that a 2-D y is counted element by element and keeps its shape."""
    y = np.array([["a", "a", "b"], ["a", "c", "a"]])
    cwt = ClassWeightTransformer(normalize=None)
    weights = cwt.fit_transform(y)
    assert weights.shape == y.shape
    assert_allclose(cwt.class_counts_, [4, 1, 1])
    lookup = cwt.class_weight_
    assert_allclose(weights, [[lookup[label] for label in row] for row in y])
    assert_allclose(cwt.transform(y[:1]), weights[:1])
    # a 1-D y is accepted after a 2-D fit, and the other way round
    assert_allclose(cwt.transform(["c", "b"]), [lookup["c"], lookup["b"]])
    cwt_1d = ClassWeightTransformer(normalize=None).fit(y.ravel())
    assert cwt_1d.class_weight_ == cwt.class_weight_
    assert_allclose(cwt_1d.transform(y), weights)


def test_single_column_2d_labels_keep_their_shape():
    """Check that a (n, 1) y gives (n, 1) weights, as Keras temporal weights need."""
    y = np.array([[0], [1], [1]])
    weights = ClassWeightTransformer().fit_transform(y)
    assert weights.shape == (3, 1)


def test_unknown_label_at_transform_is_named():
    """Check that a label unseen in fit raises a ValueError naming it."""
    cwt = ClassWeightTransformer().fit(Y)
    with pytest.raises(ValueError, match=re.escape("['phishing']")):
        cwt.transform(["ok", "phishing"])


def test_numeric_looking_string_is_not_an_int():
    """Check that labels fitted as '1', '2' do not match the ints 1, 2 at transform."""
    cwt = ClassWeightTransformer().fit(np.array(["1", "2", "2"], dtype=object))
    assert_allclose(cwt.transform(np.array(["2", "1"], dtype=object)), [0.75, 1.5])
    with pytest.raises(ValueError, match=re.escape("[1, 2]")):
        cwt.transform([1, 2])


@pytest.mark.parametrize(
    "y",
    [
        [1, 0, 0, 0],
        [True, False, False, False],
        np.array(["1", "0", "0", "0"], dtype=object),
        pd.Series(["b", "a", "a", "a"], index=[3, 1, 4, 1]),
        pd.Series(pd.Categorical(["b", "a", "a", "a"], categories=["a", "b", "never"])),
    ],
    ids=["int", "bool", "numeric-looking-str", "series", "categorical"],
)
def test_labels_of_any_kind(y):
    """Check that any kind of label works and unused categories are ignored."""
    cwt = ClassWeightTransformer()
    weights = cwt.fit_transform(y)
    assert len(cwt.classes_) == 2
    assert_allclose(weights, [2.0, 2 / 3, 2 / 3, 2 / 3])
    assert_allclose(cwt.to_array(), [2 / 3, 2.0])


def test_to_array_and_to_keras_are_aligned_with_classes():
    """Check the Keras/torch exports: to_array()[i] is the weight of classes_[i], keys 0..k-1."""
    y = np.array(["zebra", "ant", "moth", "ant", "ant", "moth"])
    cwt = ClassWeightTransformer("effective_number", beta=0.9).fit(y)
    weights = cwt.to_array()
    assert weights.shape == (3,)
    assert weights.dtype == np.float64
    for i, label in enumerate(cwt.classes_):
        assert weights[i] == cwt.class_weight_[label]
    keras = cwt.to_keras()
    assert list(keras) == [0, 1, 2]
    assert all(type(key) is int for key in keras)
    assert_allclose(list(keras.values()), weights)
    # Keras / torch index classes as a LabelEncoder encodes them
    codes = LabelEncoder().fit_transform(y)
    assert_allclose(cwt.transform(y), weights[codes])
    assert_allclose(cwt.transform(y), [keras[code] for code in codes])


def test_sample_weight_in_fit():
    """Check that sample weights make the class counts sums of weights."""
    y = np.array([0, 1, 1, 0])
    cwt = ClassWeightTransformer().fit(y, sample_weight=[3, 1, 1, 1])
    assert_allclose(cwt.class_counts_, [4, 2])
    repeated = ClassWeightTransformer().fit([0, 0, 0, 1, 1, 0])
    assert cwt.class_weight_ == pytest.approx(repeated.class_weight_)
    weights = ClassWeightTransformer().fit_transform(y, sample_weight=[3, 1, 1, 1])
    assert_allclose(weights, cwt.transform(y))


def test_sample_weight_with_2d_y_is_refused():
    """Check that sample_weight with a 2-D y raises a ValueError."""
    with pytest.raises(ValueError, match="1-D y"):
        ClassWeightTransformer().fit([[0, 1], [1, 1]], sample_weight=[1, 2])


def test_refit_replaces_fitted_attributes():
    """Check that a second fit forgets the classes of the first one."""
    cwt = ClassWeightTransformer().fit(["a", "b"])
    cwt.fit([1, 2, 2])
    assert cwt.classes_.tolist() == [1, 2]
    with pytest.raises(ValueError, match="'a'"):
        cwt.transform(["a"])


@pytest.mark.parametrize("method", ["transform", "to_array", "to_keras"])
def test_unfitted(method):
    """Check that using an unfitted transformer raises NotFittedError."""
    cwt = ClassWeightTransformer()
    args = ([0, 1],) if method == "transform" else ()
    with pytest.raises(NotFittedError):
        getattr(cwt, method)(*args)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"scheme": "balance"}, "'balanced'"),
        ({"beta": 1.0}, "beta"),
        ({"normalize": "max"}, "normalize"),
        ({"max_ratio": 0.9}, "max_ratio"),
    ],
)
@pytest.mark.parametrize("method", ["fit", "fit_transform"])
def test_invalid_parameters_raise_at_fit(params, match, method):
    """Check that invalid parameters are accepted by set_params and refused by fit."""
    cwt = ClassWeightTransformer().set_params(**params)
    with pytest.raises(InvalidParameterError, match=match):
        getattr(cwt, method)(Y)


@pytest.mark.parametrize(
    "y, error, match",
    [
        ([0.0, np.nan], ValueError, "NaN"),
        (np.array(["a", None], dtype=object), ValueError, "missing"),
        ([], ValueError, "empty"),
        (np.zeros((2, 2, 2)), ValueError, "1-D or 2-D"),
        (np.array([1, "a"], dtype=object), TypeError, "mix types"),
    ],
)
def test_bad_labels(y, error, match):
    """Check that bad labels raise an error naming the problem at fit and transform."""
    with pytest.raises(error, match=match):
        ClassWeightTransformer().fit(y)
    with pytest.raises(error, match=match):
        ClassWeightTransformer().fit([0, 1]).transform(y)


def test_bad_dict_and_callable_schemes():
    """Check that a dict missing a label or a callable giving bad weights fails at fit."""
    with pytest.raises(ValueError, match=re.escape("['spam']")):
        ClassWeightTransformer({"ok": 1, "fraud": 2}).fit(Y)
    with pytest.raises(ValueError, match="negative"):
        ClassWeightTransformer(lambda counts: -counts).fit(Y)
    with pytest.raises(ValueError, match="non-finite"):
        ClassWeightTransformer(lambda counts: counts * np.inf).fit(Y)


def test_inputs_are_not_modified():
    """Check that fit and transform leave y and sample_weight unchanged."""
    y = Y.astype(object)
    sample_weight = np.arange(1.0, Y.size + 1)
    series = pd.Series(Y, name="label")
    cwt = ClassWeightTransformer(max_ratio=2).fit(y, sample_weight=sample_weight)
    cwt.transform(y)
    ClassWeightTransformer().fit_transform(series)
    assert_array_equal(y, Y.astype(object))
    assert_allclose(sample_weight, np.arange(1.0, Y.size + 1))
    pd.testing.assert_series_equal(series, pd.Series(Y, name="label"))


def test_returned_weights_do_not_alias_fitted_state():
    """Check that editing the returned arrays does not change the fitted weights."""
    cwt = ClassWeightTransformer().fit(Y)
    before = dict(cwt.class_weight_)
    cwt.to_array()[:] = 0
    cwt.transform(Y)[:] = 0
    cwt.to_keras()[0] = 0
    assert cwt.class_weight_ == before


def test_get_params_set_params_and_clone():
    """Check get_params/set_params round trip and that clone drops fitted state."""
    cwt = ClassWeightTransformer("inverse_sqrt", beta=0.5, normalize="sum", max_ratio=3)
    assert cwt.get_params() == {
        "scheme": "inverse_sqrt",
        "beta": 0.5,
        "normalize": "sum",
        "max_ratio": 3,
    }
    cwt.fit(Y)
    cloned = clone(cwt)
    assert cloned.get_params() == cwt.get_params()
    assert not hasattr(cloned, "classes_")
    cloned.set_params(scheme="none", normalize=None)
    assert cloned.fit(Y).class_weight_ == {"fraud": 1.0, "ok": 1.0, "spam": 1.0}
    assert cwt.scheme == "inverse_sqrt"


def test_pickle_round_trip():
    """Check that a fitted transformer pickles and transforms identically."""
    cwt = ClassWeightTransformer("effective_number", max_ratio=5).fit(Y)
    restored = pickle.loads(pickle.dumps(cwt))
    assert restored.class_weight_ == cwt.class_weight_
    assert_array_equal(restored.classes_, cwt.classes_)
    assert_allclose(restored.transform(Y), cwt.transform(Y))


def test_global_pandas_output_does_not_wrap_weights():
    """Check that set_config(transform_output='pandas') leaves the weights an ndarray."""
    with config_context(transform_output="pandas"):
        weights = ClassWeightTransformer().fit_transform(Y)
    assert isinstance(weights, np.ndarray)


def test_as_transformer():
    """Check that _as_transformer wraps names, dicts, callables and None, cloning instances."""
    user = ClassWeightTransformer("inverse", max_ratio=2)
    wrapped = _as_transformer(user)
    assert wrapped is not user
    assert wrapped.get_params() == user.get_params()
    wrapped.fit(Y)
    assert not hasattr(user, "classes_")
    assert _as_transformer(None).scheme == "none"
    assert _as_transformer("log_inverse").scheme == "log_inverse"
    scheme = {"ok": 1, "fraud": 2, "spam": 3}
    assert _as_transformer(scheme).scheme is scheme


def test_tags_follow_label_encoder():
    """Check that the tags say it transforms labels (1-D y), like LabelEncoder."""
    tags = ClassWeightTransformer().__sklearn_tags__()
    assert tags.input_tags.two_d_array is False
    assert tags.target_tags.one_d_labels is True


def test_check_estimator_skips_label_transformer():
    """Check that check_estimator raises nothing: like LabelEncoder it is skipped.

    scikit-learn runs ``check_estimator_cloneable`` and then skips every other
    check, with a SkipTestWarning, because ``input_tags.two_d_array`` is False
    (the checks feed an X to ``fit``). The API checks that need no data are
    run one by one below.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = check_estimator(ClassWeightTransformer(), on_fail=None)
    assert all(result["status"] == "passed" for result in results)
    assert any(
        issubclass(w.category, SkipTestWarning) and "Can't test estimator" in str(w.message)
        for w in caught
    )


@pytest.mark.parametrize(
    "check",
    [
        # check_estimator_cloneable runs in test_common.py
        "check_estimator_repr",
        "check_no_attributes_set_in_init",
        "check_get_params_invariance",
        "check_set_params",
        "check_parameters_default_constructible",
        "check_do_not_raise_errors_in_init_or_set_params",
        "check_estimator_tags_renamed",
        "check_valid_tag_types",
        "check_mixin_order",
        "check_estimators_unfitted",
        "check_transformers_unfitted",
    ],
)
def test_data_free_api_checks(check):
    """Check that the scikit-learn API checks that need no X pass."""
    getattr(estimator_checks, check)("ClassWeightTransformer", ClassWeightTransformer())


def test_pipeline_step_is_refused_with_a_pointer_to_balanced_classifier():
    """Check that, as a Pipeline step (fit_transform(X, y)), the error says why and
    points to BalancedClassifier, for integer and float features alike."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    rng = np.random.RandomState(0)
    y = np.array([0] * 15 + [1] * 5)
    for X in (rng.randint(0, 3, size=(20, 2)), rng.normal(size=(20, 2))):
        pipeline = make_pipeline(ClassWeightTransformer(), LogisticRegression())
        with pytest.raises(ValueError, match=r"cannot be a Pipeline step.*BalancedClassifier"):
            pipeline.fit(X, y)
    # without y, float features are refused as continuous labels, with the same pointer
    with pytest.raises(ValueError, match=r"continuous-multioutput.*looks like features X"):
        ClassWeightTransformer().fit_transform(rng.normal(size=(20, 2)))


@pytest.mark.parametrize("y", [[0.5, 1.5, 2.25], np.linspace(0, 1, 7)])
def test_continuous_labels_are_refused(y):
    """Check that continuous labels are refused as scikit-learn's classifiers refuse them."""
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        ClassWeightTransformer().fit(y)
    assert_allclose(ClassWeightTransformer().fit_transform([1.0, 2.0, 2.0]), [1.5, 0.75, 0.75])


def test_set_output_explains_the_numpy_output():
    """Check that set_output accepts the default and refuses pandas/polars helpfully."""
    cwt = ClassWeightTransformer()
    assert cwt.set_output(transform="default") is cwt and cwt.set_output() is cwt
    with pytest.raises(ValueError, match=r"one weight per label.*pandas.Series"):
        cwt.set_output(transform="pandas")
