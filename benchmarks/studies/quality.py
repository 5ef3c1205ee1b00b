"""Quality study: skbalance's strategies against the tools users pick today.

Run ``python -m benchmarks quality [--quick]``. Results are written to
``benchmarks/results/quality.{json,csv}`` (``quality.quick.*`` with
``--quick``). The data sets are those of ``benchmarks/studies/_datasets.py``.

Methods, all cross-validated on the same folds (stratified 5-fold repeated
twice; with ``--quick``, 3-fold once on two small data sets, forests of 50
trees and an EasyEnsemble of 5) by ``skbalance.compare.compare`` with
explicit folds, which records a method that raises on a fold with its error,
as a user would meet it. Fits run two at a time (``--n-jobs``; one with
``--quick``), each on one BLAS/OpenMP thread, so a fit-time ratio compares
fits made under the same conditions:

- peers, the way users do it today: ``LogisticRegression`` (standardised)
  plain and with ``class_weight="balanced"``; imbalanced-learn pipelines
  ``make_pipeline(StandardScaler(), SMOTE | RandomOverSampler |
  RandomUnderSampler, LogisticRegression)``; ``RandomForestClassifier``
  plain and balanced; imbalanced-learn's ``BalancedRandomForestClassifier``
  and ``EasyEnsembleClassifier``; ``HistGradientBoostingClassifier(
  class_weight="balanced")``;
- skbalance on the same base estimators: the strategies of
  ``skbalance.compare.default_strategies`` on the standardised
  ``LogisticRegression`` (``BalancedClassifier`` with each weighting scheme,
  with random over/under-sampling and SMOTE, ``SmallClassRouter``,
  ``FocalLossClassifier``), ``BalancedClassifierCV()`` (its default: the
  strategies of a standardised LR and of a 100-tree random forest), and
  ``BalancedClassifier`` / SMOTE / ``SmallClassRouter`` on the random forest.

Reported per data set and averaged over data sets: macro-F1, balanced
accuracy, G-mean (imbalanced-learn's, over the classes of each test fold),
the rank by macro-F1 (a method that fails on a data set takes the last rank
there), the fit-time ratio to the plain estimator of its family (the
standardised ``LogisticRegression`` for linear methods, the plain random
forest for tree ensembles) measured on the same folds in the same run
(averaged over data sets as a geometric mean), and the failures.
"""

import argparse
import time

import numpy as np
import pandas as pd

from benchmarks import _common
from benchmarks.studies._datasets import METRICS, SEED, load_datasets, make_folds

NAME = "quality"
TITLE = "macro-F1 / balanced accuracy / G-mean vs today's tools"
#: The plain estimator of each family, the reference of the fit-time ratios.
REFERENCE = {"lr": "LR", "rf": "RF"}
#: skbalance's counterpart of a peer, for the failure comparison.
COUNTERPARTS = {
    "imblearn SMOTE+LR": "skb LR sampler:smote",
    "imblearn RandomOverSampler+LR": "skb LR sampler:random_over",
    "imblearn RandomUnderSampler+LR": "skb LR sampler:random_under",
}
#: skbalance methods that give the same weights as a peer.
SAME_WEIGHTS = {"skb LR weight:balanced": "LR class_weight=balanced",
                "skb RF weight:balanced": "RF class_weight=balanced"}  # fmt: skip


