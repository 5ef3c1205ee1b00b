"""Selection benchmark (issue 8): BalancedClassifierCV against fixed strategies.

Run ``python benchmarks/bench_selection.py [--quick]`` (or ``python -m
benchmarks --only selection``). Results are written to
``benchmarks/results/selection.{json,csv}`` (``selection_quick.*`` with
``--quick``).

On the data sets of the quality benchmark (``bench_quality.py``), outer
stratified 5-fold CV (3 with ``--quick``; the folds are the first repeat of
the quality benchmark's):

- ``BalancedClassifierCV(random_state=0)``: ``search="halving"``, the default
  candidates on the standardised ``LogisticRegression``, internal 5-fold CV
  on the outer training rows; and the same with ``search="full"``;
- every fixed strategy among its candidates (``plain``, ``weight:<scheme>``,
  ``sampler:<name>``, ``router``, ``focal``, as built by
  ``skbalance.compare._default_strategies``) and the scikit-learn /
  imbalanced-learn peers on the same estimator (``class_weight="balanced"``
  and the SMOTE / RandomOverSampler / RandomUnderSampler pipelines).

Targets (issue 8), all on outer-CV macro-F1 averaged over data sets:

1. ``BalancedClassifierCV`` beats every fixed strategy (paired: on the data
   sets where that strategy runs without error);
2. it is within 0.01 of the per-data-set best fixed strategy picked in
   hindsight (max over fixed strategies of the outer-CV mean, per data set);
3. its fit time is at most 4x that of the single best fixed strategy (the
   fixed strategy with the best mean macro-F1 over data sets), as the mean
   over data sets of the per-data-set ratio of mean fit times.

Fits run two at a time (``--n-jobs``; one with ``--quick``), each on one
BLAS/OpenMP thread: the searches of two outer folds, or two fixed-strategy
fits, side by side.

For every outer fold the strategy halving picked is compared with the one
the full search picked on the same internal folds; when they differ, the
report names the candidate halving eliminated and in which round.
"""

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pandas as pd

from benchmarks import _common
from benchmarks.bench_quality import METRICS, QUICK_DATASETS, SEED, load_datasets, make_folds

NAME = "selection"
TARGET_HINDSIGHT_GAP = 0.01
TARGET_TIME_RATIO = 4.0
PEERS = (
    "LR class_weight=balanced",
    "imblearn SMOTE+LR",
    "imblearn RandomOverSampler+LR",
    "imblearn RandomUnderSampler+LR",
)


def fixed_strategies():
    """The fixed strategies: BalancedClassifierCV's candidates, then the peers."""
    from benchmarks.bench_quality import build_methods
    from skbalance.compare import _default_strategies

    strategies = dict(_default_strategies(None, SEED))
    strategies.update({name: spec["estimator"] for name, spec in build_methods(PEERS).items()})
    return strategies


def _fit_selector(search, X, y, train, test, classes, fold):
    """Fit BalancedClassifierCV on the training rows; score it on the test rows."""
    from sklearn.utils import _safe_indexing

    from skbalance import BalancedClassifierCV
    from skbalance.compare import _scores

    model = BalancedClassifierCV(search=search, random_state=SEED)
    X_train, y_train = _safe_indexing(X, train), y[train]
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_time = time.perf_counter() - start
    scores = _scores(y[test], model.predict(_safe_indexing(X, test)), classes, METRICS)
    table = model.cv_results_
    return {
        "search": search,
        "fold": fold,
        "fit_time": fit_time,
        "n_internal_fits": int(table["n_folds"].sum()),
        # what the candidates' fits took; the rest is scoring, bookkeeping, the refit
        "internal_fit_time": float((table["fit_time_mean"].fillna(0) * table["n_folds"]).sum()),
        "best_strategy": model.best_strategy_,
        **{metric: scores[metric] for metric in METRICS},
        "internal": {
            row.strategy: {
                "f1_macro": row.f1_macro_mean,
                "round": int(row.round),
                "n_folds": int(row.n_folds),
                "error": row.error,
            }
            for row in table.itertuples()
        },
    }


def evaluate_selectors(X, y, folds, classes, n_jobs=None):
    """Outer-CV results of BalancedClassifierCV, halving and full search."""
    from joblib import Parallel, delayed

    tasks = [
        delayed(_fit_selector)(search, X, y, train, test, classes, fold)
        for search in ("halving", "full")
        for fold, (train, test) in enumerate(folds)
    ]
    return Parallel(n_jobs=n_jobs)(tasks)


