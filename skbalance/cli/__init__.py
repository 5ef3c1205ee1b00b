"""The ``skbalance`` command: rank imbalance strategies on a data set.

Needs the ``[cli]`` extra (typer and rich); ``--plot`` needs ``[plot]``,
Parquet files and ``--refit FILE.skops`` need ``[io]`` and ``--scheduler``
needs ``[distributed]``.
"""

import sys
import warnings
from pathlib import Path

__all__ = ["main"]

_ESTIMATORS = {
    "lr": "StandardScaler + LogisticRegression(max_iter=1000)",
    "rf": "RandomForestClassifier(n_estimators=100)",
    "hgb": "HistGradientBoostingClassifier()",
    "knn": "StandardScaler + KNeighborsClassifier()",
}
_DATA_SUFFIXES = {".csv": "csv", ".csv.gz": "csv", ".parquet": "parquet", ".pq": "parquet"}
_OUTPUT_SUFFIXES = (".csv", ".json")
_PLOT_SUFFIXES = (".png", ".pdf", ".svg", ".jpg", ".jpeg")
_MODEL_SUFFIXES = (".joblib", ".pkl", ".skops")
_CLI_MISSING = 'skbalance: the command needs typer and rich: pip install "skbalance[cli]"'

class _InputError(Exception):
    """Bad input from the user: reported in one line, without a traceback."""

def main(argv=None):
    """Run the ``skbalance`` command; return its exit code.

    Parameters
    ----------
    argv : list of str, default=None
        Command-line arguments without the program name; None reads
        ``sys.argv``.

    Returns
    -------
    code : int
        0 on success, 1 for bad input or a failed run, 2 for a usage error.
    """
    try:
        import rich  # noqa: F401
        import typer
    except ImportError:
        print(_CLI_MISSING, file=sys.stderr)
        return 1
    command = typer.main.get_command(_build_app())
    try:
        code = command.main(args=argv, prog_name="skbalance", standalone_mode=False)
    except Exception as exc:
        # usage errors (click's, vendored by typer or not) in one line
        if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
            raise
        message = " ".join(str(exc.format_message()).split())
        if message:  # an empty one follows the help shown for no arguments
            hint = " (see skbalance --help)" if exc.exit_code == 2 else ""
            print(f"Error: {message}{hint}", file=sys.stderr)
        return exc.exit_code
    return code if isinstance(code, int) else 0

