"""Ensemble study (issue 19): BalancedClassifierCV's average, tuned decision and families.

Run ``python -m benchmarks selection_ensemble [--quick]``. Results are
written to ``benchmarks/results/selection_ensemble.json``
(``selection_ensemble.quick.json`` with ``--quick``).

On the sixteen data sets of the quality study
(``benchmarks/studies/_datasets.py``: ten real, six synthetic), outer
stratified 3-fold CV (2 folds on two data sets with ``--quick``), the same
folds for every method; every fit on the outer training rows, scored on the
outer test rows:

(a) ``BalancedClassifierCV(random_state=0)``: the default, two families
    (standardised logistic regression and a 100-tree random forest), the
    average of the candidates at least as good as the reference and the
    decision tuning on; the same with ``ensemble=False, tune_decision=False``
    (the evidence choice alone: the ablation); and each family alone,
    ``BalancedClassifierCV(LR)`` and ``BalancedClassifierCV(rf)``;
(b) every fixed strategy of ``skbalance.compare.default_strategies`` on each
    family (``LR/plain`` is the plain standardised LR, ``RF/plain`` the
    plain forest), ``class_weight="balanced"`` on the forest and
    imbalanced-learn's ``RandomOverSampler`` + forest, scored by
    ``skbalance.compare.compare`` on the outer folds.

Targets (issue 19), macro-F1 averaged over data sets, paired:

1. ``BalancedClassifierCV()`` ≥ the single best fixed strategy of (b) (the
   best mean over every fixed strategy of both families, picked after the
   fact) + 0.01;
2. ``BalancedClassifierCV()`` never more than 0.01 below ``LR/plain`` (its
   reference) on a data set;
3. ``BalancedClassifierCV(rf)`` ≥ ``RandomOverSampler`` + forest + 0.01;
4. each selector's fit time ≤ 8× one fit of its best single candidate
   (``best_strategy_``, built by ``default_strategies`` and fitted on the
   same outer training rows, timed right after the selector); the ratio to
   one fit of its costliest family's ``plain`` candidate (the forest, in the
   default) is reported beside it;
5. no failed fit.

Everything runs on one BLAS/OpenMP thread; ``--n-jobs`` runs that many
(selector, outer fold) tasks side by side (default 1).
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
from benchmarks.studies.selection import _counts

NAME = "selection_ensemble"
TITLE = "BalancedClassifierCV: average, tuned decision, model families (issue 19)"
TARGET_GAIN = 0.01
TARGET_WORST = -0.01
TARGET_TIME_RATIO = 8.0
DEFAULT = "BalancedClassifierCV()"
ABLATION = "BalancedClassifierCV(ensemble=False, tune_decision=False)"
LR_SELECTOR = "BalancedClassifierCV(LR)"
RF_SELECTOR = "BalancedClassifierCV(rf)"
#: Selector name -> (estimator spec, extra parameters).
SELECTORS = {
    DEFAULT: ("default", {}),
    ABLATION: ("default", {"ensemble": False, "tune_decision": False}),
    LR_SELECTOR: ("lr", {}),
    RF_SELECTOR: ("rf", {}),
}
PLAIN = "LR/plain"
ROS = "imblearn RandomOverSampler+RF"
#: The short family prefixes of the fixed strategies, by BalancedClassifierCV's family name.
FAMILY_PREFIX = {"LogisticRegression": "LR", "RandomForestClassifier": "RF"}


def _rf():
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=100, random_state=SEED)


def _lr():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def _families(spec):
    """The ``estimator`` argument of a selector: None (the default), an LR or a forest."""
    return {"default": None, "lr": _lr(), "rf": _rf()}[spec]


def fixed_strategies():
    """The fixed strategies: each family's defaults, then the forest peers."""
    from imblearn.over_sampling import RandomOverSampler
    from imblearn.pipeline import make_pipeline as imb_pipeline
    from sklearn.ensemble import RandomForestClassifier

    from skbalance.compare import default_strategies

    strategies = {}
    for prefix, estimator in (("LR", _lr()), ("RF", _rf())):
        for name, strategy in default_strategies(estimator, random_state=SEED).items():
            strategies[f"{prefix}/{name}"] = strategy
    strategies["RF class_weight=balanced"] = RandomForestClassifier(
        n_estimators=100, random_state=SEED, class_weight="balanced"
    )
    strategies[ROS] = imb_pipeline(RandomOverSampler(random_state=SEED), _rf())
    return strategies


