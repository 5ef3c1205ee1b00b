"""``skbalance compare`` once its options are checked: read, compare, report."""

from rich.console import Console
from rich.markup import escape

from ._checks import InputError
from ._data import embedded_data, quick_subset, read_data, with_notes
from ._progress import progress_reporter
from ._report import (
    aliases_line,
    failures,
    recommendation,
    report_warnings,
    results_table,
    run_metadata,
    write_results,
)


def run_compare(options):
    """Compare the strategies on the data of ``options`` and report the results."""
    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=130)
    err = Console(stderr=True, highlight=False)
    data = _load(options)
    out.print(escape(data.description()), soft_wrap=True)
    for notice in data.notices:
        out.print(f"[yellow]Note:[/] {escape(notice)}", soft_wrap=True)
    # scikit-learn and the strategies take seconds to import: only for usable data
    from . import _model

    _model.check_missing_values(data, options.estimator)
    base = _model.make_estimator(options.estimator, options.random_state)
    estimator = _model.with_encoder(base, data)
    repeats, why = _repeats(options, data.n_rows)
    out.print(
        f"Estimator: {options.estimator} = {_model.ESTIMATORS[options.estimator]}; "
        f"{options.cv}-fold stratified CV × {repeats} repeat{'s' if repeats > 1 else ''}"
        f"{why}.",
        soft_wrap=True,
    )
    with progress_reporter(err) as progress:
        (results, fold_scores), caught = _model.run_comparison(
            data,
            estimator,
            cv=options.cv,
            n_repeats=repeats,
            reference=options.reference,
            rope=options.rope,
            n_jobs=options.n_jobs,
            random_state=options.random_state,
            scheduler=options.scheduler,
            progress=progress,
            return_fold_scores=True,
        )
    report_warnings(caught, err)
    if results["error"].notna().all():
        raise InputError(
            f"every strategy failed; the first error was: {results['error'].iloc[0]}"
        )
    out.print()
    out.print(recommendation(results))
    out.print(results_table(results))
    for line in failures(results):
        out.print(f"[red]{escape(line)}[/]", soft_wrap=True)
    same = aliases_line(results)
    if same is not None:
        out.print(escape(same), soft_wrap=True)
    try:
        _write_outputs(options, (results, fold_scores), data, estimator, out, err, _model)
    except OSError as exc:
        target = exc.filename or "the output"
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None


#: Default repeats of the folds by data size: (most rows, repeats), then 1.
REPEATS_BY_ROWS = ((1000, 3), (20000, 2))


def _repeats(options, n_rows):
    """The repeats of the folds, and why (said in the output) when not given."""
    if options.repeats is not None:
        return options.repeats, ""
    if options.quick:
        return 1, " (--quick)"
    for rows, repeats in REPEATS_BY_ROWS:
        if n_rows <= rows:
            break
    else:
        repeats = 1
    rule = ", ".join(f"{n} up to {rows} rows" for rows, n in REPEATS_BY_ROWS)
    return repeats, (
        f" (by data size: {rule}, else 1; repeated folds steady the intervals of "
        "small data; --repeats sets it)"
    )


def _load(options):
    """The data to compare on, checked, with its notes."""
    if options.data is None:
        data = embedded_data(options.cv)
    else:
        data = read_data(
            options.data, options.kind, options.target, options.sep, options.encoding, options.cv
        )
    data = with_notes(data)
    return quick_subset(data, options.random_state) if options.quick else data


def _write_outputs(options, tables, data, estimator, out, err, model):
    """The files asked for: results, figure, refitted model."""
    results, fold_scores = tables
    if options.output is not None:
        run = run_metadata(
            path=options.data,
            data=data,
            estimator=options.estimator,
            cv=options.cv,
            repeats=results.attrs["n_repeats"],
            reference=results.attrs["reference"],
            rope=results.attrs["rope"],
            random_state=options.random_state,
            quick=options.quick,
        )
        write_results(results, fold_scores, options.output, run)
        out.print(escape(f"Results written to {options.output}"))
    if options.plot is not None:
        model.save_figure(results, options.plot)
        out.print(escape(f"Figure saved to {options.plot}"))
    if options.refit is not None:
        _refit(options, results, data, estimator, out, err, model)


def _members_text(members):
    """The members of the refitted model's average, in words."""
    if len(members) == 1:
        return members[0]
    return f"the average of {', '.join(members)}"


def _tuning_text(tau):
    """What the refitted model does with its decision, in words."""
    if tau == 0:
        return "decision untuned: tuning did not pay off on held-out rows"
    return f"decision tuned, prior power tau={tau:.2f}"


def _refit(options, results, data, estimator, out, err, model):
    """Fit BalancedClassifierCV on every row (the automatic choice) and save it."""
    with err.status(f"Fitting BalancedClassifierCV on all {data.n_rows} rows"):
        fitted, caught = model.refit(estimator, options.random_state, options.cv, data)
    report_warnings(caught, err)
    model.save_model(fitted, options.refit)
    loader = "skops.io.load" if options.refit.suffix.lower() == ".skops" else "joblib.load"
    out.print(
        escape(
            f"BalancedClassifierCV fitted on all {data.n_rows} rows and saved to "
            f"{options.refit} (load it with {loader}): it predicts with "
            f"{_members_text(fitted.ensemble_)} ({_tuning_text(fitted.tau_)}); the best "
            f"single strategy is {fitted.best_strategy_}."
        ),
        soft_wrap=True,
    )