def _build_app():
    """The typer application (typer and rich are imported here, lazily)."""
    from typing import Annotated, Literal, Optional

    import typer

    from . import __version__

    app = typer.Typer(
        name="skbalance",
        help=(
            "Class-imbalanced classification for scikit-learn: cross-validate "
            "imbalance strategies (class weights, resampling, rare-class routing, "
            "focal loss) on your data and see which one wins."
        ),
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )

    def show_version(value: bool):
        if value:
            typer.echo(f"skbalance {__version__}")
            raise typer.Exit()

    @app.callback()
    def root(
        version: Annotated[
            Optional[bool],
            typer.Option(
                "--version",
                callback=show_version,
                is_eager=True,
                help="Show the version and exit.",
            ),
        ] = None,
    ):
        """Compare strategies for class-imbalanced classification."""

    @app.command(
        epilog=(
            "Example: skbalance compare data.csv --target label --estimator rf "
            "--plot comparison.png --output results.csv --refit model.joblib"
        )
    )
    def compare(
        data: Annotated[
            Optional[Path],
            typer.Argument(
                metavar="DATA",
                help=(
                    "CSV (.csv, .csv.gz) or Parquet (.parquet, .pq) file, one row per "
                    "sample. Without it, the embedded long-tailed digits are used "
                    "(10 classes, 174 to 1 samples)."
                ),
                show_default=False,
            ),
        ] = None,
        target: Annotated[
            Optional[str],
            typer.Option(
                "--target",
                "-t",
                help=(
                    "Column of DATA holding the class labels (required with DATA). "
                    "Rows with a missing label are dropped; the other columns are the "
                    "features, non-numeric ones one-hot encoded."
                ),
                show_default=False,
            ),
        ] = None,
        estimator: Annotated[
            Literal["lr", "rf", "hgb", "knn"],
            typer.Option(
                "--estimator",
                "-e",
                help=(
                    "Base classifier of every strategy: lr = scaled logistic "
                    "regression, rf = random forest, hgb = histogram gradient "
                    "boosting (accepts missing values), knn = scaled k-nearest "
                    "neighbours. The focal-loss strategy is added for lr."
                ),
            ),
        ] = "lr",
        cv: Annotated[
            int,
            typer.Option(
                "--cv", min=2, help="Number of stratified cross-validation folds."
            ),
        ] = 5,
        n_jobs: Annotated[
            int,
            typer.Option(
                "--n-jobs",
                "-j",
                help="Parallel (strategy, fold) tasks; -1 uses every core.",
            ),
        ] = -1,
        scheduler: Annotated[
            Optional[str],
            typer.Option(
                "--scheduler",
                help=(
                    "Address of a Dask scheduler (tcp://host:8786) to run the folds "
                    "on; needs the \\[distributed] extra."
                ),
                show_default=False,
            ),
        ] = None,
        random_state: Annotated[
            int,
            typer.Option(
                "--random-state",
                help="Seed of the folds and of every randomised strategy.",
            ),
        ] = 0,
        plot: Annotated[
            Optional[Path],
            typer.Option(
                "--plot",
                help=(
                    "Save a figure of the comparison to this file (.png, .pdf, .svg, "
                    ".jpg); needs the \\[plot] extra."
                ),
                show_default=False,
            ),
        ] = None,
        output: Annotated[
            Optional[Path],
            typer.Option(
                "--output",
                "-o",
                help=(
                    "Write the full results to this file: .csv (one row per "
                    "strategy, with per-class recall) or .json (the same, plus the "
                    "per-fold scores)."
                ),
                show_default=False,
            ),
        ] = None,
        refit: Annotated[
            Optional[Path],
            typer.Option(
                "--refit",
                help=(
                    "Refit the best strategy on all the rows and save it to this "
                    "file: .joblib or .pkl (joblib.load reads it) or .skops "
                    "(skops.io.load, needs the \\[io] extra). With DATA, the saved "
                    "model predicts from the feature columns of DATA as a "
                    "DataFrame (the target dropped), encoded as for the comparison."
                ),
                show_default=False,
            ),
        ] = None,
    ):
        """Cross-validate imbalance strategies on DATA and rank them by macro-F1.

        Every strategy (plain estimator, each class-weighting scheme, random
        over/under-sampling, SMOTE, rare-class router, focal loss) is fitted
        on the same stratified folds; the table is ranked by macro-F1 and the
        best one is recommended.
        """
        try:
            _run_compare(
                data=data,
                target=target,
                estimator=estimator,
                cv=cv,
                n_jobs=n_jobs,
                scheduler=scheduler,
                random_state=random_state,
                plot=plot,
                output=output,
                refit=refit,
            )
        except _InputError as exc:
            typer.echo(f"Error: {' '.join(str(exc).split())}", err=True)
            raise typer.Exit(code=1) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(code=130) from None

    return app