def build_methods(names=None, n_estimators=100, n_ensemble=10):
    """The compared methods, by name: ``{"estimator", "library", "family"}``.

    ``family`` is the plain estimator the fit-time ratio refers to:
    ``"lr"`` (standardised LogisticRegression) or ``"rf"`` (random forest).
    """
    from imblearn.ensemble import BalancedRandomForestClassifier, EasyEnsembleClassifier
    from imblearn.over_sampling import SMOTE, RandomOverSampler
    from imblearn.pipeline import make_pipeline as imb_pipeline
    from imblearn.under_sampling import RandomUnderSampler
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skbalance import BalancedClassifier, BalancedClassifierCV, SmallClassRouter
    from skbalance.compare import default_strategies

    def lr(**params):
        return LogisticRegression(max_iter=1000, **params)

    def rf(**params):
        return RandomForestClassifier(n_estimators=n_estimators, random_state=SEED, **params)

    methods = {}

    def add(name, estimator, library, family):
        methods[name] = {"estimator": estimator, "library": library, "family": family}

    add("LR", make_pipeline(StandardScaler(), lr()), "scikit-learn", "lr")
    add("LR class_weight=balanced", make_pipeline(StandardScaler(), lr(class_weight="balanced")),
        "scikit-learn", "lr")  # fmt: skip
    for label, sampler in (
        ("SMOTE", SMOTE(random_state=SEED)),
        ("RandomOverSampler", RandomOverSampler(random_state=SEED)),
        ("RandomUnderSampler", RandomUnderSampler(random_state=SEED)),
    ):
        add(f"imblearn {label}+LR", imb_pipeline(StandardScaler(), sampler, lr()),
            "imbalanced-learn", "lr")  # fmt: skip
    linear = default_strategies(make_pipeline(StandardScaler(), lr()), random_state=SEED)
    for strategy, estimator in linear.items():
        if strategy != "plain":  # the same model as "LR"
            add(f"skb LR {strategy}", estimator, "skbalance", "lr")
    add("skb BalancedClassifierCV", BalancedClassifierCV(random_state=SEED), "skbalance", "lr")

    add("RF", rf(), "scikit-learn", "rf")
    add("RF class_weight=balanced", rf(class_weight="balanced"), "scikit-learn", "rf")
    add("imblearn BalancedRandomForest",
        BalancedRandomForestClassifier(n_estimators=n_estimators, random_state=SEED),
        "imbalanced-learn", "rf")  # fmt: skip
    add("imblearn EasyEnsemble", EasyEnsembleClassifier(n_ensemble, random_state=SEED),
        "imbalanced-learn", "rf")  # fmt: skip
    add("HGB class_weight=balanced",
        HistGradientBoostingClassifier(class_weight="balanced", random_state=SEED),
        "scikit-learn", "rf")  # fmt: skip
    add("skb RF weight:balanced", BalancedClassifier(rf(), random_state=SEED), "skbalance", "rf")
    add("skb RF sampler:smote",
        BalancedClassifier(rf(), weighting=None, sampler=SMOTE(random_state=SEED),
                           random_state=SEED),
        "skbalance", "rf")  # fmt: skip
    add("skb RF router",
        SmallClassRouter(BalancedClassifier(rf(), random_state=SEED),
                         BalancedClassifier(rf(), random_state=SEED)),
        "skbalance", "rf")  # fmt: skip
    if names is not None:
        unknown = sorted(set(names) - set(methods))
        if unknown:
            raise ValueError(f"Unknown methods {unknown}; choose among {list(methods)}.")
        methods = {name: methods[name] for name in names}
    return methods


def evaluate_dataset(X, y, methods, folds, n_jobs=None):
    """``compare`` of every method on the same folds: the summary and the per-fold table."""
    from skbalance.compare import compare

    strategies = {name: spec["estimator"] for name, spec in methods.items()}
    return compare(X, y, strategies=strategies, cv=folds, scoring=METRICS, n_jobs=n_jobs,
                   reference=None, return_fold_scores=True)  # fmt: skip


def _fit_time_ratio(fit_times, name, reference, failed):
    """Mean fit time of ``name`` over that of ``reference``, on the folds both ran."""
    if name == reference:
        return 1.0
    if failed or reference not in fit_times:
        return np.nan
    both = fit_times[[name, reference]].dropna()
    return both[name].mean() / both[reference].mean() if len(both) else np.nan


