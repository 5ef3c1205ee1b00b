"""Benchmark of ``skbalance.compare.compare`` against the same loop written by hand.

Run ``python -m benchmarks compare [--quick]``. Results (machine info,
median timings over interleaved repeats, and ratios measured in the same run)
are written to ``benchmarks/results/compare.json`` and an example figure of
the comparison to ``benchmarks/results/compare.png`` (``compare.quick.*``
with ``--quick``).

Data: the embedded long-tailed digits (``load_long_tailed_digits(
imbalance_ratio=100, random_state=0)``, 427 rows x 64 features, 10 classes),
the default strategies (11, ``skbalance.compare.default_strategies``), 5
stratified folds (``StratifiedKFold(5, shuffle=True, random_state=0)``, the
folds of ``compare(cv=5, random_state=0)``).

Cases, each timed for ``n_jobs=1`` and ``n_jobs=2`` (joblib's loky workers):

- ``compare(X, y, cv=5, n_jobs=n, random_state=0)`` against the same work
  written by hand: one ``sklearn.model_selection.cross_validate`` call per
  strategy on the same folds, with the same metrics (``f1_macro``,
  ``balanced_accuracy``, G-mean and the per-class recall, through
  ``make_scorer`` with the metric functions ``compare`` uses) and
  ``error_score=np.nan`` (failures captured, as ``compare`` does), then a
  DataFrame of means and standard deviations. Target: ratio <= 1.1.
  ``compare`` does more than the loop: the paired statistics against
  ``plain``, and strategies that are the same model on this data are fitted
  once (the ``aliases`` column). Also timed: the same loop with the three metrics only (no per-class
  recall), the loop most users write.
- ``compare`` with a no-op ``progress`` callback against ``progress=None``:
  what the callback costs.
- The machinery alone, ``n_jobs=1``: 11 ``DummyClassifier`` strategies (fits
  cost nothing), with and without a progress callback, 11 strategies whose
  ``fit`` raises (the failure capture), and the hand-written loop on the
  dummies, ``compare`` without statistics (``reference=None``); reported per
  (strategy, fold) task.

BLAS is limited to one thread in the calling process (``threadpoolctl``), as
joblib already does in its workers: on a shared 2-core machine a
multi-threaded BLAS on these tiny fits makes ``n_jobs=1`` runs up to 15x
slower for both sides and the timings meaningless.

``--quick`` uses 3 folds, 1 timed repeat after the warm-up and 3 repeats of
the machinery cases (a smoke run, noisier ratios).
"""

import argparse

import numpy as np
from threadpoolctl import threadpool_limits

from benchmarks import _common

NAME = "compare"
TITLE = "compare() vs the same loop written by hand"


def _hand_written(X, y, folds, strategies, n_jobs, per_class_recall=True):
    """What a user writes without compare: cross_validate per strategy."""
    import pandas as pd
    from imblearn.metrics import geometric_mean_score
    from sklearn.metrics import f1_score, make_scorer, recall_score
    from sklearn.model_selection import cross_validate

    scoring = {
        "f1_macro": make_scorer(f1_score, average="macro", zero_division=0),
        "balanced_accuracy": "balanced_accuracy",
        "gmean": make_scorer(geometric_mean_score, average="multiclass"),
    }
    if per_class_recall:
        for label in np.unique(y):
            scoring[f"recall_{label}"] = make_scorer(
                recall_score, labels=[label], average="macro", zero_division=np.nan
            )
    rows = []
    for name, estimator in strategies.items():
        scores = cross_validate(
            estimator, X, y, cv=folds, scoring=scoring, n_jobs=n_jobs, error_score=np.nan
        )
        row = {"strategy": name}
        for metric in scoring:
            values = scores[f"test_{metric}"]
            row[f"{metric}_mean"] = np.nanmean(values)
            row[f"{metric}_std"] = np.nanstd(values)
        row["fit_time_mean"] = scores["fit_time"].mean()
        rows.append(row)
    return pd.DataFrame(rows).sort_values("f1_macro_mean", ascending=False)