def _run_compare(
    *, data, target, estimator, cv, n_jobs, scheduler, random_state, plot, output, refit
):
    """The ``compare`` command once its options are parsed."""
    from rich.console import Console
    from rich.markup import escape

    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=130)
    err = Console(stderr=True, highlight=False)
    _check_output_path(output, _OUTPUT_SUFFIXES, "--output")
    _check_output_path(plot, _PLOT_SUFFIXES, "--plot")
    _check_output_path(refit, _MODEL_SUFFIXES, "--refit")
    if plot is not None:
        _require_matplotlib()
    if refit is not None and refit.suffix.lower() == ".skops":
        _require_skops()
    X, y, description, notices, features = _load_data(data, target, estimator)
    out.print(escape(description))
    for notice in notices:
        out.print(f"[yellow]Note:[/] {escape(notice)}")
    out.print(f"Estimator: {estimator} = {_ESTIMATORS[estimator]}; {cv}-fold stratified CV.")
    base = _make_estimator(estimator, random_state)
    results = _compare_with_progress(X, y, base, cv, n_jobs, scheduler, random_state, err)
    if results["error"].notna().all():
        raise _InputError(
            f"every strategy failed; the first error was: {results['error'].iloc[0]}"
        )
    out.print()
    out.print(_recommendation(results))
    out.print(_results_table(results))
    try:
        if output is not None:
            _write_results(results, output)
            out.print(escape(f"Results written to {output}"))
        if plot is not None:
            from .plotting import plot_comparison

            plot_comparison(results).savefig(plot, dpi=150)
            out.print(escape(f"Figure saved to {plot}"))
        if refit is not None:
            name = _best_strategy(results)
            with err.status(f"Refitting {escape(name)} on all {len(y)} rows"):
                model = _refit_best(name, base, random_state, X, y, features, err)
            _save_model(model, refit)
            loader = "skops.io.load" if refit.suffix.lower() == ".skops" else "joblib.load"
            out.print(
                escape(
                    f"Best strategy {name} refitted on all {len(y)} rows and saved to "
                    f"{refit} (load it with {loader})."
                ),
                soft_wrap=True,
            )
    except OSError as exc:
        target = exc.filename or "the output"
        raise _InputError(f"cannot write {target}: {exc.strerror or exc}") from None

def _check_output_path(path, suffixes, option):
    """Fail before the run, not after it, on an unusable output path."""
    if path is None:
        return
    if path.suffix.lower() not in suffixes:
        raise _InputError(
            f"{option} {path}: unsupported extension {path.suffix!r}; use one of "
            f"{', '.join(suffixes)}."
        )
    if not path.parent.is_dir():
        raise _InputError(f"{option} {path}: the directory {path.parent} does not exist.")

def _require_matplotlib():
    try:
        import matplotlib

        matplotlib.use("Agg")
    except ImportError:
        raise _InputError('--plot needs matplotlib: pip install "skbalance[plot]".') from None

def _require_skops():
    try:
        import skops.io  # noqa: F401
    except ImportError:
        raise _InputError(
            '--refit FILE.skops needs skops: pip install "skbalance[io]"; or save '
            "to a .joblib file."
        ) from None

def _data_format(path):
    name = path.name.lower()
    for suffix, kind in _DATA_SUFFIXES.items():
        if name.endswith(suffix):
            return kind
    raise _InputError(
        f"{path}: unsupported file type {path.suffix!r}; use a CSV (.csv, .csv.gz) "
        "or Parquet (.parquet, .pq) file."
    )

def _load_data(path, target, estimator):
    """Features, labels, a description line, notices and the raw features.

    The raw features are ``(features, encoded)`` as :func:`_prepare_frame`
    returns them, or None for the embedded data set.
    """
    if path is None:
        if target is not None:
            raise _InputError(
                "--target names a column of DATA, but no DATA file was given; "
                "the embedded data set has its own labels."
            )
        from .datasets import load_long_tailed_digits

        digits = load_long_tailed_digits(imbalance_ratio=100, random_state=0)
        sizes = digits.class_counts.tolist()
        description = (
            "Data: no DATA file given, using the embedded long-tailed digits "
            f"({digits.data.shape[0]} rows, {digits.data.shape[1]} features, "
            f"{len(sizes)} classes of {sizes[0]} down to {sizes[-1]} samples)."
        )
        return digits.data, digits.target, description, [], None
    if target is None:
        raise _InputError("--target is required with DATA: name the column of class labels.")
    frame = _read_frame(path)
    return _prepare_frame(frame, path, target, estimator)

def _read_frame(path):
    import pandas as pd

    if not path.exists():
        raise _InputError(f"{path}: no such file.")
    if path.is_dir():
        raise _InputError(f"{path} is a directory, not a data file.")
    kind = _data_format(path)
    try:
        if kind == "csv":
            return pd.read_csv(path)
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise _InputError(
                'reading Parquet needs pyarrow: pip install "skbalance[io]".'
            ) from None
        return pd.read_parquet(path)
    except _InputError:
        raise
    except Exception as exc:  # parser errors of pandas and pyarrow
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise _InputError(
            f"{path}: cannot be read as {kind.upper()} ({type(exc).__name__}: {message})."
        ) from None

