"""Tests of the ``skbalance`` command (skbalance.cli)."""

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("typer", reason="the command needs the [cli] extra")
pytest.importorskip("rich", reason="the command needs the [cli] extra")

from typer.testing import CliRunner  # noqa: E402

from skbalance import cli  # noqa: E402


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def app():
    return cli._build_app()


@pytest.fixture
def csv_path(tmp_path):
    """A small imbalanced CSV: numeric and text features, string labels, 2 unlabelled rows."""
    rng = np.random.RandomState(0)
    n = 90
    label = np.array(["common"] * 60 + ["middle"] * 20 + ["rare"] * 10)
    shift = {"common": 0.0, "middle": 1.5, "rare": 3.0}
    X = rng.normal(size=(n, 3)) + np.array([shift[c] for c in label])[:, None]
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["colour"] = rng.choice(["red", "green"], size=n)
    frame["label"] = label
    frame.loc[[3, 40], "label"] = None
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path


def _run(app, args):
    return CliRunner().invoke(app, args)


def test_compare_on_a_csv_file(app, csv_path, tmp_path):
    """Check that compare ranks the strategies of a CSV file and writes results and figure."""
    output, figure = tmp_path / "results.json", tmp_path / "figure.png"
    args = [
        "compare", str(csv_path), "--target", "label", "--cv", "2", "--estimator", "lr",
        "--n-jobs", "1", "--output", str(output), "--plot", str(figure),
    ]  # fmt: skip
    result = _run(app, args)
    assert result.exit_code == 0, result.output
    stdout = result.stdout
    assert "Recommended:" in stdout
    assert "Strategies ranked by macro-F1" in stdout
    assert "weight:balanced" in stdout and "sampler:smote" in stdout and "focal" in stdout
    assert "dropped 2 rows" in stdout
    assert "one-hot encoded 1 non-numeric column (colour)" in stdout
    assert "88 rows, 5 features" in stdout
    payload = json.loads(output.read_text())
    assert payload["classes"] == ["common", "middle", "rare"]
    assert payload["class_counts"] == [58, 20, 10]
    assert payload["best_strategy"] == payload["results"][0]["strategy"]
    assert len(payload["fold_scores"]) == 2 * len(payload["results"])
    assert figure.read_bytes()[:8] == PNG_MAGIC


def test_compare_writes_csv_results(app, csv_path, tmp_path):
    """Check that --output results.csv writes one row per strategy with per-class recall."""
    output = tmp_path / "results.csv"
    args = [
        "compare", str(csv_path), "-t", "label", "--cv", "2", "-e", "knn", "-j", "1",
        "-o", str(output),
    ]  # fmt: skip
    result = _run(app, args)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(output)
    assert "focal" not in set(table["strategy"])
    assert {"recall_common", "recall_middle", "recall_rare", "error"} <= set(table.columns)
    assert table["f1_macro_mean"].iloc[0] == table["f1_macro_mean"].max()


@pytest.mark.parametrize("args", [["--help"], ["compare", "--help"]])
def test_help_documents_every_option(app, args):
    """Check that --help lists the command and every option of compare."""
    result = _run(app, args)
    assert result.exit_code == 0
    if args == ["--help"]:
        assert "compare" in result.stdout and "--version" in result.stdout
        return
    for option in [
        "DATA", "--target", "--estimator", "--cv", "--n-jobs", "--scheduler",
        "--random-state", "--plot", "--output", "--refit", "[distributed]", "[plot]",
        "[io]", ".skops",
    ]:  # fmt: skip
        assert option in result.stdout, option


