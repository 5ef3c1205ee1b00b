"""Selection rules: how could BalancedClassifierCV choose among its candidates?

Run ``python -m benchmarks selection_rules [--quick]``. Results are written
to ``benchmarks/results/selection_rules.json``
(``selection_rules.quick.json`` with ``--quick``).

The selection study (``studies/selection.py``) finds that
``BalancedClassifierCV`` (best mean internal macro-F1) scores below the best
single fixed strategy. This benchmark asks whether another way of reading the
same internal cross-validation would do better. On the data sets of the
quality benchmark, for each fold of an outer stratified 5-fold CV (the folds
of the selection benchmark; 3 folds and the quick data sets with
``--quick``), every default candidate (``skbalance.compare.default_strategies``
on the standardised ``LogisticRegression``) is fitted on each internal fold
(stratified 5-fold on the outer training rows, the internal folds of
``BalancedClassifierCV(cv=5, random_state=0)``) and once on all the outer
training rows. From these same predictions each rule picks (or combines)
candidates:

- ``best mean``: the best mean macro-F1 over the internal folds (what
  ``BalancedClassifierCV(search="full")`` does);
- ``best pooled``: the best macro-F1 of the pooled out-of-fold predictions;
- ``best mean rank``: the best mean rank over the internal folds;
- ``one-SE toward D``: the best mean, unless its mean paired per-fold gain
  over the default ``D`` is within one standard error, then ``D``; ``D`` is
  ``weight:balanced`` (scikit-learn's usual choice, fixed beforehand) or
  ``weight:log_inverse`` (the best fixed strategy of the selection benchmark:
  chosen in hindsight, so an optimistic bound for the rule);
- ``vote of the top 3``: the majority vote of the outer predictions of the
  three best candidates by mean (ties go to the better one).

Reported: outer-CV macro-F1 (mean over the outer folds, then over data sets)
of every rule, of every fixed candidate and of the per-data-set best fixed
candidate picked in hindsight.
"""

import argparse
import time

import numpy as np

from benchmarks import _common
from benchmarks.studies._datasets import SEED, fold_metrics, load_datasets, make_folds

NAME = "selection_rules"
TITLE = "other ways to choose from the same internal CV"
INNER_FOLDS = 5
N_VOTERS = 3
DEFAULTS = ("weight:balanced", "weight:log_inverse")


def candidate_predictions(X, y, train, test, inner_folds):
    """Internal and outer predictions of every default candidate, for one outer fold.

    Returns
    -------
    record : dict
        ``inner`` (the internal folds, indices into the training rows),
        ``inner_pred`` and ``outer_pred`` (name -> predictions, None for a
        failed fit), ``y_train`` and ``y_test``.
    """
    from threadpoolctl import threadpool_limits

    from skbalance.compare import default_strategies

    _common.quiet_warnings()
    X_train, y_train = X[train], y[train]
    inner = make_folds(X_train, y_train, inner_folds)
    inner_pred, outer_pred = {}, {}
    with threadpool_limits(limits=1):
        for name, estimator in default_strategies(random_state=SEED).items():
            inner_pred[name] = [
                _fit_predict(estimator, X_train[fit], y_train[fit], X_train[held_out])
                for fit, held_out in inner
            ]
            outer_pred[name] = _fit_predict(estimator, X_train, y_train, X[test])
    return {"inner": inner, "inner_pred": inner_pred, "outer_pred": outer_pred,
            "y_train": y_train, "y_test": y[test]}  # fmt: skip


def _fit_predict(estimator, X, y, X_new):
    """Predictions of a clone of ``estimator`` fitted on ``(X, y)``; None if it fails."""
    from sklearn.base import clone

    try:
        return clone(estimator).fit(X, y).predict(X_new)
    except Exception:  # a failing candidate is dropped, as BalancedClassifierCV does
        return None


def _f1(y_true, y_pred):
    return fold_metrics(y_true, y_pred, ["f1_macro"])["f1_macro"]


