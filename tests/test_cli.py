"""Tests of the ``skbalance`` command (skbalance.cli)."""

import json
import os
import shutil
import subprocess
import sys
import time
from io import StringIO

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("typer", reason="the command needs the [cli] extra")
pytest.importorskip("rich", reason="the command needs the [cli] extra")

from typer.testing import CliRunner

from skbalance import cli
from skbalance.cli import _checks, _data, _progress

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
# the console script when installed, else the same entry point through python -m
COMMAND = [shutil.which("skbalance")] if shutil.which("skbalance") else [
    sys.executable, "-m", "skbalance.cli"
]  # fmt: skip


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


def _run(args):
    return CliRunner().invoke(cli.app, args)


def _command(args, **kwargs):
    """The real console script, stdout and stderr captured (not a terminal)."""
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, timeout=300, env=ENV, **kwargs
    )


def _write(tmp_path, name, frame, **kwargs):
    path = tmp_path / name
    frame.to_csv(path, index=False, **kwargs)
    return path


def test_compare_on_a_csv_file(csv_path, tmp_path):
    """Check that compare ranks the strategies of a CSV file and writes results,
    run metadata and figure."""
    output, figure = tmp_path / "results.json", tmp_path / "figure.png"
    args = [
        "compare", str(csv_path), "--target", "label", "--cv", "2", "--estimator", "lr",
        "--n-jobs", "1", "--repeats", "1", "--output", str(output), "--plot", str(figure),
    ]  # fmt: skip
    result = _run(args)
    assert result.exit_code == 0, result.output
    stdout = result.stdout
    assert "Strategies ranked by macro-F1" in stdout
    assert "weight:balanced" in stdout and "sampler:smote" in stdout and "focal" in stdout
    assert "dropped 2 rows" in stdout
    assert "one-hot encoded 1 non-numeric column (colour)" in stdout
    assert "88 rows, 4 features" in stdout
    assert "2-fold stratified CV × 1 repeat." in stdout
    assert "Δ vs plain [95% interval]" in stdout and "reference" in stdout
    payload = json.loads(output.read_text())
    assert payload["run"] == {
        "skbalance_version": cli.__version__, "data": "data.csv", "target": "label",
        "rows": 88, "estimator": "lr", "cv": 2, "repeats": 1, "reference": "plain",
        "rope": 0.01, "random_state": 0, "quick": False,
    }  # fmt: skip
    advice = payload["recommendation"]
    assert advice["reference"] == "plain" and advice["message"] in " ".join(stdout.split())
    assert payload["classes"] == ["common", "middle", "rare"]
    assert payload["class_counts"] == [58, 20, 10]
    assert payload["best_strategy"] == payload["results"][0]["strategy"]
    assert len(payload["fold_scores"]) == 2 * len(payload["results"])
    assert {"repeat", "fold", "f1_macro"} <= set(payload["fold_scores"][0])
    assert figure.read_bytes()[:8] == PNG_MAGIC


def test_compare_writes_csv_results(csv_path, tmp_path):
    """Check that --output results.csv writes one row per strategy with per-class recall."""
    output = tmp_path / "results.csv"
    args = [
        "compare", str(csv_path), "-t", "label", "--cv", "2", "-e", "knn", "-j", "1",
        "--repeats", "1", "-o", str(output),
    ]  # fmt: skip
    result = _run(args)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(output)
    assert "focal" not in set(table["strategy"])
    assert {"recall_common", "recall_middle", "recall_rare", "error"} <= set(table.columns)
    assert table["f1_macro_mean"].iloc[0] == table["f1_macro_mean"].max()


@pytest.mark.parametrize("args", [["--help"], ["compare", "--help"]])
def test_help_documents_every_option(args):
    """Check that --help lists the command and every option of compare."""
    result = _run(args)
    assert result.exit_code == 0
    if args == ["--help"]:
        assert "compare" in result.stdout and "--version" in result.stdout
        return
    for option in [
        "DATA", "--target", "--estimator", "--cv", "--repeats", "--reference", "--rope",
        "--quick", "--sep", "--encoding",
        "--n-jobs", "--scheduler", "--random-state", "--plot", "--output", "--refit",
        "[distributed]", "[plot]", "[io]", ".skops",
    ]:  # fmt: skip
        assert option in result.stdout, option