def _prepare_frame(frame, path, target, estimator):
    """Split a DataFrame into numeric features and labels, with notices.

    Also returns ``(features, encoded)``: the feature columns of the
    labelled rows before encoding, and the names of the one-hot encoded ones,
    from which :func:`_feature_encoder` rebuilds the encoding for new rows.
    """

    notices = []
    if target not in frame.columns:
        columns = [str(c) for c in frame.columns]
        shown = ", ".join(columns[:10]) + (", ..." if len(columns) > 10 else "")
        raise _InputError(f"{path}: no column {target!r}; its columns are: {shown}.")
    missing = frame[target].isna()
    if missing.any():
        notices.append(f"dropped {int(missing.sum())} rows whose target {target!r} is missing.")
        frame = frame.loc[~missing]
    y = frame[target]
    counts = y.value_counts()
    if len(counts) < 2:
        found = "no labelled row" if len(counts) == 0 else f"a single class ({counts.index[0]!r})"
        raise _InputError(
            f"{path}: the target {target!r} has {found}; at least two classes are needed."
        )
    X = frame.drop(columns=[target])
    if X.shape[1] == 0:
        raise _InputError(f"{path}: no feature column besides the target {target!r}.")
    features = X
    X, encoded = _encode_features(X, path)
    if encoded:
        notices.append(
            f"one-hot encoded {len(encoded)} non-numeric column"
            f"{'s' if len(encoded) > 1 else ''} ({', '.join(encoded[:5])}"
            f"{', ...' if len(encoded) > 5 else ''}) with pandas.get_dummies."
        )
    n_missing = int(X.isna().to_numpy().sum())
    if n_missing and estimator != "hgb":
        bad = [str(c) for c in X.columns[X.isna().any().to_numpy()]]
        raise _InputError(
            f"{path}: {n_missing} missing feature values (columns {', '.join(bad[:5])}"
            f"{', ...' if len(bad) > 5 else ''}); impute them first, or use "
            "--estimator hgb, which handles missing values."
        )
    y = _labels(y)
    sizes = counts.to_numpy()
    description = (
        f"Data: {path}: {X.shape[0]} rows, {X.shape[1]} features, target {target!r} "
        f"with {len(counts)} classes of {sizes.max()} down to {sizes.min()} samples."
    )
    return X.to_numpy(dtype="float64"), y, description, notices, (features, encoded)

def _labels(y):
    """Labels as a NumPy array: integral floats (a column with NaN) become ints."""
    import numpy as np

    values = y.to_numpy()
    if values.dtype.kind == "f" and np.all(values == np.round(values)):
        return values.astype(np.int64)
    if values.dtype.kind not in "biufcUS" and all(isinstance(v, str) for v in values):
        return values.astype(str)
    return values

def _encode_features(X, path):
    """One-hot encode text/categorical columns; refuse other non-numeric kinds."""
    import pandas as pd
    from pandas.api import types

    encoded, unsupported = [], []
    for name in X.columns:
        column = X[name]
        if types.is_bool_dtype(column) or types.is_numeric_dtype(column):
            if types.is_complex_dtype(column):
                unsupported.append(str(name))
        elif (
            types.is_object_dtype(column)
            or types.is_string_dtype(column)
            or isinstance(column.dtype, pd.CategoricalDtype)
        ):
            encoded.append(str(name))
        else:
            unsupported.append(f"{name} ({column.dtype})")
    if unsupported:
        raise _InputError(
            f"{path}: unsupported feature columns {', '.join(unsupported[:5])}; convert "
            "them to numbers or text first."
        )
    if encoded:
        X = pd.get_dummies(X, columns=encoded, dtype="float64")
    return X.astype("float64"), encoded

