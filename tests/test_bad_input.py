"""Bad input to every public estimator, to ``compare`` and to the command line.

NaN or infinity in X, empty X, one row, one class, a class of one row, a
non-numeric DataFrame column, the wrong number of features or unseen labels
at predict time: each gets one clear error (or works, where the estimator
accepts it), and the inputs are never modified.
"""

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _public_api import public_estimators
from numpy.testing import assert_array_equal
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.utils import get_tags

from skbalance import (
    BalancedClassifier,
    BalancedClassifierCV,
    ClassWeightTransformer,
    CostSensitiveClassifier,
    SmallClassRouter,
    TunedDecisionClassifierCV,
)
from skbalance.compare import compare

#: Estimators that take X (ClassWeightTransformer transforms labels: tested apart).
ESTIMATORS = [cls for cls in public_estimators() if cls is not ClassWeightTransformer]

#: ours, or imbalanced-learn's for the resampler (a sampler of imbalanced-learn)
_ONE_CLASS = r"only one class|more than 1 class"
_N = 60


def _data():
    rng = np.random.RandomState(0)
    return rng.normal(size=(_N, 3)), np.repeat([0, 1, 2], [30, 20, 10])


def _cases():
    """case -> (X, y, message): None when fit works, else the error it must raise."""
    X, y = _data()
    nan, inf = X.copy(), X.copy()
    nan[0, 0], inf[0, 0] = np.nan, np.inf
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(c=["u", "v"] * (_N // 2))
    one_row_class = np.where(np.arange(_N) == _N - 1, 3, y)
    return {
        "nan": (nan, y, "Input X contains NaN"),
        "inf": (inf, y, "Input X contains infinity"),
        "empty": (X[:0], y[:0], r"0 sample\(s\)|y is empty"),
        "one_row": (X[:1], y[:1], _ONE_CLASS),
        "one_class": (X, np.zeros(_N, dtype=int), _ONE_CLASS),
        "class_of_one_row": (X, one_row_class, None),
        "string_column": (frame, y, "could not convert string to float"),
    }


CASES = _cases()


def _small(cls):
    """The default instance, seeded, with two folds where it has internal ones."""
    estimator = cls()
    params = estimator.get_params()
    estimator.set_params(
        **{"random_state": 0} if "random_state" in params else {},
        **{"cv": 2} if "cv" in params else {},
    )
    return estimator


def _accepts(estimator, case):
    """Whether the input of ``case`` is valid for ``estimator``, by its tags."""
    tags = get_tags(estimator).input_tags
    if case in ("nan", "inf"):
        return tags.allow_nan  # an estimator taking NaN takes any float (the resampler)
    if case == "string_column":
        return tags.string
    return False


def _copy(data):
    return data.copy(deep=True) if isinstance(data, pd.DataFrame) else data.copy()


def _assert_unchanged(before, after):
    if isinstance(before, pd.DataFrame):
        pd.testing.assert_frame_equal(after, before)
    else:
        assert_array_equal(after, before)


def _fit(estimator, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # tiny data: small folds
        if hasattr(estimator, "fit_resample"):
            return estimator.fit_resample(X, y)
        return estimator.fit(X, y).predict(X)


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_bad_input_at_fit(cls, case):
    """Check one clear error (or a working fit) for each bad input, inputs unmodified."""
    X, y, message = CASES[case]
    X_before, y_before = _copy(X), y.copy()
    estimator = _small(cls)
    if message is None or _accepts(estimator, case):
        out = _fit(estimator, X, y)
        assert len(out) > 0
    else:
        with pytest.raises(ValueError, match=message):
            _fit(estimator, X, y)
    _assert_unchanged(X_before, X)
    _assert_unchanged(y_before, y)


@pytest.mark.parametrize(
    "build",
    [
        BalancedClassifier,
        lambda inner: BalancedClassifierCV(inner, cv=2, random_state=0),
        lambda inner: SmallClassRouter(inner, inner),
        CostSensitiveClassifier,
        lambda inner: TunedDecisionClassifierCV(inner, random_state=0),
    ],
    ids=["balanced", "selector", "router", "cost", "tuned"],
)
def test_missing_values_work_where_the_inner_classifier_takes_them(build):
    """Check that NaN passes through to an inner classifier that accepts it."""
    X, y, _ = CASES["nan"]
    estimator = build(HistGradientBoostingClassifier(max_iter=5, random_state=0))
    assert get_tags(estimator).input_tags.allow_nan
    assert _fit(estimator, X, y).shape == y.shape


@pytest.mark.parametrize(
    "cls", [cls for cls in ESTIMATORS if hasattr(cls, "predict")], ids=lambda cls: cls.__name__
)
def test_bad_input_at_predict(cls):
    """Check the wrong number of features, NaN, and unseen labels at predict time."""
    X, y = _data()
    estimator = _small(cls)
    _fit(estimator, X, y)
    with pytest.raises(ValueError, match=f"X has 2 features, but {cls.__name__} is expecting 3"):
        estimator.predict(X[:, :2])
    with pytest.raises(ValueError, match="Input X contains NaN"):
        estimator.predict(CASES["nan"][0])
    # labels never seen in fit are scored as errors, not refused
    unseen = np.where(y == 2, 7, y)
    assert 0.0 <= estimator.score(X, unseen) <= estimator.score(X, y)


def test_class_weight_transformer_bad_labels():
    """Check the label transformer on empty, unseen and missing labels."""
    with pytest.raises(ValueError, match="y is empty"):
        ClassWeightTransformer().fit([])
    y = np.array(["a", "b", "b"], dtype=object)
    cwt = ClassWeightTransformer().fit(y)
    with pytest.raises(ValueError, match=r"labels not seen in fit.*\['z'\]"):
        cwt.transform(np.array(["a", "z"], dtype=object))
    with pytest.raises(ValueError, match="missing labels"):
        cwt.transform(np.array(["a", None], dtype=object))
    assert_array_equal(y, ["a", "b", "b"])


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_to_compare(case):
    """Check that compare raises one clear error, or records it for every strategy."""
    X, y, message = CASES[case]
    X_before, y_before = _copy(X), y.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        if message is not None and case in ("empty", "one_row", "one_class"):
            with pytest.raises(ValueError, match=message):
                compare(X, y, cv=2, random_state=0)
        else:
            results = compare(X, y, cv=2, random_state=0)
            errors = results["error"]
            if message is None:
                assert errors.isna().all(), errors.dropna().tolist()
            else:
                # the input problem, named in the error of every strategy
                assert errors.str.contains(message).all(), errors.tolist()
                assert results.attrs["best_strategy"] is None
    _assert_unchanged(X_before, X)
    _assert_unchanged(y_before, y)


def _command():
    """The ``skbalance`` console script of this Python (else its ``python -m`` form)."""
    script = Path(sys.executable).with_name("skbalance")
    return [str(script)] if script.exists() else [sys.executable, "-m", "skbalance.cli"]


def _cli_cases():
    """case -> (CSV content as a DataFrame, the one-line error the command prints)."""
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "x1": rng.normal(size=_N),
            "colour": rng.choice(["red", "blue"], _N),
            "label": np.repeat(["a", "b", "c"], [30, 20, 10]),
        }
    )
    nan = frame.assign(x1=frame["x1"].where(frame.index > 0))
    return {
        "nan": (nan, "missing feature values in the columns x1"),
        "empty": (frame.iloc[:0], "has no labelled row"),
        "one_row": (frame.iloc[:1], r"has a single class \('a'\)"),
        "one_class": (frame.assign(label="a"), r"has a single class \('a'\)"),
    }


CLI_CASES = _cli_cases()


@pytest.mark.parametrize("case", list(CLI_CASES))
def test_bad_input_to_the_command(case, tmp_path):
    """Check that the console script fails in one clear line, the file unchanged."""
    frame, message = CLI_CASES[case]
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    content = path.read_bytes()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    result = subprocess.run(
        [*_command(), "compare", str(path), "--target", "label", "--cv", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert pd.Series(errors).str.contains(message).all(), errors
    assert path.read_bytes() == content