def halving_misses(records):
    """Outer folds where halving and the full search picked different strategies.

    Both searches use the same internal folds (same seed), so the full
    search's internal scores tell whether halving eliminated the candidate
    that would have won.
    """
    by_fold = {}
    for record in records:
        by_fold.setdefault(record["fold"], {})[record["search"]] = record
    misses = []
    for fold, pair in sorted(by_fold.items()):
        halving, full = pair["halving"], pair["full"]
        if halving["best_strategy"] == full["best_strategy"]:
            continue
        winner = full["best_strategy"]
        eliminated = halving["internal"].get(winner, {})
        misses.append(
            {
                "fold": fold,
                "halving_pick": halving["best_strategy"],
                "full_pick": winner,
                "full_pick_eliminated_in_round": eliminated.get("round"),
                "full_pick_folds_seen_by_halving": eliminated.get("n_folds"),
                "full_pick_halving_score": eliminated.get("f1_macro"),
                "internal_f1_full_pick": full["internal"][winner]["f1_macro"],
                "internal_f1_halving_pick": full["internal"][halving["best_strategy"]][
                    "f1_macro"
                ],
                "outer_f1_halving": halving["f1_macro"],
                "outer_f1_full": full["f1_macro"],
            }
        )
    return misses


def summarise(per_dataset, fixed_names):
    """Averages over data sets and the three targets of issue 8."""
    frame = pd.DataFrame(per_dataset)
    f1 = frame.pivot(index="dataset", columns="method", values="f1_macro")
    fit = frame.pivot(index="dataset", columns="method", values="fit_time")
    fixed = [name for name in fixed_names if name in f1]
    selector = "BalancedClassifierCV(halving)"
    # the single best fixed strategy: best mean over the data sets it ran on,
    # among those that ran on every data set
    complete = [name for name in fixed if f1[name].notna().all()]
    single_best = max(complete, key=lambda name: f1[name].mean())
    hindsight = f1[fixed].max(axis=1)
    hindsight_pick = f1[fixed].idxmax(axis=1)
    methods = []
    for name in [selector, "BalancedClassifierCV(full)", *fixed]:
        ran = f1[name].notna()
        methods.append(
            {
                "method": name,
                "kind": "selector" if name.startswith("BalancedClassifierCV") else "fixed",
                "f1_macro": f1[name].mean(),
                "n_datasets": int(ran.sum()),
                "n_failed": int((~ran).sum()),
                "selector_minus_this_paired": _paired_mean(f1, selector, name),
                "fit_time_ratio_to_single_best": (fit[name] / fit[single_best]).mean(),
            }
        )
    methods.sort(key=lambda row: -np.nan_to_num(row["f1_macro"], nan=-1.0))
    # a strategy that fails on every data set cannot be used: beaten
    beaten = {name: not _paired_mean(f1, selector, name) <= 0 for name in fixed}
    not_beaten = [name for name, won in beaten.items() if not won]
    selector_mean = f1[selector].mean()
    time_ratio = (fit[selector] / fit[single_best]).mean()
    targets = {
        "beats_every_fixed_strategy": {
            "met": not not_beaten,
            "not_beaten": not_beaten,
            "selector_f1_macro": selector_mean,
            "note": "paired: mean over the data sets where the fixed strategy runs",
        },
        "within_0.01_of_hindsight": {
            "met": bool(selector_mean >= hindsight.mean() - TARGET_HINDSIGHT_GAP),
            "selector_f1_macro": selector_mean,
            "hindsight_f1_macro": hindsight.mean(),
            "gap": hindsight.mean() - selector_mean,
            "target_gap": TARGET_HINDSIGHT_GAP,
        },
        "fit_time_at_most_4x_single_best": {
            "met": bool(time_ratio <= TARGET_TIME_RATIO),
            "single_best_fixed_strategy": single_best,
            "ratio": time_ratio,
            "target_ratio": TARGET_TIME_RATIO,
            "full_search_ratio": (fit["BalancedClassifierCV(full)"] / fit[single_best]).mean(),
            "internal_fits_per_search": {
                search: float(frame.loc[frame["method"] == f"BalancedClassifierCV({search})",
                                        "n_internal_fits"].mean())
                for search in ("halving", "full")
            },  # fmt: skip
            "share_of_time_in_candidate_fits": float(
                (frame.loc[frame["method"] == selector, "internal_fit_time"]
                 / frame.loc[frame["method"] == selector, "fit_time"]).mean()
            ),  # fmt: skip
            "ratio_to_hindsight_pick": float(
                np.mean([fit.loc[d, selector] / fit.loc[d, s] for d, s in hindsight_pick.items()])
            ),
        },
    }
    return methods, targets, hindsight_pick.to_dict(), hindsight.to_dict()


def _paired_mean(f1, selector, name):
    """Mean of selector - ``name`` over the data sets where ``name`` ran."""
    ran = f1[name].notna()
    return (f1.loc[ran, selector] - f1.loc[ran, name]).mean()