def _make_estimator(name, random_state):
    """The base classifier named on the command line (None: compare's default)."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if name == "lr":
        return None
    if name == "rf":
        return RandomForestClassifier(n_estimators=100, random_state=random_state)
    if name == "hgb":
        return HistGradientBoostingClassifier(random_state=random_state)
    return make_pipeline(StandardScaler(), KNeighborsClassifier())

def _compare_with_progress(X, y, estimator, cv, n_jobs, scheduler, random_state, err):
    """Run compare with a rich progress bar over (strategy, fold) tasks."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from rich.markup import escape

    from .compare import compare

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("[dim]{task.fields[last]}"),
    )
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task("Cross-validating strategies", total=None, last="")

        def progress(n_done, n_total, record):
            failed = " [red](failed)[/]" if record["error"] is not None else ""
            bar.update(
                task,
                completed=n_done,
                total=n_total,
                last=f"{escape(str(record['strategy']))} fold {record['fold'] + 1}{failed}",
            )

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            try:
                results = compare(
                    X,
                    y,
                    estimator=estimator,
                    cv=cv,
                    n_jobs=n_jobs,
                    random_state=random_state,
                    scheduler=scheduler,
                    progress=progress,
                )
            except ImportError as exc:
                raise _InputError(str(exc)) from None
            except (OSError, TimeoutError) as exc:
                raise _InputError(
                    f"cannot reach the Dask scheduler {scheduler!r}: {exc}"
                ) from None
            except ValueError as exc:
                raise _InputError(str(exc).splitlines()[0]) from None
        bar.update(task, last="done")
    _report_warnings(caught, err)
    return results

def _report_warnings(caught, err):
    """Print each distinct warning once, with how often it occurred."""
    from collections import Counter

    from rich.markup import escape

    counts = Counter(
        (w.category.__name__, " ".join(str(w.message).split())) for w in caught
    )
    for (category, message), count in counts.items():
        times = f" ({count} times)" if count > 1 else ""
        err.print(f"[yellow]{category}{times}:[/] {escape(message)}")

def _recommendation(results):
    """One line: the best strategy and how it compares with the plain estimator."""
    from rich.markup import escape

    best = results.iloc[0]
    name = escape(str(best["strategy"]))
    line = f"[bold green]Recommended: {name}[/] (macro-F1 {best['f1_macro_mean']:.3f}"
    plain = results[(results["strategy"] == "plain") & results["error"].isna()]
    if best["strategy"] == "plain":
        return line + "; no imbalance strategy beats the plain estimator)"
    if len(plain):
        return line + f" vs plain {plain['f1_macro_mean'].iloc[0]:.3f})"
    return line + ")"

def _results_table(results):
    """The ranked rich table of the results."""
    from rich.markup import escape
    from rich.table import Table

    def score(row, metric):
        mean, std = row[f"{metric}_mean"], row[f"{metric}_std"]
        return "—" if mean != mean else f"{mean:.3f} ± {std:.3f}"

    table = Table(title="Strategies ranked by macro-F1 (mean ± std over folds)")
    table.add_column("#", justify="right")
    table.add_column("strategy", no_wrap=True)
    table.add_column("macro-F1", justify="right", no_wrap=True)
    table.add_column("balanced acc.", justify="right", no_wrap=True)
    table.add_column("G-mean", justify="right", no_wrap=True)
    table.add_column("fit time", justify="right", no_wrap=True)
    table.add_column("error", max_width=45, no_wrap=True, overflow="ellipsis")
    for rank, (_, row) in enumerate(results.iterrows(), start=1):
        failed = row["error"] is not None
        fit = row["fit_time_mean"]
        table.add_row(
            str(rank),
            escape(str(row["strategy"])),
            score(row, "f1_macro"),
            score(row, "balanced_accuracy"),
            score(row, "gmean"),
            "—" if fit != fit else f"{fit:.2f}s",
            "" if not failed else escape(str(row["error"]).splitlines()[0]),
            style="red" if failed else ("bold green" if rank == 1 else None),
        )
    return table