def summarise_dataset(dataset, results, fold_scores, methods):
    """One row per method for one data set, with rank and fit-time ratio."""
    summary = results.set_index("strategy")
    # a fold whose fit failed has no time; the ratio uses the folds both ran
    fit_times = fold_scores.pivot(index=["repeat", "fold"], columns="strategy",
                                  values="fit_time")  # fmt: skip
    scores = summary["f1_macro_mean"].reindex(list(methods)).fillna(-np.inf)
    # failures rank last (tied); ties share the mean of their ranks
    ranks = scores.rank(ascending=False, method="average")
    best = scores.max()
    rows = []
    for name, spec in methods.items():
        row = summary.loc[name]
        reference = REFERENCE[spec["family"]]
        errors = fold_scores.loc[fold_scores["strategy"] == name, "error"]
        rows.append(
            {
                "dataset": dataset,
                "method": name,
                "library": spec["library"],
                "family": spec["family"],
                **{
                    f"{metric}_{stat}": row[f"{metric}_{stat}"]
                    for metric in METRICS
                    for stat in ("mean", "std")
                },
                "rank": float(ranks[name]),
                "best": bool(np.isfinite(best) and scores[name] >= best - 1e-12),
                "fit_time_mean": row["fit_time_mean"],
                "fit_time_ratio": _fit_time_ratio(fit_times, name, reference,
                                                  row["error"] is not None),  # fmt: skip
                "fit_time_reference": reference,
                "failed_folds": int(errors.notna().sum()),
                "error": row["error"],
            }
        )
    return rows


def aggregate(rows, methods):
    """Averages over data sets, one row per method, best mean rank first."""
    frame = pd.DataFrame(rows)
    n_datasets = frame["dataset"].nunique()
    out = []
    for name, spec in methods.items():
        own = frame[frame["method"] == name]
        ok = own[own["error"].isna()]
        failed = own[own["error"].notna()]
        out.append(
            {
                "method": name,
                "library": spec["library"],
                "family": spec["family"],
                "f1_macro": ok["f1_macro_mean"].mean(),
                "balanced_accuracy": ok["balanced_accuracy_mean"].mean(),
                "gmean": ok["gmean_mean"].mean(),
                "mean_rank": own["rank"].mean(),
                "wins": int(own["best"].sum()),
                "fit_time_ratio": _common.geometric_mean(ok["fit_time_ratio"].tolist()),
                "fit_time_reference": REFERENCE[spec["family"]],
                "n_datasets": int(n_datasets),
                "n_failed": int(len(failed)),
                "failed_on": "; ".join(failed["dataset"]),
                "first_error": failed["error"].iloc[0] if len(failed) else None,
            }
        )
    out = pd.DataFrame(out).sort_values(["mean_rank", "f1_macro"], ascending=[True, False])
    return out.to_dict(orient="records")


def _settings(n_splits, n_repeats, n_jobs, n_estimators, n_ensemble):
    return {
        "cv": f"StratifiedKFold({n_splits}, shuffle=True, random_state=r) for r in "
        f"range({n_repeats}); the same folds for every method",
        "n_jobs": n_jobs,
        "metrics": "per test fold over the classes it contains (skbalance.compare)",
        "rank": "by mean macro-F1 per data set, 1 = best, ties share the mean rank; "
        "a failed method ranks last; wins: data sets where it has the best macro-F1 "
        "(ties included)",
        "fit_time_ratio": "mean fit time over the folds / that of the plain estimator "
        "of its family (LR or RF) on the same folds; geometric mean over data sets",
        "random_forest_n_estimators": n_estimators,
        "easy_ensemble_n_estimators": n_ensemble,
        "threads": "1 BLAS/OpenMP thread per fit (threadpoolctl)",
    }


