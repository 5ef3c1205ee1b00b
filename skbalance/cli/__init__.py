"""The ``skbalance`` command: rank imbalance strategies on a data set.

Needs the ``[cli]`` extra (typer and rich); ``--plot`` needs ``[plot]``,
Parquet files and ``--refit FILE.skops`` need ``[io]`` and ``--scheduler``
needs ``[distributed]``.

The package is split by job: this module holds the typer application and
checks the options; :mod:`._checks` checks the file's header and the target,
:mod:`._data` reads the data (pandas), :mod:`._model` runs the comparison
(scikit-learn), :mod:`._progress` and :mod:`._report` say what happens. The
modelling stack is imported only once the input is known to be usable, so
``--help``, ``--version`` and input errors answer at once.
"""

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Literal

_CLI_MISSING = 'skbalance: the command needs typer and rich: pip install "skbalance[cli]"'

try:
    import rich  # noqa: F401
    import typer
except ImportError as exc:
    raise ModuleNotFoundError(_CLI_MISSING, name=exc.name) from None

from .. import __version__
from ._checks import (
    MODEL_SUFFIXES,
    OUTPUT_SUFFIXES,
    PLOT_SUFFIXES,
    InputError,
    check_encoding,
    check_header,
    check_output_path,
    check_sep,
    data_format,
    require_matplotlib,
    require_skops,
)

__all__ = ["main"]

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


def _show_version(value: bool):
    if value:
        typer.echo(f"skbalance {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = None,
):
    """Compare strategies for class-imbalanced classification."""


def _no_default_option(*names, help):
    """An option whose default (None) is not worth showing in --help."""
    return typer.Option(*names, help=help, show_default=False)


@app.command(
    epilog=(
        "Example: skbalance compare data.csv --target label --estimator rf "
        "--plot comparison.png --output results.csv --refit model.joblib"
    )
)
def compare(
    data: Annotated[
        Path | None,
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
        str | None,
        _no_default_option(
            "--target",
            "-t",
            help=(
                "Column of DATA holding the class labels (required with DATA). "
                "Rows with a missing label are dropped; the other columns are the "
                "features, non-numeric ones one-hot encoded."
            ),
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
                "boosting, knn = scaled k-nearest neighbours (rf and hgb accept "
                "missing values). The focal-loss strategy is added for lr."
            ),
        ),
    ] = "lr",
    cv: Annotated[
        int | None,
        typer.Option(
            "--cv",
            min=2,
            help="Number of stratified cross-validation folds [default: 5; 3 with --quick].",
            show_default=False,
        ),
    ] = None,
    repeats: Annotated[
        int | None,
        typer.Option(
            "--repeats",
            min=1,
            help=(
                "Repeats of the cross-validation with other folds [default: by data size: "
                "3 up to 1000 rows, 2 up to 20000, else 1; 1 with --quick]."
            ),
            show_default=False,
        ),
    ] = None,
    reference: Annotated[
        str,
        typer.Option(
            "--reference",
            help=(
                "Strategy every other one is compared with (paired differences, "
                "P(better)); one is recommended only if reliably better than it."
            ),
        ),
    ] = "plain",
    rope: Annotated[
        float,
        typer.Option(
            "--rope",
            min=0.0,
            help="Differences of macro-F1 within ±ROPE count as a tie (practically equivalent).",
        ),
    ] = 0.01,
    quick: Annotated[
        bool,
        typer.Option(
            "--quick",
            help=(
                "A first look at a large file: 3 folds, and at most about 5000 rows "
                "(the large classes sub-sampled, each class keeping at least 50 rows)."
            ),
        ),
    ] = False,
    sep: Annotated[
        str,
        typer.Option("--sep", help="Column separator of a CSV file ('\\t' or tab for a tab)."),
    ] = ",",
    encoding: Annotated[
        str,
        typer.Option("--encoding", help="Text encoding of a CSV file (latin-1, cp1252, ...)."),
    ] = "utf-8",
    n_jobs: Annotated[
        int,
        typer.Option("--n-jobs", "-j", help="Parallel (strategy, fold) tasks; -1 uses every core."),
    ] = -1,
    scheduler: Annotated[
        str | None,
        _no_default_option(
            "--scheduler",
            help=(
                "Address of a Dask scheduler (tcp://host:8786) to run the folds "
                "on; needs the \\[distributed] extra."
            ),
        ),
    ] = None,
    random_state: Annotated[
        int,
        typer.Option("--random-state", help="Seed of the folds and of every randomised strategy."),
    ] = 0,
    plot: Annotated[
        Path | None,
        _no_default_option(
            "--plot",
            help=(
                "Save a figure of the comparison to this file (.png, .pdf, .svg, "
                ".jpg); needs the \\[plot] extra."
            ),
        ),
    ] = None,
    output: Annotated[
        Path | None,
        _no_default_option(
            "--output",
            "-o",
            help=(
                "Write the full results to this file: .csv (one row per "
                "strategy, with per-class recall) or .json (the same, plus the "
                "per-fold scores and the settings of the run)."
            ),
        ),
    ] = None,
    refit: Annotated[
        Path | None,
        _no_default_option(
            "--refit",
            help=(
                "Fit BalancedClassifierCV (the automatic choice among the "
                "compared strategies, with its average and tuned decision) on "
                "all the rows and save it to this file: .joblib or .pkl (joblib.load reads it) or .skops "
                "(skops.io.load, needs the \\[io] extra). With DATA, the saved "
                "model predicts from the feature columns of DATA as a "
                "DataFrame (the target dropped), encoded as for the comparison."
            ),
        ),
    ] = None,
):
    """Cross-validate imbalance strategies on DATA and rank them by macro-F1.

    Every strategy (plain estimator, each class-weighting scheme, random
    over/under-sampling, SMOTE, rare-class router, focal loss) is fitted
    on the same repeated stratified folds; the table is ranked by macro-F1,
    with each strategy's paired difference to the reference. A strategy is
    recommended only when it is reliably better than the reference
    (P(better) >= 0.9); otherwise the command says so and keeps the reference.
    """
    options = SimpleNamespace(
        data=data,
        target=target,
        estimator=estimator,
        cv=cv if cv is not None else (3 if quick else 5),
        repeats=repeats,
        reference=reference,
        rope=rope,
        quick=quick,
        sep=sep,
        encoding=encoding,
        n_jobs=n_jobs,
        scheduler=scheduler,
        random_state=random_state,
        plot=plot,
        output=output,
        refit=refit,
    )
    try:
        _check_options(options)
        # pandas, then scikit-learn: only once the options and the header are usable
        from ._run import run_compare

        run_compare(options)
    except InputError as exc:
        typer.echo(f"Error: {' '.join(str(exc).split())}", err=True)
        raise typer.Exit(code=1) from None
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        raise typer.Exit(code=130) from None