def run(quick=False, datasets=None, n_jobs=None, n_splits=None, output=None, csv_output=None):
    """Run the benchmark; write and return the report."""
    _common.quiet_warnings()
    from threadpoolctl import threadpool_limits

    from skbalance._validation import _encode_labels
    from skbalance.compare import _evaluate, _summarise

    started = time.perf_counter()
    n_splits = n_splits or (3 if quick else 5)
    if n_jobs is None:
        # two single-threaded fits at a time; on the small data of a quick run
        # the workers' start-up costs more than they save
        n_jobs = 1 if quick else 2
    machine = _common.machine_info()
    data = load_datasets(quick, datasets)
    fixed = fixed_strategies()
    per_dataset, details = [], {}
    limits = threadpool_limits(limits=1)  # see bench_quality: oversubscription
    for dataset, (X, y, description) in data.items():
        t0 = time.perf_counter()
        y = np.asarray(y)
        classes, codes = _encode_labels(y)
        folds = make_folds(X, y, n_splits, 1)
        fold_scores = _evaluate(fixed, X, y, folds, METRICS, n_jobs)
        summary = _summarise(fold_scores, classes).set_index("strategy")
        selectors = evaluate_selectors(X, y, folds, classes, n_jobs)
        for name in fixed:
            row = summary.loc[name]
            per_dataset.append(
                {
                    "dataset": dataset,
                    "method": name,
                    "kind": "fixed",
                    **{metric: row[f"{metric}_mean"] for metric in METRICS},
                    "fit_time": row["fit_time_mean"],
                    "error": row["error"],
                }
            )
        picks = {}
        for search in ("halving", "full"):
            records = [r for r in selectors if r["search"] == search]
            picks[search] = [r["best_strategy"] for r in records]
            per_dataset.append(
                {
                    "dataset": dataset,
                    "method": f"BalancedClassifierCV({search})",
                    "kind": "selector",
                    **{metric: float(np.mean([r[metric] for r in records])) for metric in METRICS},
                    "fit_time": float(np.mean([r["fit_time"] for r in records])),
                    "n_internal_fits": float(np.mean([r["n_internal_fits"] for r in records])),
                    "internal_fit_time": float(
                        np.mean([r["internal_fit_time"] for r in records])
                    ),
                    "error": None,
                    "picks": " ".join(picks[search]),
                }
            )
        misses = halving_misses(selectors)
        details[dataset] = {
            "description": description,
            "n_samples": int(X.shape[0]),
            "class_counts": np.bincount(codes).tolist(),
            "picks_halving": picks["halving"],
            "picks_full": picks["full"],
            "halving_misses": misses,
            "halving_rounds": [
                {name: info["round"] for name, info in r["internal"].items()}
                for r in selectors
                if r["search"] == "halving"
            ],
            "seconds": round(time.perf_counter() - t0, 1),
        }
        rows = [r for r in per_dataset if r["dataset"] == dataset]
        best_fixed = max((r for r in rows if r["kind"] == "fixed" and r["error"] is None),
                         key=lambda r: r["f1_macro"])  # fmt: skip
        print(
            f"{dataset:<22} {time.perf_counter() - t0:6.1f}s  halving "
            f"{rows[-2]['f1_macro']:.3f} full {rows[-1]['f1_macro']:.3f}  best fixed "
            f"{best_fixed['method']} {best_fixed['f1_macro']:.3f}  halving picks "
            f"{picks['halving']}, full picks {picks['full']}",
            flush=True,
        )
    limits.restore_original_limits()
    methods, targets, hindsight_pick, hindsight = summarise(per_dataset, list(fixed))
    report = _common.end_of_run_header(
        "bench_selection",
        quick,
        machine,
        started,
        settings={
            "outer_cv": f"StratifiedKFold({n_splits}, shuffle=True, random_state=0)",
            "selector": "BalancedClassifierCV(random_state=0), search 'halving' (default) "
            "and 'full'; default candidates on the standardised LogisticRegression, "
            "internal cv=5",
            "fit_time": "selector: wall time of BalancedClassifierCV.fit (internal search "
            "+ refit); fixed: the strategy's fit; both on the same outer training rows, "
            "one BLAS/OpenMP thread",
            "n_jobs": n_jobs,
        },
        targets=targets,
        summary=methods,
        hindsight_pick=hindsight_pick,
        hindsight_f1_macro=hindsight,
        datasets=details,
        results=per_dataset,
    )
    _common.write_json(output or _common.result_path(NAME, quick), report)
    _common.write_csv(
        csv_output or _common.result_path(NAME, quick, ".csv"),
        per_dataset,
        ["dataset", "method", "kind", *METRICS, "fit_time", "n_internal_fits",
         "internal_fit_time", "picks", "error"],  # fmt: skip
    )
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{len(QUICK_DATASETS)} data "
                        "sets, 3 outer folds")  # fmt: skip
    parser.add_argument("--datasets", nargs="+", default=None, help="only these data sets")
    parser.add_argument("--n-jobs", type=int, default=None, help="parallel fits (joblib); default 2, 1 with --quick")
    parser.add_argument("--folds", type=int, default=None, help="outer folds")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--csv", type=Path, default=None)
    args = parser.parse_args(argv)
    return run(args.quick, args.datasets, args.n_jobs, args.folds, args.output, args.csv)


if __name__ == "__main__":
    main()