def candidate(spec, name):
    """The unfitted candidate ``name`` of a selector, as ``default_strategies`` builds it."""
    from skbalance.compare import default_strategies

    if spec == "default":
        family, name = name.split("/", 1)
        estimator = {"RandomForestClassifier": _rf(), "LogisticRegression": _lr()}[family]
    else:
        estimator = _families(spec)
    return default_strategies(estimator, random_state=SEED)[name]


def _fit_selector(method, X, y, train, test, fold):
    """Fit one selector on the outer training rows, then its candidates alone."""
    from skbalance import BalancedClassifierCV

    spec, params = SELECTORS[method]
    record = {"method": method, "fold": fold, "error": None}
    model = BalancedClassifierCV(_families(spec), random_state=SEED, **params)
    try:
        fit_time, fit_cpu = _common.timed_both(lambda: model.fit(X[train], y[train]))
        scores = fold_metrics(y[test], model.predict(X[test]))
    except Exception as exc:  # a failure is a result of the study
        record["error"] = f"{type(exc).__name__}: {exc}"
        return record
    table = model.cv_results_

    def one_fit(name):
        single = candidate(spec, name)
        return _common.timed_both(lambda: single.fit(X[train], y[train]))

    candidate_time, candidate_cpu = one_fit(model.best_strategy_)
    plains = [name for name in table["strategy"] if name == "plain" or name.endswith("/plain")]
    plain_cpu = [one_fit(name)[1] for name in plains]
    record.update(
        **scores,
        fit_time=fit_time,
        fit_cpu=fit_cpu,
        candidate_fit_time=candidate_time,
        candidate_fit_cpu=candidate_cpu,
        costliest_plain_fit_cpu=max(plain_cpu),
        # what the internal fits took, as compare timed them; the rest is
        # scoring, the choice, the average, the decision and the refits
        internal_fit_time=float((table["fit_time_mean"].fillna(0) * table["n_folds"]).sum()),
        n_candidates=len(table),
        n_internal_fits=int(table["n_folds"].sum()),
        best_strategy=model.best_strategy_,
        ensemble=list(model.ensemble_),
        tau=float(model.tau_),
    )
    return record


def evaluate_selectors(X, y, folds, n_jobs):
    """Per-fold records of every selector on the outer folds."""
    from joblib import Parallel, delayed

    tasks = [
        delayed(_fit_selector)(method, X, y, train, test, fold)
        for method in SELECTORS
        for fold, (train, test) in enumerate(folds)
    ]
    return Parallel(n_jobs=n_jobs)(tasks)


def evaluate_fixed(X, y, folds, n_jobs):
    """Per-fold records of the fixed strategies, scored by ``compare`` on ``folds``."""
    from skbalance.compare import compare

    strategies = fixed_strategies()
    _, fold_scores = compare(X, y, strategies=strategies, cv=folds, scoring=METRICS,
                             n_jobs=n_jobs, reference=None,
                             return_fold_scores=True)  # fmt: skip
    records = []
    for row in fold_scores.to_dict("records"):
        error = row["error"] if isinstance(row["error"], str) else None
        records.append({"method": row["strategy"], "fold": int(row["fold"]), "error": error,
                        "fit_time": row["fit_time"],
                        **{m: (None if error else row[m]) for m in METRICS}})  # fmt: skip
    missing = set(strategies) - {r["method"] for r in records}
    if missing:
        raise RuntimeError(f"compare returned no fold scores for {sorted(missing)}")
    return records


