"""Selection benchmark (issue 8): BalancedClassifierCV against fixed strategies.

Run ``python -m benchmarks selection [--quick]``. Results are written to
``benchmarks/results/selection.{json,csv}`` (``selection.quick.*`` with
``--quick``).

On the data sets of the quality study (``benchmarks/studies/_datasets.py``),
outer stratified 5-fold CV (3 with ``--quick``; the folds are the first
repeat of the quality study's):

- ``BalancedClassifierCV(LR, search="halving", random_state=0)``, LR being
  the standardised ``LogisticRegression(max_iter=1000)`` (one model family:
  the default's two families are the ensemble study's), internal 5-fold CV
  on the outer training rows; and the same with ``search="full"``;
- every fixed strategy among its candidates (``plain``, ``weight:<scheme>``,
  ``sampler:<name>``, ``router``, ``focal``, as built by
  ``skbalance.compare.default_strategies``) and the scikit-learn /
  imbalanced-learn peers on the same estimator (``class_weight="balanced"``
  and the SMOTE / RandomOverSampler / RandomUnderSampler pipelines), all
  scored by ``skbalance.compare.compare`` on the outer folds.

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
import time

import numpy as np
import pandas as pd

from benchmarks import _common
from benchmarks.studies._datasets import (
    METRICS,
    QUICK_DATASETS,
    SEED,
    fold_metrics,
    load_datasets,
    make_folds,
)

NAME = "selection"
TITLE = "BalancedClassifierCV vs fixed strategies (issue 8)"
TARGET_HINDSIGHT_GAP = 0.01
TARGET_TIME_RATIO = 4.0
#: The targets of issue 8, as the result file names them.
TARGET_KEYS = ("beats_every_fixed_strategy", "within_0.01_of_hindsight",
               "fit_time_at_most_4x_single_best")  # fmt: skip
PEERS = (
    "LR class_weight=balanced",
    "imblearn SMOTE+LR",
    "imblearn RandomOverSampler+LR",
    "imblearn RandomUnderSampler+LR",
)


def fixed_strategies():
    """The fixed strategies: BalancedClassifierCV's candidates, then the peers."""
    from benchmarks.studies.quality import build_methods
    from skbalance.compare import default_strategies

    strategies = dict(default_strategies(random_state=SEED))
    strategies.update({name: spec["estimator"] for name, spec in build_methods(PEERS).items()})
    return strategies


def _fit_selector(search, X, y, train, test, fold):
    """Fit BalancedClassifierCV on the training rows; score it on the test rows."""
    from skbalance import BalancedClassifierCV

    from benchmarks.studies.selection_ensemble import _lr

    model = BalancedClassifierCV(_lr(), search=search, random_state=SEED)
    start = time.perf_counter()
    model.fit(X[train], y[train])
    fit_time = time.perf_counter() - start
    scores = fold_metrics(y[test], model.predict(X[test]))
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