def _binary(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00\x81" * 50)
    return path


def _bad_files(tmp_path):
    """Data files each wrong in one way, by case name."""
    rng = np.random.RandomState(0)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("ville,label\nSão Paulo,a\nMünchen,b\n".encode("latin-1"))
    return {
        "one_class": _write(tmp_path, "one.csv", pd.DataFrame({"f": [1, 2], "y": ["x", "x"]})),
        "one_labelled_class": _write(
            tmp_path, "onel.csv", pd.DataFrame({"f": [1, 2, 3], "y": ["x", None, None]})
        ),
        "text": _write(tmp_path, "data.txt", pd.DataFrame({"y": [1]})),
        "nan": _write(
            tmp_path, "nan.csv", pd.DataFrame({"f": [1, None] * 10, "y": [0] * 10 + [1] * 10})
        ),
        "continuous": _write(
            tmp_path, "price.csv", pd.DataFrame({"f": range(40), "y": rng.normal(size=40)})
        ),
        "identifier": _write(
            tmp_path, "ids.csv", pd.DataFrame({"f": range(40), "y": [f"id{i}" for i in range(40)]})
        ),
        "small_classes": _write(
            tmp_path, "tail.csv", pd.DataFrame({"f": range(40), "y": np.arange(40) // 3})
        ),
        "semicolon": _write(
            tmp_path, "semi.csv", pd.DataFrame({"a": [1, 2], "label": [0, 1]}), sep=";"
        ),
        "latin": latin,
        "binary": _binary(tmp_path),
        "empty": _write(tmp_path, "empty.csv", pd.DataFrame()),
    }


@pytest.mark.parametrize(
    "case, match",
    [
        ("missing_file", "no such file"),
        ("missing_target_option", "--target is required"),
        ("target_without_data", "no DATA file was given"),
        ("missing_column", "no column 'nope'; its columns are: a, b, c, colour, label."),
        ("one_class", "has a single class ('x'); at least two classes"),
        ("one_labelled_class", "a single class ('x') once 2 rows with a missing label"),
        ("extension", "unsupported file type '.txt'"),
        ("missing_features", ("--estimator lr does not accept; impute them first, or use "
                              "--estimator rf or hgb")),
        ("output_extension", "unsupported extension '.xlsx'"),
        ("unreadable", "cannot be read as CSV: not utf-8 text"),
        ("continuous", "looks continuous (40 distinct numbers such as"),
        ("identifier", "40 classes in 40 rows"),
        ("small_classes", ("14 classes of median size 3, fewer than the 5 cross-validation "
                           "folds: most classes cannot appear in every test fold. Merge the "
                           "rare classes (or use a coarser label), or use fewer folds (--cv 3).")),
        ("semicolon", ("no column 'label'; its columns are: a;label. The header contains "
                       "';': try --sep ';'.")),
        ("latin", "--encoding latin-1"),
        ("bad_encoding", "--encoding 'klingon': unknown encoding"),
        ("bad_sep", "--sep ';;': give one character"),
        ("empty", "the file is empty"),
    ],
)  # fmt: skip
def test_bad_input_fails_in_one_line(csv_path, tmp_path, case, match):
    """Check that bad input exits with code 1 and a one-line error, without a traceback."""
    data = str(csv_path)
    files = {name: str(path) for name, path in _bad_files(tmp_path).items()}
    args = {
        "missing_file": ["compare", str(tmp_path / "absent.csv"), "--target", "label"],
        "missing_target_option": ["compare", data],
        "target_without_data": ["compare", "--target", "label"],
        "missing_column": ["compare", data, "--target", "nope"],
        "one_class": ["compare", files["one_class"], "--target", "y"],
        "one_labelled_class": ["compare", files["one_labelled_class"], "--target", "y"],
        "extension": ["compare", files["text"], "-t", "y"],
        "missing_features": ["compare", files["nan"], "--target", "y", "--cv", "2"],
        "output_extension": ["compare", data, "-t", "label", "-o", str(tmp_path / "r.xlsx")],
        "unreadable": ["compare", files["binary"], "-t", "label"],
        "continuous": ["compare", files["continuous"], "-t", "y"],
        "identifier": ["compare", files["identifier"], "-t", "y"],
        "small_classes": ["compare", files["small_classes"], "-t", "y"],
        "semicolon": ["compare", files["semicolon"], "-t", "label"],
        "latin": ["compare", files["latin"], "-t", "label"],
        "bad_encoding": ["compare", data, "-t", "label", "--encoding", "klingon"],
        "bad_sep": ["compare", data, "-t", "label", "--sep", ";;"],
        "empty": ["compare", files["empty"], "-t", "label"],
    }[case]
    result = _run(args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert match in lines[0]


def test_input_errors_answer_before_scikit_learn(csv_path, tmp_path):
    """Check that option, file and header errors are found before importing pandas, and
    target errors before scikit-learn (so that they answer at once), in the real command."""
    files = _bad_files(tmp_path)
    header_cases = [
        ["compare", str(tmp_path / "absent.csv"), "-t", "y"],
        ["compare", str(csv_path), "-t", "nope"],
        ["compare", str(csv_path), "-t", "label", "-o", str(tmp_path / "r.xlsx")],
        ["compare", str(files["binary"]), "-t", "y"],
        ["compare", str(files["semicolon"]), "-t", "label"],
    ]
    target_cases = [
        ["compare", str(files[name]), "-t", "y"]
        for name in ("one_class", "continuous", "identifier", "small_classes")
    ]
    code = (
        "import sys; from skbalance.cli import main\n"
        f"for args in {header_cases!r}:\n"
        "    assert main(args) == 1 and 'pandas' not in sys.modules, args\n"
        f"for args in {target_cases!r}:\n"
        "    assert main(args) == 1 and 'sklearn' not in sys.modules, args\n"
        "print(sorted({'pandas', 'sklearn', 'imblearn'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['pandas']"
    assert result.stderr.count("Error: ") == len(header_cases) + len(target_cases)


def test_separator_and_encoding_options(tmp_path):
    """Check that --sep and --encoding read a ;-separated Latin-1 file (and a tab one)."""
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {"ville": rng.choice(["São Paulo", "München"], 40), "x": rng.normal(size=40),
         "label": ["é"] * 28 + ["ü"] * 12}
    )  # fmt: skip
    path = _write(tmp_path, "latin.csv", frame, sep=";", encoding="latin-1")
    args = ["compare", str(path), "-t", "label", "--cv", "2", "-j", "1", "-e", "knn",
            "--repeats", "1"]  # fmt: skip
    result = _run([*args, "--sep", ";", "--encoding", "latin-1"])
    assert result.exit_code == 0, result.output
    assert "40 rows, 2 features, target 'label' with 2 classes of 28 down to 12" in result.stdout
    tabbed = _write(tmp_path, "tab.tsv.csv", frame, sep="\t")
    result = _run(["compare", str(tabbed), "-t", "nope"])
    assert "The header contains '\\t': try --sep '\\t'." in result.stderr
    assert _checks.check_sep("\\t") == _checks.check_sep("tab") == "\t"


def test_balanced_classes_run_with_a_note(tmp_path):
    """Check that balanced data is compared, with a note that strategies should tie."""
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"x": rng.normal(size=40), "y": [0, 1] * 20})
    path = _write(tmp_path, "balanced.csv", frame)
    args = ["--cv", "2", "-j", "1", "-e", "knn", "--repeats", "1"]
    result = _run(["compare", str(path), "-t", "y", *args])
    assert result.exit_code == 0, result.output
    assert "the classes are balanced (largest/smallest = 1.00)" in result.stdout
    unbalanced = _write(tmp_path, "unbalanced.csv", frame.assign(y=[0] * 28 + [1] * 12))
    result = _run(["compare", str(unbalanced), "-t", "y", *args])
    assert result.exit_code == 0 and "balanced (" not in result.stdout


def test_missing_values_follow_the_estimator_tags(tmp_path):
    """Check that a forest runs on missing feature values (its allow_nan tag); a
    strategy that cannot take them (SMOTE) fails alone."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 2))
    X[::7, 0] = np.nan
    frame = pd.DataFrame(X, columns=["a", "b"]).assign(y=[0] * 28 + [1] * 12)
    path = _write(tmp_path, "nan.csv", frame)
    output = tmp_path / "r.csv"
    args = ["compare", str(path), "-t", "y", "--cv", "2", "-j", "1", "-e", "rf", "--repeats", "1",
            "-o", str(output)]  # fmt: skip
    result = _run(args)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(output).set_index("strategy")
    assert table["error"].isna()[["plain", "weight:balanced"]].all()
    # a strategy that cannot take missing values fails alone, said below the table
    for name in table.index[table["error"].notna()]:
        assert f"{name} failed: " in result.stdout


def test_quick_subsamples_the_large_classes(tmp_path, monkeypatch):
    """Check that --quick runs 3 folds on a stratified sub-sample and says so."""
    monkeypatch.setattr(_data, "QUICK_ROWS", 100)
    monkeypatch.setattr(_data, "QUICK_CLASS_ROWS", 12)
    rng = np.random.RandomState(0)
    y = np.repeat(["big", "mid", "small"], [300, 80, 12])
    frame = pd.DataFrame({"x": rng.normal(size=len(y)) + (y == "small"), "y": y})
    path = _write(tmp_path, "large.csv", frame)
    output = tmp_path / "r.json"
    result = _run(["compare", str(path), "-t", "y", "--quick", "-j", "1", "-e", "knn",
                   "-o", str(output)])  # fmt: skip
    assert result.exit_code == 0, result.output
    # 300 and 80 rows at 100/392 = 25.5%: 77 and 20; the 12 rows of small kept
    assert "--quick: 109 of the 392 rows" in result.stdout
    assert "Data: " in result.stdout and "109 rows" in result.stdout
    assert "3-fold stratified CV" in result.stdout
    run = json.loads(output.read_text())["run"]
    assert run["quick"] is True and run["rows"] == 109 and run["cv"] == 3


def test_quick_subset_keeps_ratios_and_small_classes():
    """Check the --quick sub-sample: every class shrinks by the same share, rare ones kept."""
    y = np.repeat([0, 1, 2], [9000, 900, 30])
    sizes = _checks.check_target(pd.Series(y), "y", 0, 5)
    data = _data.Data(X=np.zeros((len(y), 1)), y=y, sizes=sizes, source="s")
    quick = _data.quick_subset(data, 0)
    counts = np.bincount(quick.y)
    np.testing.assert_array_equal(counts, [4532, 453, 30])
    assert _data.quick_subset(data, 0).y.tolist() == quick.y.tolist()  # seeded


def _refit_expected(estimator, path):
    from skbalance import BalancedClassifierCV
    from skbalance.cli import _model

    data = _data.read_data(path, "csv", "label", ",", "utf-8", 2)
    base = _model.with_encoder(_model.make_estimator(estimator, 0), data)
    model = BalancedClassifierCV(base, strategies="all", cv=2, random_state=0)
    return model.fit(data.X, data.y)


def _load_model(path):
    if path.suffix == ".skops":
        sio = pytest.importorskip("skops.io")
        return sio.load(path, trusted=sio.get_untrusted_types(file=path))
    import joblib

    return joblib.load(path)


@pytest.mark.parametrize(
    "name, estimator", [("model.joblib", "lr"), ("model.pkl", "knn"), ("model.skops", "knn")]
)
def test_refit_saves_the_automatic_choice_fitted_on_all_rows(csv_path, tmp_path, name, estimator):
    """Check that --refit saves BalancedClassifierCV of the compared strategies, fitted
    on every labelled row, whose models first encode the feature columns of the file."""
    path = tmp_path / name
    args = [
        "compare", str(csv_path), "-t", "label", "--cv", "2", "-e", estimator, "-j", "1",
        "--repeats", "1", "--refit", str(path),
    ]  # fmt: skip
    result = _run(args)
    assert result.exit_code == 0, result.output
    model = _load_model(path)
    expected = _refit_expected(estimator, csv_path)
    assert f"BalancedClassifierCV fitted on all 88 rows and saved to {path}" in result.stdout
    assert f"the best single strategy is {expected.best_strategy_}." in result.stdout
    assert ", ".join(expected.ensemble_) in result.stdout
    assert model.best_strategy_ == expected.best_strategy_
    assert model.ensemble_ == expected.ensemble_
    assert all(member.steps[0][0] == "encode" for member in model.estimators_)
    frame = pd.read_csv(csv_path)
    predicted = model.predict(frame.drop(columns="label"))  # unlabelled rows too
    assert len(predicted) == len(frame) and set(predicted) <= {"common", "middle", "rare"}
    labelled = frame.loc[frame["label"].notna()].drop(columns="label")
    np.testing.assert_array_equal(model.predict(labelled), expected.predict(labelled))
    np.testing.assert_allclose(model.predict_proba(labelled), expected.predict_proba(labelled))


@pytest.mark.parametrize(
    "name, match",
    [
        ("model.pickle", "unsupported extension '.pickle'; use one of .joblib, .pkl, .skops."),
        ("absent/model.joblib", "does not exist"),
    ],
)
def test_refit_bad_path_fails_before_the_run(csv_path, tmp_path, name, match):
    """Check that a bad --refit path exits 1 in one line, before the comparison,
    without writing a file."""
    path = tmp_path / name
    result = _run(["compare", str(csv_path), "-t", "label", "--refit", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Recommended" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: --refit {path}: "), result.stderr
    assert match in lines[0]
    assert sorted(tmp_path.iterdir()) == [csv_path]


def test_refit_skops_without_skops(csv_path, tmp_path, monkeypatch):
    """Check that --refit FILE.skops names the [io] extra when skops is missing."""
    monkeypatch.setitem(sys.modules, "skops", None)
    monkeypatch.setitem(sys.modules, "skops.io", None)
    path = tmp_path / "model.skops"
    result = _run(["compare", str(csv_path), "-t", "label", "--refit", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and 'pip install "skbalance[io]"' in lines[0]
    assert not path.exists()


def test_refit_when_every_strategy_fails(tmp_path):
    """Check that nothing is saved, and the exit code is 1, when no strategy succeeds."""
    # 3 training rows per fold: fewer than the 5 neighbours of k-NN
    data = _write(tmp_path, "tiny.csv", pd.DataFrame({"f": range(6), "y": [0, 1] * 3}))
    path = tmp_path / "model.joblib"
    args = ["compare", str(data), "-t", "y", "-e", "knn", "--cv", "2", "-j", "1"]
    result = _run([*args, "--refit", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith("Error: every strategy failed")
    assert not path.exists()


def test_refit_failing_fit_is_one_line():
    """Check that a selector failing on all the rows is reported in one line."""
    from skbalance.cli import _model

    y = np.array([0] * 30 + [1] * 10)
    X = np.random.RandomState(0).normal(size=(40, 3))
    X[0, 0] = np.nan
    data = _data.Data(X=X, y=y, sizes=_checks.check_target(pd.Series(y), "y", 0, 2), source="s")
    match = r"--refit: BalancedClassifierCV failed to fit .*ValueError"
    with pytest.raises(_checks.InputError, match=match):
        _model.refit(_model.make_estimator("lr", 0), 0, 2, data)


def test_text_booleans_and_categories_are_encoded_inside_the_pipeline(tmp_path):
    """Check the one encoding: numbers, booleans, text (with missing values) and
    categories come out as one float matrix, unseen categories as zeros."""
    from skbalance.cli import _model

    frame = pd.DataFrame(
        {
            "flag": [True, False, True, False] * 5,
            "count": [1, 2, 3, 4] * 5,
            "text": ["b", None, "a", "b"] * 5,
            "size": pd.Categorical(["s", "l", "s", "s"] * 5, categories=["s", "m", "l"]),
            "x": [0.5, np.nan, 1.5, 2.0] * 5,
            "label": [0, 0, 0, 1] * 5,
        }
    )
    path = tmp_path / "mixed.parquet"
    pytest.importorskip("pyarrow")
    frame.to_parquet(path)
    data = _data.read_data(path, "parquet", "label", ",", "utf-8", 2)
    assert data.text_columns == ("text", "size") and data.missing == ("x",)
    encoder = _model.with_encoder(_model.make_estimator("hgb", 0), data)["encode"]
    encoded = encoder.fit_transform(data.X)
    assert encoded.dtype == np.float64
    assert list(encoder.get_feature_names_out()) == [
        "count", "x", "flag", "text_a", "text_b", "text_nan", "size_l", "size_s"
    ]  # fmt: skip
    new = pd.DataFrame({"flag": [True], "count": [5], "text": ["unseen"], "size": ["m"],
                        "x": [1.0]})  # fmt: skip
    np.testing.assert_array_equal(encoder.transform(new), [[5, 1, 1, 0, 0, 0, 0, 0]])


def test_dates_are_refused(tmp_path):
    """Check that a datetime feature column is refused with a message naming it."""
    frame = pd.DataFrame({"when": pd.to_datetime(["2020-01-01", "2021-01-01"] * 5),
                          "y": [0, 1] * 5})  # fmt: skip
    path = tmp_path / "dates.parquet"
    pytest.importorskip("pyarrow")
    frame.to_parquet(path)
    with pytest.raises(_checks.InputError, match=r"unsupported feature columns when \(datetime"):
        _data.read_data(path, "parquet", "y", ",", "utf-8", 2)


def test_plain_progress_lines_with_time_left(csv_path):
    """Check that off a terminal the command prints progress lines on stderr, every
    tenth of the tasks, with the time left, and nothing of it on stdout."""
    args = ["compare", str(csv_path), "-t", "label", "--cv", "2", "-j", "1", "-e", "knn"]
    result = _command(args)
    assert result.returncode == 0, result.stderr
    assert "2-fold stratified CV × 3 repeats (by data size: 3 up to 1000 rows" in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("Progress:")]
    assert 5 <= len(lines) <= 12, result.stderr
    assert all("tasks" in line and "elapsed, about" in line and "left" in line for line in lines)
    assert result.stderr.strip().splitlines()[-1].startswith("Done: ")
    assert "Progress:" not in result.stdout and "Strategies ranked" in result.stdout


def test_plain_progress_heartbeat():
    """Check that a silent stretch longer than the heartbeat still prints a line."""
    stream = StringIO()
    with _progress._LineProgress(stream, heartbeat=0.05) as progress:
        time.sleep(0.2)
        progress(1, 100, {"strategy": "plain", "fold": 0, "error": None})
        time.sleep(0.2)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "Progress: no task finished yet, 0 s elapsed."
    assert any(line.startswith("Progress: 1/100 tasks (1%)") for line in lines)
    assert "estimating the time left" in lines[-2] and lines[-1].startswith("Done: 100 tasks")
    assert _progress.duration(42) == "42 s" and _progress.duration(185) == "3 min 05 s"
    assert _progress.duration(3720) == "1 h 02 min"


def test_startup_does_not_import_the_modelling_stack():
    """Check that --help, --version and the package import skip scikit-learn and pandas."""
    code = (
        "import sys; from skbalance.cli import main; main(sys.argv[1:]); "
        "print(sorted({'sklearn', 'pandas', 'imblearn'} & set(sys.modules)))"
    )
    for args in (["--help"], ["--version"], ["compare", "--help"]):
        result = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, env=ENV
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == "[]", args


def test_missing_cli_extra_is_named(tmp_path):
    """Check that without typer the command names the [cli] extra, at import."""
    fake = tmp_path / "typer"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ModuleNotFoundError('no typer', name='typer')\n")
    result = subprocess.run(
        [*COMMAND, "--help"], capture_output=True, text=True, timeout=60,
        env={**ENV, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])},
    )  # fmt: skip
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last == f"ModuleNotFoundError: {cli._CLI_MISSING}"


def test_main_usage_error_is_one_line(capsys):
    """Check that main reports a usage error (bad option value) in one line."""
    assert cli.main(["compare", "--estimator", "svm"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Error: ") and "--estimator" in err[0]
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("skbalance ")


def test_command_runs_as_a_subprocess(csv_path, tmp_path):
    """Check the real command: bad input exits 1 in one line."""
    bad = _command(["compare", str(tmp_path / "absent.parquet"), "--target", "y"])
    assert bad.returncode == 1
    expected = f"Error: {tmp_path / 'absent.parquet'}: no such file."
    assert bad.stderr.strip().splitlines() == [expected]


def test_statistics_options_and_ties(csv_path, tmp_path):
    """Check --repeats, --reference and --rope: the table's differences are to the
    reference, and a wide rope makes every strategy a tie."""
    output = tmp_path / "r.json"
    args = ["compare", str(csv_path), "-t", "label", "--cv", "2", "-j", "1", "-e", "knn",
            "--repeats", "2", "--reference", "weight:balanced", "--rope", "0.9",
            "-o", str(output)]  # fmt: skip
    result = _run(args)
    assert result.exit_code == 0, result.output
    assert "× 2 repeats." in result.stdout and "by data size" not in result.stdout
    assert "Δ vs weight:balanced [95% interval]" in result.stdout
    assert "tie: within ±0.9 most likely" in " ".join(result.stdout.split())
    assert "No strategy is reliably better than weight:balanced" in result.stdout
    verdicts = [line.split("│")[6].strip() for line in result.stdout.splitlines()
                if line.startswith("│")]  # fmt: skip
    assert sorted(set(verdicts)) == ["reference", "tie"]
    payload = json.loads(output.read_text())
    assert payload["run"]["repeats"] == 2 and payload["reference"] == "weight:balanced"
    bad = _run([*args[:-2], "--reference", "nope"])
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error: reference='nope' is not one of the strategies")


def test_recommendation_line_and_verdicts():
    """Check the recommendation line (reliable or not) and each verdict of the table."""
    from skbalance.cli import _report

    results = pd.DataFrame(
        {
            "strategy": ["a", "plain", "b", "c", "d"],
            "p_better": [0.95, np.nan, 0.2, 0.01, 0.3],
            "p_worse": [0.01, np.nan, 0.1, 0.95, 0.2],
            "error": [None] * 4 + ["ValueError: no luck\nmore"],
        }
    )
    results.loc[4, "p_better"] = np.nan
    assert _report.failures(results) == ["d failed: ValueError: no luck"]
    advice = {"strategy": "a", "reliable": True, "equivalent": ["plain", "b"],
              "message": "a is reliably better than plain (...)"}  # fmt: skip
    verdicts = [_report._verdict(row, "plain", advice) for _, row in results.iterrows()]
    assert verdicts == ["better", "reference", "tie", "worse", "failed"]
    results.loc[4, ["p_better", "error"]] = [0.3, None]
    assert _report._verdict(results.iloc[4], "plain", advice) == "unclear"
    results.attrs["recommendation"] = advice
    assert _report.recommendation(results) == (
        "[bold green]Recommended:[/] a is reliably better than plain (...)"
    )
    results.attrs["recommendation"] = {**advice, "reliable": False, "strategy": "plain",
                                       "message": "No strategy is reliably better."}  # fmt: skip
    assert _report.recommendation(results).endswith("Keep plain.")


def test_worker_warnings_are_grouped_as_with_one_process(tmp_path):
    """Check that the warnings of a run on 2 worker processes are printed grouped and
    counted exactly as with one process."""
    rng = np.random.RandomState(0)
    y = [0] * 20 + [1] * 2 + [2] * 2  # tuned:prior_power has too few rows to cross-validate
    frame = pd.DataFrame({"a": rng.normal(size=24) + np.array(y), "y": y})
    path = _write(tmp_path, "warn.csv", frame)
    warned = []
    for n_jobs in ("1", "2"):
        result = _command(["compare", str(path), "-t", "y", "--cv", "2", "--repeats", "1",
                           "-j", n_jobs])  # fmt: skip
        assert result.returncode == 0, result.stderr
        warned.append([line for line in result.stderr.splitlines()
                       if not line.startswith(("Progress:", "Done:"))])  # fmt: skip
    assert warned[0] == warned[1]
    assert any(line.startswith("UserWarning (2 times): Fewer than two classes") for line in
               warned[0])  # fmt: skip