def run(quick=False, datasets=None, methods=None, n_jobs=None, n_splits=None, n_repeats=None,
        n_estimators=None):  # fmt: skip
    """Run the study; write and return the report."""
    _common.quiet_warnings()
    from threadpoolctl import threadpool_limits

    started = time.perf_counter()
    n_splits = n_splits or (3 if quick else 5)
    # two single-threaded fits at a time; on the small data of a quick run
    # the workers' start-up costs more than they save
    n_jobs = n_jobs or (1 if quick else 2)
    n_repeats = n_repeats or (1 if quick else 2)
    n_estimators = n_estimators or (50 if quick else 100)
    n_ensemble = 5 if quick else 10
    specs = build_methods(methods, n_estimators=n_estimators, n_ensemble=n_ensemble)
    machine = _common.machine_info()
    rows, data_info = [], {}
    # one BLAS/OpenMP thread per fit: on a shared machine, thread pools
    # oversubscribed by other processes slow some fits 10-100x at random
    # (joblib's workers get the same limit from joblib itself)
    with threadpool_limits(limits=1):
        for dataset, (X, y, description) in load_datasets(quick, datasets).items():
            t0 = time.perf_counter()
            results, fold_scores = evaluate_dataset(
                X, y, specs, make_folds(X, y, n_splits, n_repeats), n_jobs
            )
            rows.extend(summarise_dataset(dataset, results, fold_scores, specs))
            data_info[dataset] = {
                "description": description,
                "n_samples": int(X.shape[0]),
                "n_features": int(X.shape[1]),
                "class_counts": results.attrs["class_counts"],
                "seconds": round(time.perf_counter() - t0, 1),
            }
            print(f"{dataset:<22} {X.shape[0]:>5} rows: {time.perf_counter() - t0:6.1f}s, "
                  f"best {results['strategy'].iloc[0]}", flush=True)  # fmt: skip
    report = _common.end_of_run_header(
        NAME,
        quick,
        machine,
        started,
        settings=_settings(n_splits, n_repeats, n_jobs, n_estimators, n_ensemble),
        methods={
            name: {**{key: spec[key] for key in ("library", "family")},
                   "estimator": repr(spec["estimator"])}
            for name, spec in specs.items()
        },  # fmt: skip
        datasets=data_info,
        summary=aggregate(rows, specs),
        results=rows,
    )
    _common.write_json(_common.result_path(NAME, quick), report)
    _common.write_csv(_common.result_path(NAME, quick, ".csv"), rows)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 small data sets, 3 folds")
    parser.add_argument("--datasets", nargs="+", default=None, help="only these data sets")
    parser.add_argument("--methods", nargs="+", default=None, help="only these methods")
    parser.add_argument("--n-jobs", type=int, default=None,
                        help="parallel fits (joblib); default 2, 1 with --quick")  # fmt: skip
    parser.add_argument("--folds", type=int, default=None, help="folds per repeat")
    parser.add_argument("--repeats", type=int, default=None, help="repeats of the CV")
    parser.add_argument("--list", action="store_true", help="list data sets and methods")
    args = parser.parse_args(argv)
    if args.list:
        print("data sets:", *load_datasets(False), sep="\n  ")
        print("methods:", *build_methods(), sep="\n  ")
        return None
    return run(args.quick, args.datasets, args.methods, args.n_jobs, args.folds, args.repeats)


# --------------------------------------------------------------------------
# README section


def render(result):
    """The README section of a quality result file."""
    summary, datasets = result["summary"], result["datasets"]
    by_dataset = {}
    for row in result["results"]:
        by_dataset.setdefault(row["dataset"], []).append(row)
    settings = result["settings"]
    return _common.section(
        NAME,
        TITLE,
        result,
        f"{len(datasets)} data sets; {settings['cv']}. Macro-F1, balanced accuracy and "
        "G-mean are means over data sets (of the means over folds) where the method ran; "
        f"mean rank is by macro-F1 ({settings['rank']}); fit time × plain is "
        f"{settings['fit_time_ratio']}.",
        _method_table(summary),
        "<details><summary>Per data set (macro-F1)</summary>\n\n"
        + _dataset_table(by_dataset, datasets) + "\n\n</details>",
        _common.conclusions(_conclusions(summary, by_dataset)),
    )


def _method_table(summary):
    fmt = _common.fmt
    return _common.table(
        ["method", "library", "macro-F1", "balanced acc.", "G-mean", "mean rank", "wins",
         "fit time × plain", "failed on"],
        [[f"`{r['method']}`", r["library"], fmt(r["f1_macro"]), fmt(r["balanced_accuracy"]),
          fmt(r["gmean"]), fmt(r["mean_rank"], 1), r["wins"],
          f"{fmt(r['fit_time_ratio'], 2)} ({r['fit_time_reference']})",
          f"{r['n_failed']}/{r['n_datasets']}"]
         for r in summary],
    )  # fmt: skip