def _write(tmp_path, name, frame):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    "case, match",
    [
        ("missing_file", "no such file"),
        ("missing_target_option", "--target is required"),
        ("target_without_data", "no DATA file was given"),
        ("missing_column", "no column 'nope'; its columns are: a, b, c, colour, label"),
        ("one_class", "has a single class ('x')"),
        ("extension", "unsupported file type '.txt'"),
        ("missing_features", "missing feature values"),
        ("output_extension", "unsupported extension '.xlsx'"),
        ("unreadable", "cannot be read as CSV"),
    ],
)
def test_bad_input_fails_in_one_line(app, csv_path, tmp_path, case, match):
    """Check that bad input exits with code 1 and a one-line error, without a traceback."""
    data = str(csv_path)
    one_class = _write(tmp_path, "one.csv", pd.DataFrame({"f": [1, 2], "y": ["x", "x"]}))
    text_file = _write(tmp_path, "data.txt", pd.DataFrame({"y": [1]}))
    with_nan = _write(tmp_path, "nan.csv", pd.DataFrame({"f": [1, None, 3, 4], "y": [0, 1, 0, 1]}))
    args = {
        "missing_file": ["compare", str(tmp_path / "absent.csv"), "--target", "label"],
        "missing_target_option": ["compare", data],
        "target_without_data": ["compare", "--target", "label"],
        "missing_column": ["compare", data, "--target", "nope"],
        "one_class": ["compare", str(one_class), "--target", "y"],
        "extension": ["compare", str(text_file), "-t", "y"],
        "missing_features": ["compare", str(with_nan), "--target", "y"],
        "output_extension": ["compare", data, "-t", "label", "-o", str(tmp_path / "r.xlsx")],
        "unreadable": ["compare", str(_binary(tmp_path)), "-t", "label"],
    }[case]
    result = _run(app, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert match in lines[0]


def _binary(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00\x81" * 50)
    return path


def test_prepare_frame_refuses_dates(tmp_path):
    """Check that a datetime feature column is refused with a message naming it."""
    frame = pd.DataFrame({"when": pd.to_datetime(["2020-01-01", "2021-01-01"]), "y": [0, 1]})
    with pytest.raises(cli._InputError, match=r"unsupported feature columns when \(datetime"):
        cli._prepare_frame(frame, tmp_path / "x.csv", "y", "lr")


def _load_model(path):
    if path.suffix == ".skops":
        sio = pytest.importorskip("skops.io")
        return sio.load(path, trusted=sio.get_untrusted_types(file=path))
    import joblib

    return joblib.load(path)


@pytest.mark.parametrize(
    "name, estimator", [("model.joblib", "lr"), ("model.pkl", "knn"), ("model.skops", "knn")]
)
def test_refit_saves_the_winner_fitted_on_all_rows(app, csv_path, tmp_path, name, estimator):
    """Check that --refit saves the table's winner, fitted on every labelled row,
    as a model predicting from the feature columns of the file."""
    from sklearn.base import clone

    from skbalance.compare import _default_strategies

    path, output = tmp_path / name, tmp_path / "results.csv"
    args = [
        "compare", str(csv_path), "-t", "label", "--cv", "2", "-e", estimator, "-j", "1",
        "-o", str(output), "--refit", str(path),
    ]  # fmt: skip
    result = _run(app, args)
    assert result.exit_code == 0, result.output
    best = pd.read_csv(output)["strategy"].iloc[0]
    assert f"Best strategy {best} refitted on all 88 rows and saved to {path}" in result.stdout
    model = _load_model(path)
    assert [step for step, _ in model.steps] == ["encode", "strategy"]
    expected = _default_strategies(cli._make_estimator(estimator, 0), 0)[best]
    assert type(model["strategy"]) is type(expected)
    assert repr(model["strategy"]) == repr(expected)

    frame = pd.read_csv(csv_path)
    predicted = model.predict(frame.drop(columns="label"))  # unlabelled rows too
    assert len(predicted) == len(frame)
    assert set(predicted) <= {"common", "middle", "rare"}
    X, y, *_ = cli._load_data(csv_path, "label", estimator)
    fresh = clone(expected).fit(X, y)
    labelled = frame["label"].notna().to_numpy()
    np.testing.assert_array_equal(predicted[labelled], fresh.predict(X))
    np.testing.assert_allclose(
        model.predict_proba(frame.drop(columns="label"))[labelled], fresh.predict_proba(X)
    )


@pytest.mark.parametrize(
    "name, match",
    [
        ("model.pickle", "unsupported extension '.pickle'; use one of .joblib, .pkl, .skops."),
        ("absent/model.joblib", "does not exist"),
    ],
)
def test_refit_bad_path_fails_before_the_run(app, csv_path, tmp_path, name, match):
    """Check that a bad --refit path exits 1 in one line, before the comparison,
    without writing a file."""
    path = tmp_path / name
    result = _run(app, ["compare", str(csv_path), "-t", "label", "--refit", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Recommended" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: --refit {path}: "), result.stderr
    assert match in lines[0]
    assert sorted(tmp_path.iterdir()) == [csv_path]


def test_refit_skops_without_skops(app, csv_path, tmp_path, monkeypatch):
    """Check that --refit FILE.skops names the [io] extra when skops is missing."""
    monkeypatch.setitem(sys.modules, "skops", None)
    monkeypatch.setitem(sys.modules, "skops.io", None)
    path = tmp_path / "model.skops"
    result = _run(app, ["compare", str(csv_path), "-t", "label", "--refit", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and 'pip install "skbalance[io]"' in lines[0]
    assert not path.exists()


def test_refit_when_every_strategy_fails(app, tmp_path):
    """Check that nothing is saved, and the exit code is 1, when no strategy succeeds."""
    # 3 training rows per fold: fewer than the 5 neighbours of k-NN
    data = _write(tmp_path, "tiny.csv", pd.DataFrame({"f": range(6), "y": [0, 1] * 3}))
    path = tmp_path / "model.joblib"
    args = ["compare", str(data), "-t", "y", "-e", "knn", "--cv", "2", "-j", "1"]
    result = _run(app, [*args, "--refit", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith("Error: every strategy failed")
    assert not path.exists()
    with pytest.raises(cli._InputError, match="no strategy succeeded"):
        cli._best_strategy(pd.DataFrame().assign(strategy=[]))


def test_refit_best_without_a_file_and_failing_fit():
    """Check the refit of the embedded data (no encoder) and a fit failing in one line."""
    from io import StringIO

    from rich.console import Console
    from sklearn.base import clone

    from skbalance.compare import _default_strategies

    err = Console(file=StringIO())
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(40, 3)), np.array([0] * 30 + [1] * 10)
    model = cli._refit_best("weight:balanced", None, 3, X, y, None, err)
    fresh = clone(_default_strategies(None, 3)["weight:balanced"]).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), fresh.predict_proba(X))
    X[0, 0] = np.nan
    with pytest.raises(cli._InputError, match=r"--refit: plain failed to fit .*ValueError"):
        cli._refit_best("plain", None, 0, X, y, None, err)


def test_feature_encoder_matches_get_dummies(tmp_path):
    """Check that the saved model's encoder gives the columns of the comparison."""
    frame = pd.DataFrame(
        {
            "flag": [True, False, True, False],
            "count": [1, 2, 3, 4],
            "text": ["b", None, "a", "b"],
            "size": pd.Categorical(["s", "l", "s", "s"], categories=["s", "m", "l"]),
            "empty": pd.Series([None] * 4, dtype=object),
            "x": [0.5, np.nan, 1.5, 2.0],
        }
    )
    expected, encoded = cli._encode_features(frame, tmp_path / "x.csv")
    encoder = cli._feature_encoder(frame, encoded)
    assert list(encoder.get_feature_names_out()) == list(expected.columns)
    np.testing.assert_array_equal(
        np.asarray(encoder.transform(frame), dtype=float), expected.to_numpy()
    )
    new = pd.DataFrame({"flag": [True], "count": [5], "text": ["unseen"], "size": ["m"],
                        "empty": [None], "x": [1.0]})  # fmt: skip
    # flag, count, x, then text_a, text_b (unseen: zeros), size_s, size_m, size_l
    np.testing.assert_array_equal(
        np.asarray(encoder.transform(new), dtype=float), [[1, 5, 1, 0, 0, 0, 1, 0]]
    )


def test_main_without_typer(monkeypatch, capsys):
    """Check that main names the [cli] extra and returns 1 when typer is missing."""
    monkeypatch.setitem(sys.modules, "typer", None)
    assert cli.main(["compare"]) == 1
    assert 'pip install "skbalance[cli]"' in capsys.readouterr().err


def test_main_usage_error_is_one_line(capsys):
    """Check that main reports a usage error (bad option value) in one line."""
    assert cli.main(["compare", "--estimator", "svm"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Error: ") and "--estimator" in err[0]
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("skbalance ")


def test_command_runs_as_a_subprocess(csv_path, tmp_path):
    """Check the real command: success prints the table, bad input exits 1 in one line."""
    command = [sys.executable, "-m", "skbalance.cli", "compare"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    ok = subprocess.run(
        [*command, str(csv_path), "--target", "label", "--cv", "2", "-j", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Recommended:" in ok.stdout and "macro-F1" in ok.stdout
    assert "Traceback" not in ok.stderr
    bad = subprocess.run(
        [*command, str(tmp_path / "absent.parquet"), "--target", "y"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert bad.returncode == 1
    expected = f"Error: {tmp_path / 'absent.parquet'}: no such file."
    assert bad.stderr.strip().splitlines() == [expected]