def per_dataset_row(dataset, method, records):
    """The outer-CV means of one method on one data set (NaN scores if a fold failed)."""
    failed = [r for r in records if r["error"]]
    row = {"dataset": dataset, "method": method, "n_folds": len(records),
           "n_failed": len(failed), "error": failed[0]["error"] if failed else None}  # fmt: skip
    for key in (*METRICS, "fit_time", "fit_cpu", "candidate_fit_time", "candidate_fit_cpu",
                "costliest_plain_fit_cpu", "internal_fit_time", "n_internal_fits",
                "tau"):  # fmt: skip
        values = [r[key] for r in records if key in r and not r["error"]]
        row[key] = float(np.mean(values)) if values and not failed else None
    if method in SELECTORS and not failed:
        row["picks"] = [r["best_strategy"] for r in records]
        row["ensembles"] = [r["ensemble"] for r in records]
        # the ratio of the sums over folds: one fit of the selector against one
        # of its chosen candidate, on the same rows; CPU time (one thread, the
        # work done) resists the load of a shared machine better than wall time
        row["time_ratio"] = sum(r["fit_cpu"] for r in records) / sum(
            r["candidate_fit_cpu"] for r in records
        )
        row["wall_time_ratio"] = sum(r["fit_time"] for r in records) / sum(
            r["candidate_fit_time"] for r in records
        )
        row["family_time_ratio"] = sum(r["fit_cpu"] for r in records) / sum(
            r["costliest_plain_fit_cpu"] for r in records
        )
    return row


def summarise(rows, fixed_names):
    """Method means, the paired comparisons and the targets of issue 19."""
    frame = pd.DataFrame(rows)
    f1 = frame.pivot(index="dataset", columns="method", values="f1_macro").astype(float)
    bacc = frame.pivot(index="dataset", columns="method", values="balanced_accuracy").astype(float)
    complete = [name for name in fixed_names if f1[name].notna().all()]
    single_best = max(complete, key=lambda name: f1[name].mean())
    methods = []
    for name in [*SELECTORS, *fixed_names]:
        methods.append({
            "method": name,
            "kind": "selector" if name in SELECTORS else "fixed",
            "f1_macro": f1[name].mean(),
            "balanced_accuracy": bacc[name].mean(),
            "n_failed_folds": int(frame.loc[frame["method"] == name, "n_failed"].sum()),
            "default_minus_this": _paired(f1, DEFAULT, name),
            "rf_selector_minus_this": _paired(f1, RF_SELECTOR, name),
            "worst_minus_plain": _worst(f1, name, PLAIN),
        })  # fmt: skip
    methods.sort(key=lambda row: -np.nan_to_num(row["f1_macro"], nan=-1.0))
    selectors = frame[frame["method"].isin(list(SELECTORS))]
    ratios = selectors.pivot(index="dataset", columns="method", values="time_ratio")
    ratios = ratios.astype(float)
    family_ratios = selectors.pivot(index="dataset", columns="method",
                                    values="family_time_ratio").astype(float)  # fmt: skip
    diff_plain = f1[DEFAULT] - f1[PLAIN]
    worst = diff_plain.idxmin()
    rf_gain = _paired(f1, RF_SELECTOR, ROS)
    n_failed = int(frame["n_failed"].sum())
    cases = [
        _common.target_case(f"default − single best fixed (`{single_best}`)", "Δ F1",
                            _paired(f1, DEFAULT, single_best), TARGET_GAIN,
                            bool(_paired(f1, DEFAULT, single_best) >= TARGET_GAIN),
                            f"{f1[DEFAULT].mean():.3f} vs {f1[single_best].mean():.3f}"),
        _common.target_case(f"default − `{PLAIN}`, worst data set", "min Δ F1",
                            float(diff_plain.min()), TARGET_WORST,
                            bool(diff_plain.min() >= TARGET_WORST), worst),
        _common.target_case("RF selector − RandomOverSampler + RF", "Δ F1", rf_gain,
                            TARGET_GAIN, bool(rf_gain >= TARGET_GAIN),
                            f"{f1[RF_SELECTOR].mean():.3f} vs "
                            f"{f1[ROS].mean():.3f}"),
    ]  # fmt: skip
    for name, label in ((DEFAULT, "default"), (LR_SELECTOR, "LR family"),
                        (RF_SELECTOR, "forest family")):  # fmt: skip
        ratio = ratios[name].mean()
        cases.append(_common.target_case(
            f"{label}: fit ÷ one fit of best_strategy_", "ratio", float(ratio),
            TARGET_TIME_RATIO, bool(ratio <= TARGET_TIME_RATIO),
            f"max {ratios[name].max():.1f}× ({ratios[name].idxmax()})"))
    ratio = family_ratios[DEFAULT].mean()
    cases.append(_common.target_case(
        "default: fit ÷ one fit of the forest (`RF/plain`)", "ratio", float(ratio),
        TARGET_TIME_RATIO, bool(ratio <= TARGET_TIME_RATIO),
        f"max {family_ratios[DEFAULT].max():.1f}× ({family_ratios[DEFAULT].idxmax()})"))  # fmt: skip
    cases.append(_common.target_case("failed outer folds, every method", "count", n_failed, 0,
                                     n_failed == 0, None))  # fmt: skip
    return {
        "single_best_fixed": single_best,
        "methods": methods,
        "targets": cases,
        "time_ratios": ratios.to_dict(),
        "family_time_ratios": family_ratios.to_dict(),
        "f1_macro": f1.to_dict(),
        "balanced_accuracy": bacc.to_dict(),
    }