def _check_options(options):
    """Refuse unusable options, and a CSV file whose header lacks the target, at once."""
    check_output_path(options.output, OUTPUT_SUFFIXES, "--output")
    check_output_path(options.plot, PLOT_SUFFIXES, "--plot")
    check_output_path(options.refit, MODEL_SUFFIXES, "--refit")
    options.sep = check_sep(options.sep)
    check_encoding(options.encoding)
    if options.data is None and options.target is not None:
        raise InputError(
            "--target names a column of DATA, but no DATA file was given; "
            "the embedded data set has its own labels."
        )
    if options.data is not None and options.target is None:
        raise InputError("--target is required with DATA: name the column of class labels.")
    options.kind = None if options.data is None else data_format(options.data)
    if options.kind == "csv":
        check_header(options.data, options.target, options.sep, options.encoding)
    if options.plot is not None:
        require_matplotlib()
    if options.refit is not None and options.refit.suffix.lower() == ".skops":
        require_skops()


def main(argv=None):
    """Run the ``skbalance`` command; return its exit code.

    This is the entry point of the ``skbalance`` console script and of
    ``python -m skbalance.cli``; calling it from Python runs the same command
    without a subprocess.

    Parameters
    ----------
    argv : list of str, default=None
        Command-line arguments without the program name; None reads
        ``sys.argv``.

    Returns
    -------
    code : int
        0 on success, 1 for bad input or a failed run, 2 for a usage error.

    See Also
    --------
    skbalance.compare.compare : The comparison that ``skbalance compare``
        runs on a data file.

    Examples
    --------
    >>> from skbalance.cli import main
    >>> main(["--version"])
    skbalance ...
    0
    """
    command = typer.main.get_command(app)
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