def _finite(value):
    return isinstance(value, (int, float)) and np.isfinite(value)


def _ran(group):
    """The rows of one data set whose method ran without error."""
    return [r for r in group if r["error"] is None and _finite(r["f1_macro_mean"])]


def _best(rows):
    return max(rows, key=lambda r: r["f1_macro_mean"])


def _dataset_table(by_dataset, datasets):
    fmt = _common.fmt
    rows = []
    for name, group in by_dataset.items():
        ok = _ran(group)
        best = _best(ok)
        peer = _best([r for r in ok if r["library"] != "skbalance"])
        ours = _best([r for r in ok if r["library"] == "skbalance"])
        plain = next((r for r in group if r["method"] == "LR"), None)
        counts = datasets[name]["class_counts"]
        rows.append(
            [name, datasets[name]["n_samples"], f"{len(counts)} ({max(counts)}…{min(counts)})",
             f"`{best['method']}` {fmt(best['f1_macro_mean'])}",
             f"`{peer['method']}` {fmt(peer['f1_macro_mean'])}",
             f"`{ours['method']}` {fmt(ours['f1_macro_mean'])}",
             fmt(plain and plain["f1_macro_mean"])]
        )  # fmt: skip
    return _common.table(["data set", "rows", "classes (largest…smallest)", "best",
                          "best peer", "best skbalance", "plain LR"], rows)  # fmt: skip


def _conclusions(summary, by_dataset):
    """Sentences computed from the results, including where skbalance loses."""
    by_name = {r["method"]: r for r in summary}
    return [
        *_ranking_sentences(summary),
        _per_dataset_sentence(by_dataset),
        *_same_weights_sentences(by_name, by_dataset),
        *_linear_sentence(summary, by_name),
        "Most data sets won (best macro-F1, ties included): "
        + ", ".join(f"`{r['method']}` {r['wins']}"
                    for r in sorted(summary, key=lambda r: -r["wins"])[:3]) + ".",
        *_failure_sentences(summary, by_name, by_dataset),
        *_selector_sentence(by_name),
    ]  # fmt: skip


def _ranking_sentences(summary):
    fmt = _common.fmt
    top = summary[0]
    ours = next(r for r in summary if r["library"] == "skbalance")
    peer = next(r for r in summary if r["library"] != "skbalance")
    return [
        f"Best mean rank: `{top['method']}` ({top['library']}), mean rank "
        f"{fmt(top['mean_rank'], 1)}, macro-F1 {fmt(top['f1_macro'])}.",
        f"Best skbalance method by mean rank: `{ours['method']}` (rank "
        f"{fmt(ours['mean_rank'], 1)}, macro-F1 {fmt(ours['f1_macro'])}); best peer: "
        f"`{peer['method']}` (rank {fmt(peer['mean_rank'], 1)}, macro-F1 "
        f"{fmt(peer['f1_macro'])}).",
    ]


def _per_dataset_sentence(by_dataset):
    wins, losses, ties = 0, [], 0
    for name, group in by_dataset.items():
        ok = _ran(group)
        ours = max(r["f1_macro_mean"] for r in ok if r["library"] == "skbalance")
        peer = _best([r for r in ok if r["library"] != "skbalance"])
        if ours > peer["f1_macro_mean"] + 1e-9:
            wins += 1
        elif peer["f1_macro_mean"] > ours + 1e-9:
            losses.append(f"{name} (`{peer['method']}` by {peer['f1_macro_mean'] - ours:.3f})")
        else:
            ties += 1
    return (
        f"Per data set, the best skbalance method beats every peer on {wins} of "
        f"{len(by_dataset)} data sets and ties the best peer on {ties}; a peer is better on "
        f"{len(losses)}" + (": " + "; ".join(losses) + "." if losses else ".")
    )