def _paired(f1, a, b):
    """Mean of ``a - b`` over the data sets where both ran."""
    both = f1[a].notna() & f1[b].notna()
    return float((f1.loc[both, a] - f1.loc[both, b]).mean()) if both.any() else None


def _worst(f1, a, b):
    """Minimum of ``a - b`` over the data sets where both ran."""
    both = f1[a].notna() & f1[b].notna()
    return float((f1.loc[both, a] - f1.loc[both, b]).min()) if both.any() else None


def run(quick=False, datasets=None, n_jobs=1, n_splits=None):
    """Run the study; write and return the report."""
    _common.quiet_warnings()
    from threadpoolctl import threadpool_limits

    started = time.perf_counter()
    n_splits = n_splits or (2 if quick else 3)
    limits = threadpool_limits(limits=1)
    machine = _common.machine_info(threads=1)
    data = load_datasets(quick, datasets)
    fixed_names = list(fixed_strategies())
    rows, details = [], {}
    for dataset, (X, y, description) in data.items():
        t0 = time.perf_counter()
        X, y = np.asarray(X), np.asarray(y)
        folds = make_folds(X, y, n_splits, 1)
        records = evaluate_fixed(X, y, folds, n_jobs) + evaluate_selectors(X, y, folds, n_jobs)
        for method in [*SELECTORS, *fixed_names]:
            rows.append(per_dataset_row(dataset, method, [r for r in records
                                                          if r["method"] == method]))  # fmt: skip
        classes, counts = np.unique(y, return_counts=True)
        details[dataset] = {
            "description": description,
            "n_samples": int(X.shape[0]),
            "n_classes": len(classes),
            "class_counts": counts.tolist(),
            "selector_folds": [r for r in records if r["method"] in SELECTORS],
            "seconds": round(time.perf_counter() - t0, 1),
        }
        by = {r["method"]: r for r in rows if r["dataset"] == dataset}
        print(f"{dataset:<24} {details[dataset]['seconds']:6.1f}s  "
              + "  ".join(f"{m} {_common.fmt(by[m]['f1_macro'])}" for m in
                          (DEFAULT, PLAIN, LR_SELECTOR, RF_SELECTOR, ROS))
              + f"  members {by[DEFAULT].get('ensembles')}", flush=True)  # fmt: skip
    limits.restore_original_limits()
    summary = summarise(rows, fixed_names)
    report = _common.end_of_run_header(
        NAME,
        quick,
        machine,
        started,
        settings={
            "outer_cv": f"StratifiedKFold({n_splits}, shuffle=True, random_state=0)",
            "selectors": {name: {"estimator": spec, **params}
                          for name, (spec, params) in SELECTORS.items()},  # fmt: skip
            "forest": "RandomForestClassifier(n_estimators=100, random_state=0)",
            "fit_time": "selector: CPU time (and wall time) of BalancedClassifierCV.fit; "
            "candidate: one fit of its best_strategy_ (default_strategies, random_state=0) "
            "on the same outer training rows, timed right after, then one of each family's "
            "plain candidate; one BLAS/OpenMP thread, the internal fits in the same process",
            "n_jobs": n_jobs,
        },
        summary=summary,
        datasets=details,
        results=rows,
    )
    _common.write_json(_common.result_path(NAME, quick), report)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"{len(QUICK_DATASETS)} data sets, 2 outer folds")  # fmt: skip
    parser.add_argument("--datasets", nargs="+", default=None, help="only these data sets")
    parser.add_argument("--n-jobs", type=int, default=1,
                        help="(selector, outer fold) tasks in parallel; default 1")  # fmt: skip
    parser.add_argument("--folds", type=int, default=None, help="outer folds (3; 2 quick)")
    args = parser.parse_args(argv)
    return run(args.quick, args.datasets, args.n_jobs, args.folds)