def internal_scores(record):
    """Per-internal-fold and pooled macro-F1 of the candidates that never failed."""
    per_fold, pooled = {}, {}
    held_out_labels = [record["y_train"][held_out] for _, held_out in record["inner"]]
    for name, predictions in record["inner_pred"].items():
        if any(p is None for p in predictions) or record["outer_pred"][name] is None:
            continue
        per_fold[name] = np.array(
            [_f1(labels, p) for labels, p in zip(held_out_labels, predictions)]
        )
        pooled[name] = _f1(np.concatenate(held_out_labels), np.concatenate(predictions))
    return per_fold, pooled


def _best_mean(per_fold, pooled):
    return max(per_fold, key=lambda name: per_fold[name].mean())


def _best_pooled(per_fold, pooled):
    return max(pooled, key=pooled.get)


def _best_mean_rank(per_fold, pooled):
    names = list(per_fold)
    scores = np.array([per_fold[name] for name in names])  # candidates x folds
    ranks = (-scores).argsort(axis=0).argsort(axis=0).mean(axis=1)
    return names[int(np.argmin(ranks))]


def _one_se_toward(default):
    def rule(per_fold, pooled):
        best = _best_mean(per_fold, pooled)
        if default not in per_fold or best == default:
            return best
        gain = per_fold[best] - per_fold[default]
        standard_error = gain.std(ddof=1) / np.sqrt(gain.size)
        return best if gain.mean() > standard_error else default

    return rule


PICKING_RULES = {
    "best mean (BalancedClassifierCV)": _best_mean,
    "best pooled": _best_pooled,
    "best mean rank": _best_mean_rank,
    **{f"one-SE toward {default}": _one_se_toward(default) for default in DEFAULTS},
}
VOTE_RULE = f"vote of the top {N_VOTERS}"


def _vote(record, per_fold):
    """Majority vote of the outer predictions of the best candidates by mean."""
    voters = sorted(per_fold, key=lambda name: -per_fold[name].mean())[:N_VOTERS]
    votes = np.stack([record["outer_pred"][name] for name in voters])
    _, codes = np.unique(votes, return_inverse=True)
    codes = codes.reshape(votes.shape)
    counts = np.stack([(codes == codes[i]).sum(axis=0) for i in range(len(voters))])
    # argmax takes the first maximum: the better voter wins a tie
    return votes[counts.argmax(axis=0), np.arange(votes.shape[1])]


def score_rules(records):
    """Outer macro-F1 of every rule and every fixed candidate, for one data set."""
    outer = {}
    picks = {rule: [] for rule in PICKING_RULES}
    for record in records:
        per_fold, pooled = internal_scores(record)
        fold = {
            name: _f1(record["y_test"], pred)
            for name, pred in record["outer_pred"].items()
            if pred is not None
        }
        for name, value in fold.items():
            outer.setdefault(name, []).append(value)
        for rule, pick in PICKING_RULES.items():
            chosen = pick(per_fold, pooled)
            picks[rule].append(chosen)
            outer.setdefault(rule, []).append(fold[chosen])
        outer.setdefault(VOTE_RULE, []).append(
            _f1(record["y_test"], _vote(record, per_fold))
        )
    return {name: float(np.mean(values)) for name, values in outer.items()}, picks