def _paired(by_dataset, first, second, ok):
    """``(first's row, second's row)`` of every data set where ``ok`` holds for both."""
    pairs = []
    for group in by_dataset.values():
        rows = {r["method"]: r for r in group}
        if first in rows and second in rows and ok(rows[first]) and ok(rows[second]):
            pairs.append((rows[first], rows[second]))
    return pairs


def _same_weights_sentences(by_name, by_dataset):
    fmt = _common.fmt
    out = []
    for ours, theirs in SAME_WEIGHTS.items():
        if ours in by_name and theirs in by_name:
            pairs = _paired(by_dataset, ours, theirs, lambda r: _finite(r["f1_macro_mean"]))
            gap = max(abs(a["f1_macro_mean"] - b["f1_macro_mean"]) for a, b in pairs)
            out.append(
                f"`{ours}` reproduces `{theirs}` (same weights): largest macro-F1 "
                f"difference over data sets {gap:.4f}; fit time × plain "
                f"{fmt(by_name[ours]['fit_time_ratio'], 2)} vs "
                f"{fmt(by_name[theirs]['fit_time_ratio'], 2)}."
            )
    return out


def _linear_sentence(summary, by_name):
    if "LR" not in by_name:
        return []
    plain = by_name["LR"]
    linear = [r for r in summary if r["family"] == "lr" and _finite(r["f1_macro"])]
    better = [r for r in linear if r["f1_macro"] > plain["f1_macro"]]
    worse = [r for r in linear if r["library"] == "skbalance" and r["f1_macro"] < plain["f1_macro"]]
    named = ", ".join(
        f"`{r['method']}` ({r['f1_macro']:.4f}; balanced accuracy "
        f"{_common.fmt(r['balanced_accuracy'])} vs {_common.fmt(plain['balanced_accuracy'])})"
        for r in worse
    )
    return [
        f"On the linear model, {len(better)} of {len(linear) - 1} strategies beat plain `LR` "
        f"on mean macro-F1 ({plain['f1_macro']:.4f}); skbalance strategies with a lower "
        f"mean macro-F1 than doing nothing: {named or 'none'}. Re-weighting towards balanced "
        "recall does not always pay in macro-F1, which also counts the precision lost on the "
        "frequent classes."
    ]


def _failure_sentences(summary, by_name, by_dataset):
    failed = [r for r in summary if r["n_failed"]]
    if not failed:
        return []
    out = [
        "Failures (an exception on at least one fold, as a user would meet it): "
        + "; ".join(f"`{r['method']}` on {r['n_failed']}/{r['n_datasets']} data sets "
                    f"(`{_common.short(r['first_error'], 70)}`)" for r in failed)
        + ". skbalance strategies failed on "
        + str(sum(r["n_failed"] for r in summary if r["library"] == "skbalance"))
        + " (method, data set) pairs. The averages of a method with failures are over the "
        "data sets it ran on (the easier ones), so compare its mean rank, not its means."
    ]  # fmt: skip
    n = len(by_dataset)
    for theirs, ours in COUNTERPARTS.items():
        if theirs in by_name and ours in by_name and by_name[theirs]["n_failed"]:
            pairs = _paired(by_dataset, ours, theirs, lambda r: r["error"] is None)
            if pairs:
                mine, peer = (np.mean([p[i]["f1_macro_mean"] for p in pairs]) for i in (0, 1))
                out.append(
                    f"`{ours}` ran on {n - by_name[ours]['n_failed']}/{n} data sets where "
                    f"`{theirs}` ran on {len(pairs)}; on those {len(pairs)}, macro-F1 "
                    f"{mine:.3f} vs {peer:.3f}."
                )
    return out


def _selector_sentence(by_name):
    cv = by_name.get("skb BalancedClassifierCV")
    if not cv:
        return []
    return [
        f"`BalancedClassifierCV` costs {_common.fmt(cv['fit_time_ratio'], 1)}× the plain LR "
        f"fit for mean rank {_common.fmt(cv['mean_rank'], 1)}; its default holds a 100-tree "
        "forest family too (see the selection_ensemble benchmark)."
    ]


if __name__ == "__main__":
    main()