# --------------------------------------------------------------------------
# README section


def render(result):
    """The README section of a selection_ensemble result file."""
    details = result["datasets"]
    # recomputed from the per-data-set rows, so the section follows this code
    fixed_names = [m for m in dict.fromkeys(r["method"] for r in result["results"])
                   if m not in SELECTORS]  # fmt: skip
    summary = summarise(result["results"], fixed_names)
    target_table, target_sentences = _common.targets(summary["targets"], result["quick"])
    return _common.section(
        NAME,
        TITLE,
        result,
        f"{len(details)} data sets ({', '.join(details)}); "
        f"{result['settings']['outer_cv']} outer CV, the same folds for every method; "
        f"forest = {result['settings']['forest']}; one thread.",
        target_table,
        _method_table(summary["methods"]),
        _dataset_table(result, summary),
        _common.conclusions([*target_sentences, *_sentences(result, summary)]),
    )


def _method_table(methods):
    fmt = _common.fmt
    return _common.table(
        ["method", "kind", "macro-F1", "balanced acc.", "default − this",
         "RF selector − this", f"worst − `{PLAIN}`", "failed folds"],
        [[f"`{r['method']}`", r["kind"], fmt(r["f1_macro"]), fmt(r["balanced_accuracy"]),
          fmt(r["default_minus_this"]), fmt(r["rf_selector_minus_this"]),
          fmt(r["worst_minus_plain"]), r["n_failed_folds"]] for r in methods],
    )  # fmt: skip


def _by(result):
    """``{(dataset, method): row}`` of the per-data-set results."""
    return {(r["dataset"], r["method"]): r for r in result["results"]}


def _dataset_table(result, summary):
    fmt, by = _common.fmt, _by(result)
    best = summary["single_best_fixed"]
    rows = []
    for dataset in result["datasets"]:
        f1 = {m: by[dataset, m]["f1_macro"] for m in (*SELECTORS, PLAIN, best, ROS)}
        members = np.mean([len(e) for e in by[dataset, DEFAULT].get("ensembles") or [[]]])
        rows.append([
            dataset, fmt(f1[DEFAULT]), _diff(f1[DEFAULT], f1[PLAIN]),
            _diff(f1[DEFAULT], f1[best]), _diff(f1[ABLATION], f1[PLAIN]),
            _diff(f1[LR_SELECTOR], f1[PLAIN]), _diff(f1[RF_SELECTOR], f1[ROS]),
            f"{members:.1f}", fmt(by[dataset, DEFAULT]["tau"], 2),
            "/".join(fmt(by[dataset, m].get("time_ratio"), 1)
                     for m in (DEFAULT, LR_SELECTOR, RF_SELECTOR)),
            fmt(by[dataset, DEFAULT].get("family_time_ratio"), 1),
        ])  # fmt: skip
    return _common.table(
        ["data set", "default F1", f"− `{PLAIN}`", f"− `{best}`", "ablation − LR/plain",
         "LR sel. − LR/plain", "RF sel. − ROS+RF", "members", "τ",
         "time × best single (default/LR/RF)", "default time × one forest"],
        rows,
    )  # fmt: skip


def _diff(a, b):
    return "—" if a is None or b is None else f"{a - b:+.3f}"


def _losses(result, method, reference, threshold=0.005):
    """Where ``method`` is more than ``threshold`` below ``reference``, and what it did there."""
    by = _by(result)
    out = []
    for dataset in result["datasets"]:
        row = by[dataset, method]
        a, b = row["f1_macro"], by[dataset, reference]["f1_macro"]
        if a is None or b is None or a - b >= -threshold:
            continue
        members = np.mean([len(e) for e in row.get("ensembles") or [[]]])
        families = _counts([_family_mix(e) for e in row.get("ensembles") or []])
        mix = ", ".join(f"{k} {n}×" for k, n in families.items())
        out.append(f"{dataset} ({a - b:+.3f}; {members:.1f} members, {mix}; "
                   f"τ {row['tau']:.2f})")  # fmt: skip
    return out


def _family_mix(members):
    """Which families an ensemble holds: ``"LR"``, ``"RF"`` or ``"LR+RF"``."""
    families = {name.split("/")[0] for name in members if "/" in name}
    return "+".join(sorted(FAMILY_PREFIX.get(f, f) for f in families)) or "one family"