def run(quick=False, datasets=None, n_jobs=None):
    """Run the study; write and return the report."""
    from joblib import Parallel, delayed

    from skbalance.compare import default_strategies

    _common.quiet_warnings()
    started = time.perf_counter()
    machine = _common.machine_info()
    n_splits, inner_folds = (3, 3) if quick else (5, INNER_FOLDS)
    n_jobs = n_jobs or (1 if quick else 2)
    candidates = list(default_strategies(random_state=SEED))
    rules = [*PICKING_RULES, VOTE_RULE]
    per_dataset = {}
    for dataset, (X, y, description) in load_datasets(quick, datasets).items():
        t0 = time.perf_counter()
        y = np.asarray(y)
        records = Parallel(n_jobs=n_jobs)(
            delayed(candidate_predictions)(X, y, train, test, inner_folds)
            for train, test in make_folds(X, y, n_splits, 1)
        )
        scores, picks = score_rules(records)
        fixed = {name: scores[name] for name in candidates if name in scores}
        hindsight = max(fixed, key=fixed.get)
        per_dataset[dataset] = {
            "description": description,
            "f1_macro": scores,
            "hindsight_pick": hindsight,
            "picks": picks,
            "seconds": round(time.perf_counter() - t0, 1),
        }
        print(f"{dataset:<22} {per_dataset[dataset]['seconds']:6.1f}s  best fixed {hindsight} "
              f"{fixed[hindsight]:.3f}  best mean {scores[rules[0]]:.3f}", flush=True)  # fmt: skip
    summary = _summary(per_dataset, candidates, rules)
    report = _common.end_of_run_header(
        NAME,
        quick,
        machine,
        started,
        settings={
            "outer_cv": f"StratifiedKFold({n_splits}, shuffle=True, random_state=0)",
            "inner_cv": f"StratifiedKFold({inner_folds}, shuffle=True, random_state={SEED}) "
            "on the outer training rows",
            "candidates": candidates,
            "statistic": "macro-F1 on the outer test folds (classes present in the fold), "
            "mean over the outer folds, then over data sets",
        },
        summary=summary,
        datasets=per_dataset,
    )
    _common.write_json(_common.result_path(NAME, quick), report)
    return report


def _summary(per_dataset, candidates, rules):
    """Mean macro-F1 over data sets of each rule, fixed candidate and the hindsight pick."""
    tables = list(per_dataset.values())

    def mean_of(name):
        values = [t["f1_macro"].get(name) for t in tables]
        return float(np.mean(values)) if all(v is not None for v in values) else None

    fixed = {name: mean_of(name) for name in candidates}
    best_fixed = max((n for n in fixed if fixed[n] is not None), key=fixed.get)
    return {
        "rules": {rule: mean_of(rule) for rule in rules},
        "fixed": fixed,
        "best_fixed": best_fixed,
        "hindsight": float(np.mean([t["f1_macro"][t["hindsight_pick"]] for t in tables])),
        "n_datasets": len(tables),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="quick data sets, 3 outer and inner folds")  # fmt: skip
    parser.add_argument("--datasets", nargs="+", default=None, help="only these data sets")
    parser.add_argument("--n-jobs", type=int, default=None,
                        help="outer folds run in parallel (default 2, 1 with --quick)")  # fmt: skip
    args = parser.parse_args(argv)
    return run(args.quick, args.datasets, args.n_jobs)


# --------------------------------------------------------------------------
# README section


def render(result):
    """The README section of a selection-rules result file."""
    summary, settings = result["summary"], result["settings"]
    best_fixed = summary["best_fixed"]
    reference = summary["fixed"][best_fixed]
    rows = [[f"rule: {rule}", value] for rule, value in summary["rules"].items()]
    rows += [[f"fixed: `{name}`", value] for name, value in summary["fixed"].items()
             if value is not None]  # fmt: skip
    rows.append(["hindsight: the best fixed strategy of each data set", summary["hindsight"]])
    rows.sort(key=lambda row: -row[1])
    table = _common.table(
        ["choice", "mean macro-F1", f"− `{best_fixed}`"],
        [[name, _common.fmt(value), f"{value - reference:+.3f}"] for name, value in rows],
    )
    rules = summary["rules"]
    best_rule = max(rules, key=rules.get)
    beaten = [rule for rule, value in rules.items() if value > reference]
    lines = [
        f"{summary['n_datasets']} data sets, {settings['outer_cv']} outer CV, "
        f"internal {settings['inner_cv']}.",
        f"Best rule: {best_rule} ({_common.fmt(rules[best_rule])}); best single fixed strategy "
        f"`{best_fixed}` ({_common.fmt(reference)}); best fixed strategy per data set in "
        f"hindsight {_common.fmt(summary['hindsight'])}.",
        ("Rules that beat the best single fixed strategy: " + ", ".join(beaten) + "."
         if beaten else "No rule beats the best single fixed strategy on mean macro-F1."),
    ]  # fmt: skip
    if result.get("quick"):
        lines.append("A quick run: few data sets, not the reference numbers.")
    return _common.section(NAME, TITLE, result, table, _common.conclusions(lines))


if __name__ == "__main__":
    main()