def _write_results(results, path):
    """Write the results as CSV (the table) or JSON (the table and fold scores)."""
    import json

    import pandas as pd

    if path.suffix.lower() == ".csv":
        results.to_csv(path, index=False)
        return
    fold_scores = pd.DataFrame(results.attrs["fold_scores"])
    payload = {
        "best_strategy": results.attrs.get("best_strategy"),
        "rank_by": results.attrs.get("rank_by"),
        "classes": [_plain(c) for c in results.attrs.get("classes", [])],
        "class_counts": results.attrs.get("class_counts"),
        "n_splits": results.attrs.get("n_splits"),
        "results": json.loads(results.to_json(orient="records")),
        "fold_scores": json.loads(fold_scores.to_json(orient="records")),
    }
    path.write_text(json.dumps(payload, indent=2) + "\n")

def _plain(value):
    """A JSON-friendly label."""
    return value.item() if hasattr(value, "item") else value

def _best_strategy(results):
    """Name of the winning strategy; fails in one line if none succeeded."""
    name = results.attrs.get("best_strategy")
    if name is None:
        raise _InputError("--refit: no strategy succeeded, so there is no model to save.")
    return name

def _refit_best(name, estimator, random_state, X, y, features, err):
    """The strategy ``name`` of the comparison, fitted on all of ``X, y``.

    Built as :func:`~skbalance.compare.compare` built it (same base
    estimator, same seed) and fitted on the very matrix it was compared on.
    With a data file, it is put behind the encoding of its feature columns,
    so that the saved model predicts from rows of the file.
    """
    import numpy as np
    from sklearn.base import clone
    from sklearn.pipeline import Pipeline

    from .compare import _default_strategies

    strategy = clone(_default_strategies(estimator, random_state)[name])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            strategy.fit(X, y)
        except Exception as exc:  # reported like a failing strategy of compare
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise _InputError(
                f"--refit: {name} failed to fit on all the rows "
                f"({type(exc).__name__}: {message})."
            ) from None
    _report_warnings(caught, err)
    if features is None:
        return strategy
    encoder = _feature_encoder(*features)
    # the saved model must see what the strategy was fitted on
    if not np.array_equal(
        np.asarray(encoder.transform(features[0]), dtype=np.float64), X, equal_nan=True
    ):
        raise _InputError(
            "--refit: the encoding of the feature columns could not be rebuilt for "
            "the saved model; please report this as a bug of skbalance."
        )
    return Pipeline([("encode", encoder), ("strategy", strategy)])

def _feature_encoder(features, encoded):
    """A fitted scikit-learn transformer encoding rows as ``_encode_features`` does.

    Its output has the columns of ``pandas.get_dummies`` on ``features``, in
    the same order: the numeric columns, then one column per category of each
    encoded one (a categorical's own categories, else the sorted values). A
    missing or unseen category gives zeros, as get_dummies gives for missing
    values.
    """
    import numpy as np
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder

    def categories(column):
        if isinstance(column.dtype, pd.CategoricalDtype):
            return column.cat.categories.tolist()
        return sorted(column.dropna().unique().tolist())

    encoded = set(encoded)
    numeric = [name for name in features.columns if str(name) not in encoded]
    text = [name for name in features.columns if str(name) in encoded]
    # a column without any value has no dummy column in get_dummies
    text = [name for name in text if len(categories(features[name]))]
    one_hot = OneHotEncoder(
        categories=[categories(features[name]) for name in text],
        handle_unknown="ignore",
        sparse_output=False,
        dtype=np.float64,
    )
    encoder = ColumnTransformer(
        [("numeric", "passthrough", numeric), ("one_hot", one_hot, text)],
        sparse_threshold=0,
        verbose_feature_names_out=False,
    )
    return encoder.fit(features)

def _save_model(model, path):
    """Save with joblib (.joblib, .pkl) or skops (.skops); no partial file left."""
    try:
        if path.suffix.lower() == ".skops":
            import skops.io

            skops.io.dump(model, path)
        else:
            import joblib

            joblib.dump(model, path)
    except Exception as exc:
        path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise
        raise _InputError(  # an object the format cannot store
            f"--refit {path}: cannot save the model ({type(exc).__name__}: {exc}); "
            "try a .joblib file."
        ) from None