def evaluate_selectors(X, y, folds, n_jobs=None):
    """Outer-CV results of BalancedClassifierCV, halving and full search."""
    from joblib import Parallel, delayed

    tasks = [
        delayed(_fit_selector)(search, X, y, train, test, fold)
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


def run(quick=False, datasets=None, n_jobs=None, n_splits=None):
    """Run the study; write and return the report."""
    _common.quiet_warnings()
    from threadpoolctl import threadpool_limits

    from skbalance.compare import compare

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
    limits = threadpool_limits(limits=1)  # see the quality study: oversubscription
    for dataset, (X, y, description) in data.items():
        t0 = time.perf_counter()
        y = np.asarray(y)
        folds = make_folds(X, y, n_splits, 1)
        results = compare(X, y, strategies=fixed, cv=folds, scoring=METRICS, n_jobs=n_jobs)
        summary = results.set_index("strategy")
        selectors = evaluate_selectors(X, y, folds, n_jobs)
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
            "class_counts": results.attrs["class_counts"],
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
        NAME,
        quick,
        machine,
        started,
        settings={
            "outer_cv": f"StratifiedKFold({n_splits}, shuffle=True, random_state=0)",
            "selector": "BalancedClassifierCV(make_pipeline(StandardScaler(), "
            "LogisticRegression(max_iter=1000)), random_state=0), search 'halving' and "
            "'full'; internal cv=5",
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
    _common.write_json(_common.result_path(NAME, quick), report)
    _common.write_csv(
        _common.result_path(NAME, quick, ".csv"),
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
    parser.add_argument("--n-jobs", type=int, default=None,
                        help="parallel fits (joblib); default 2, 1 with --quick")  # fmt: skip
    parser.add_argument("--folds", type=int, default=None, help="outer folds")
    args = parser.parse_args(argv)
    return run(args.quick, args.datasets, args.n_jobs, args.folds)


# --------------------------------------------------------------------------
# README section


def render(result):
    """The README section of a selection result file."""
    targets, summary, details = result["targets"], result["summary"], result["datasets"]
    settings = result["settings"]
    return _common.section(
        NAME,
        TITLE,
        result,
        f"{len(details)} data sets (those of the quality benchmark); "
        f"{settings['outer_cv']} outer CV; {settings['selector']}.",
        _target_table(targets),
        _method_table(summary),
        _common.conclusions(
            [*_target_sentences(targets, summary, details), *_halving_sentences(result)]
        ),
    )


def _target_table(targets):
    fmt = _common.fmt
    beat, near, cost = (targets[key] for key in TARGET_KEYS)
    return _common.table(
        ["target (issue 8)", "measured", "met"],
        [
            ["mean macro-F1 beats every fixed strategy (paired over the data sets it runs on)",
             f"{fmt(beat['selector_f1_macro'])}; not beaten: "
             + (", ".join(f"`{n}`" for n in beat["not_beaten"]) or "none"), fmt(beat["met"])],
            ["within 0.01 of the per-data-set best fixed strategy in hindsight",
             f"{fmt(near['selector_f1_macro'])} vs {fmt(near['hindsight_f1_macro'])} "
             f"(gap {fmt(near['gap'])})", fmt(near["met"])],
            [f"fit time ≤ {cost['target_ratio']:g}× the single best fixed strategy "
             f"(`{cost['single_best_fixed_strategy']}`)",
             f"{fmt(cost['ratio'], 1)}× (full search {fmt(cost['full_search_ratio'], 1)}×; "
             f"vs the hindsight pick {fmt(cost['ratio_to_hindsight_pick'], 1)}×)",
             fmt(cost["met"])],
        ],
    )  # fmt: skip


def _method_table(summary):
    fmt = _common.fmt
    return _common.table(
        ["strategy", "kind", "mean macro-F1", "selector − this (paired)",
         "fit time × single best", "failed on"],
        [[f"`{r['method']}`", r["kind"], fmt(r["f1_macro"]),
          fmt(r["selector_minus_this_paired"]), fmt(r["fit_time_ratio_to_single_best"], 2),
          f"{r['n_failed']}/{r['n_datasets'] + r['n_failed']}"]
         for r in summary],
    )  # fmt: skip


def _target_sentences(targets, summary, details):
    fmt = _common.fmt
    beat, near, cost = (targets[key] for key in TARGET_KEYS)
    best = cost["single_best_fixed_strategy"]
    single_best = next(r["f1_macro"] for r in summary if r["method"] == best)
    n_candidates = len(next(iter(details.values()))["halving_rounds"][0])
    return [
        f"Targets met: {sum(t['met'] for t in targets.values())} of {len(targets)}.",
        f"`BalancedClassifierCV` (halving) mean macro-F1 {fmt(beat['selector_f1_macro'])} "
        f"against {fmt(near['hindsight_f1_macro'])} for the best fixed strategy picked in "
        f"hindsight per data set and {fmt(single_best)} for the single best fixed strategy "
        f"`{best}`.",
        _agreement_sentence(details),
        f"Cost: an internal {n_candidates}-candidate search is {fmt(cost['ratio'], 1)}× one "
        f"fit of `{best}` with halving and {fmt(cost['full_search_ratio'], 1)}× with the full "
        "search." + _cost_breakdown(cost),
    ]


def _agreement_sentence(details):
    n_folds = sum(len(d["picks_halving"]) for d in details.values())
    misses = [m for d in details.values() for m in d["halving_misses"]]
    sentence = (f"Halving picked the same strategy as the full search on "
                f"{n_folds - len(misses)} of {n_folds} outer folds")  # fmt: skip
    if not misses:
        return sentence + "."
    loss = sum(m["outer_f1_full"] - m["outer_f1_halving"] for m in misses)
    return (
        f"{sentence}; where they differ, the outer macro-F1 of halving's pick minus that of "
        f"the full search's pick is {-loss / len(misses):+.3f} on average (so halving's early "
        f"eliminations {'cost' if loss > 0 else 'did not cost'} outer-CV quality)."
    )


def _cost_breakdown(cost):
    """Why the selection costs what it costs, when the result file says."""
    fits = cost.get("internal_fits_per_search")
    if not fits:
        return ""
    share = cost.get("share_of_time_in_candidate_fits")
    return (
        f" Halving makes {fits['halving']:.0f} internal fits (the full search "
        f"{fits['full']:.0f}), each on 4/5 of the training rows, plus the refit: even at no "
        f"other cost that is ≈{0.8 * fits['halving'] + 1:.0f}× one fit when the candidates "
        "cost alike, so the 4× target cannot be met by sequential internal CV"
        + (
            f"; {100 * share:.0f}% of its time is spent in the candidates' fits, the rest in "
            "scoring every internal fold, bookkeeping and the refit."
            if share is not None and share == share
            else "."
        )
    )


def _counts(items):
    """``{item: count}``, most frequent first."""
    counts = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def _halving_sentences(result):
    """What halving eliminated, which candidates it kept, and the hindsight picks."""
    details, by_method = result["datasets"], {r["method"]: r for r in result["summary"]}
    out = []
    misses = [m for d in details.values() for m in d["halving_misses"]]
    eliminated = {}
    for m in misses:
        rounds = eliminated.setdefault(m["full_pick"], {})
        round_ = m["full_pick_eliminated_in_round"]
        rounds[round_] = rounds.get(round_, 0) + 1
    if eliminated:
        out.append(
            "Candidates halving eliminated although the full search picked them: "
            + ", ".join(f"`{name}` {sum(rounds.values())}× ("
                        + ", ".join(f"{n} in round {r}" for r, n in sorted(rounds.items())) + ")"
                        for name, rounds in sorted(eliminated.items(),
                                                   key=lambda kv: -sum(kv[1].values())))
            + "."
        )  # fmt: skip
    halving_f1 = by_method["BalancedClassifierCV(halving)"]["f1_macro"]
    full_f1 = by_method["BalancedClassifierCV(full)"]["f1_macro"]
    out.append(
        f"The full search scores {full_f1:.4f} against {halving_f1:.4f} for halving"
        + (": the gap to the hindsight choice comes from choosing by internal CV on the "
           "training rows (noisy on small classes), not from halving's early eliminations."
           if abs(full_f1 - halving_f1) < 0.005 else ".")
    )  # fmt: skip
    out += _round_sentences(details, result["results"])
    out.append("Best fixed strategy in hindsight, by data set: "
               + ", ".join(f"`{k}` {v}×" for k, v in _counts(
                   result["hindsight_pick"].values()).items()) + ".")  # fmt: skip
    return out


def _round_sentences(details, results):
    """How far each candidate got in the halving searches."""
    final, first_out, n_fits = {}, {}, 0
    for info in details.values():
        for rounds in info["halving_rounds"]:
            n_fits += 1
            last = max(rounds.values())
            for candidate, round_ in rounds.items():
                final[candidate] = final.get(candidate, 0) + (round_ == last)
                first_out[candidate] = first_out.get(candidate, 0) + (round_ == 0 < last)

    def ranked(counts):
        return ", ".join(f"`{k}` {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))

    return [
        f"In the {n_fits} halving searches, candidates reached the last round: {ranked(final)}"
        f"; were dropped after the first round (one internal fold): {ranked(first_out)}.",
        *_identical_candidates(results, final, first_out),
    ]


def _identical_candidates(results, final, first_out):
    """Candidates with the same outer scores everywhere, and how halving treated them."""
    scores = {}
    for row in results:
        if row["kind"] == "fixed" and row["method"] in final:
            scores.setdefault(row["method"], []).append(row["f1_macro"])
    names, out = list(scores), []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if all(x == y for x, y in zip(scores[a], scores[b])) and final[a] != final[b]:
                out.append(
                    f"`{a}` and `{b}` have the same outer-CV macro-F1 on every data set (the "
                    f"same model), yet reached halving's last round {final[a]} and {final[b]} "
                    f"times and were dropped first {first_out[a]} and {first_out[b]} times: "
                    "ties are broken by the order of the candidates."
                )
    return out


if __name__ == "__main__":
    main()