def _failing_classifier():
    from sklearn.base import BaseEstimator, ClassifierMixin

    class FailingClassifier(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            raise ValueError("this strategy fails")

    return FailingClassifier()


def _time_against(label, funcs, repeats):
    """Median times of named functions; print them relative to the first.

    Median wall times over ``repeats`` runs after one warm-up run of each
    (which also starts joblib's worker pool); the functions take turns, in
    reverse order every other repeat, so a change of machine load during the
    run hits all of them alike.
    """
    medians, times = _common.median_times(funcs, repeats, alternate=True)
    first = medians[next(iter(funcs))]
    parts = [f"{name} {m:6.3f}s (x{m / first:.3f})" for name, m in medians.items()]
    print(f"{label}: " + ", ".join(parts))
    return {
        name: {"seconds": round(m, 4), "ratio_to_first": round(m / first, 3), "times": times[name]}
        for name, m in medians.items()
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 folds, 1 repeat")
    args = parser.parse_args(argv)

    # workers print their own warnings (convergence, undefined metrics);
    # they are the same for both sides and not what is measured
    _common.quiet_warnings()

    from sklearn.model_selection import StratifiedKFold

    from skbalance.compare import compare, default_strategies
    from skbalance.datasets import load_long_tailed_digits

    cv = 3 if args.quick else 5
    repeats = 1 if args.quick else 3
    machinery_repeats = 3 if args.quick else repeats * 5
    X, y = load_long_tailed_digits(imbalance_ratio=100, random_state=0, return_X_y=True)
    strategies = default_strategies(random_state=0)
    folds = list(StratifiedKFold(cv, shuffle=True, random_state=0).split(X, y))
    machine = _common.machine_info()
    cases = {}
    example = None
    blas = threadpool_limits(1)
    for n_jobs in (1, 2):

        def run_compare(progress=None, n_jobs=n_jobs):
            nonlocal example
            example = compare(X, y, cv=cv, n_jobs=n_jobs, random_state=0, progress=progress)

        timings = _time_against(
            f"default strategies, n_jobs={n_jobs}",
            {
                "compare": run_compare,
                "by_hand_same_metrics": lambda n_jobs=n_jobs: _hand_written(
                    X, y, folds, strategies, n_jobs
                ),
                "by_hand_3_metrics": lambda n_jobs=n_jobs: _hand_written(
                    X, y, folds, strategies, n_jobs, per_class_recall=False
                ),
                "compare_noop_progress": lambda: run_compare(progress=lambda *args: None),
            },
            repeats,
        )
        ratio = timings["compare"]["seconds"] / timings["by_hand_same_metrics"]["seconds"]
        print(f"  ratio compare / by hand {ratio:.3f} (target <= 1.1)")
        cases[f"default_strategies_n_jobs={n_jobs}"] = {
            "n_jobs": n_jobs,
            "ratio": round(ratio, 3),
            "ratio_to_3_metrics": round(
                timings["compare"]["seconds"] / timings["by_hand_3_metrics"]["seconds"], 3
            ),
            "target_ratio": 1.1,
            "target_met": bool(ratio <= 1.1),
            "progress_over_none_ratio": round(
                timings["compare_noop_progress"]["seconds"] / timings["compare"]["seconds"], 3
            ),
            **timings,
        }

    # The machinery alone: strategies that cost nothing to fit, or that fail.
    from sklearn.dummy import DummyClassifier

    dummies = {f"dummy_{i}": DummyClassifier() for i in range(len(strategies))}
    failing = {f"failing_{i}": _failing_classifier() for i in range(len(strategies))}
    n_tasks = len(strategies) * cv
    timings = _time_against(
        f"machinery ({n_tasks} near-free tasks, n_jobs=1)",
        {
            "compare_dummies": lambda: compare(X, y, strategies=dummies, cv=folds, reference=None),
            "compare_dummies_noop_progress": lambda: compare(
                X, y, strategies=dummies, cv=folds, reference=None, progress=lambda *args: None
            ),
            "compare_all_failing": lambda: compare(
                X, y, strategies=failing, cv=folds, reference=None
            ),
            "by_hand_dummies_same_metrics": lambda: _hand_written(X, y, folds, dummies, 1),
        },
        machinery_repeats,
    )
    cases["machinery_n_jobs=1"] = {
        "n_tasks": n_tasks,
        "per_task_ms": {
            name: round(1000 * value["seconds"] / n_tasks, 3) for name, value in timings.items()
        },
        **timings,
    }

    blas.restore_original_limits()
    report = _common.header(
        NAME,
        args.quick,
        repeats=repeats,
        machinery_repeats=machinery_repeats,
        statistic="median wall time in seconds after one warm-up run",
        blas_threads_in_caller=1,
        data="load_long_tailed_digits(imbalance_ratio=100, random_state=0)",
        n_samples=int(X.shape[0]),
        n_features=int(X.shape[1]),
        class_counts=np.bincount(y).tolist(),
        n_strategies=len(strategies),
        strategies=list(strategies),
        n_folds=cv,
        reference=(
            "cross_validate per strategy on the same folds, same metrics "
            "(make_scorer), error_score=nan"
        ),
        machine=machine,
        load_average_before_after=[machine["load_average_at_start"], _common.load_average()],
        results=cases,
        example_ranking=example[["strategy", "f1_macro_mean", "f1_macro_std"]]
        .round(4)
        .to_dict(orient="records"),
    )
    _common.write_json(_common.result_path(NAME, args.quick), report)

    import matplotlib

    matplotlib.use("Agg")
    from skbalance.plotting import plot_comparison

    figure = _common.result_path(NAME, args.quick, ".png")
    plot_comparison(example).savefig(figure, dpi=110)
    print(f"wrote {figure}")
    return report


def render(result):
    """The README section of a compare result file: the ratio to the hand-written loop."""
    cases = [_common.target_case(name, "ratio", case["ratio"], case["target_ratio"],
                                 case["target_met"], result["reference"])
             for name, case in result["results"].items() if "target_ratio" in case]  # fmt: skip
    table, sentences = _common.targets(cases, result.get("quick"))
    return _common.section(NAME, TITLE, result, table, _common.conclusions(sentences))


if __name__ == "__main__":
    main()