def _sentences(result, summary):
    fmt = _common.fmt
    means = {r["method"]: r for r in summary["methods"]}
    best = summary["single_best_fixed"]
    out = [
        f"Mean macro-F1: default {fmt(means[DEFAULT]['f1_macro'])}, its ablation (the "
        f"evidence choice alone) {fmt(means[ABLATION]['f1_macro'])}, the LR family alone "
        f"{fmt(means[LR_SELECTOR]['f1_macro'])}, the forest family alone "
        f"{fmt(means[RF_SELECTOR]['f1_macro'])}; `{PLAIN}` {fmt(means[PLAIN]['f1_macro'])}, "
        f"the single best fixed strategy `{best}` {fmt(means[best]['f1_macro'])}, "
        f"RandomOverSampler + forest {fmt(means[ROS]['f1_macro'])}. Balanced accuracy: "
        f"default {fmt(means[DEFAULT]['balanced_accuracy'])}, `{best}` "
        f"{fmt(means[best]['balanced_accuracy'])}, RandomOverSampler + forest "
        f"{fmt(means[ROS]['balanced_accuracy'])}.",
        f"The average and tuned decision vs the evidence choice alone (paired over data "
        f"sets): {means[ABLATION]['default_minus_this']:+.3f} macro-F1.",
    ]
    for method, reference in ((DEFAULT, PLAIN), (DEFAULT, best), (LR_SELECTOR, PLAIN),
                              (RF_SELECTOR, ROS)):  # fmt: skip
        losses = _losses(result, method, reference)
        out.append(f"`{method}` loses more than 0.005 to `{reference}` on "
                   + (f"{len(losses)} data set(s): " + "; ".join(losses) if losses
                      else "no data set") + ".")  # fmt: skip
    out.append(_ensemble_sentence(result))
    out.append(_time_sentence(result))
    return out


def _ensemble_sentence(result):
    """How many members the averages kept, and how often the default mixed the families."""
    by = _by(result)
    ensembles = {m: [e for d in result["datasets"] for e in by[d, m].get("ensembles") or []]
                 for m in (DEFAULT, LR_SELECTOR, RF_SELECTOR)}  # fmt: skip
    mixed = sum(_family_mix(e) == "LR+RF" for e in ensembles[DEFAULT])
    taus = [r["tau"] for d in result["datasets"] for r in
            [by[d, DEFAULT]] if r["tau"] is not None]  # fmt: skip
    return ("Members of the average, mean over outer folds: "
            + ", ".join(f"`{m}` {np.mean([len(e) for e in es]):.1f}"
                        for m, es in ensembles.items())
            + f"; the default mixed the two families on {mixed} of {len(ensembles[DEFAULT])} "
            f"folds; its tuned τ was non-zero on {sum(t > 0 for t in taus)} of {len(taus)} "
            "data sets (mean over folds).")  # fmt: skip


def _time_sentence(result):
    """Where a selector's fit time goes: internal fits, and the rest."""
    by, parts = _by(result), []
    for method in (DEFAULT, LR_SELECTOR, RF_SELECTOR):
        rows = [by[d, method] for d in result["datasets"] if by[d, method]["fit_time"]]
        fit = sum(r["fit_time"] for r in rows)
        internal = sum(r["internal_fit_time"] for r in rows)
        n_fits = np.mean([r["n_internal_fits"] for r in rows])
        wall = np.mean([r["wall_time_ratio"] for r in rows])
        family = np.mean([r["family_time_ratio"] for r in rows])
        parts.append(f"`{method}` makes {n_fits:.0f} internal fits on average, "
                     f"{100 * internal / fit:.0f}% of its wall time (wall-clock ratio "
                     f"{wall:.1f}×; {family:.1f}× one fit of its costliest family's "
                     "`plain`)")  # fmt: skip
    return ("Cost breakdown: " + "; ".join(parts) + ". The rest is scoring, the choice, the "
            "average, the decision and the refit of the members; forest candidates are "
            "fitted once, out of bag, and that fit is the refitted model. When "
            "`best_strategy_` is a logistic regression and the members include forests, "
            "the ratio to one fit of `best_strategy_` measures the forests' cost against "
            "a linear model's.")  # fmt: skip


if __name__ == "__main__":
    main()
