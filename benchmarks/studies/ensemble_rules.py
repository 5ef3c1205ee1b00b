"""Ensemble rules (issue 19): how to combine the candidates of the same internal CV?

Run ``python -m benchmarks ensemble_rules [--quick]``. Results are written
to ``benchmarks/results/ensemble_rules.json`` (``ensemble_rules.quick.json``
with ``--quick``).

``BalancedClassifierCV`` averages every candidate at least as good as its
reference and tunes one prior power τ, kept only when it pays off out of
sample. This study measures that rule against the alternatives it was
chosen over, from the same predictions. On the sixteen data sets of the
quality study, for each fold of an outer stratified 3-fold CV (the folds of
the ensemble study; 2 folds and the quick data sets with ``--quick``), the
candidates of ``BalancedClassifierCV()`` (``plain`` and the distinct
``weight:<scheme>`` strategies of ``skbalance.compare.default_strategies``
on the standardised logistic regression and on a 100-tree random forest)
give out-of-fold probabilities on the outer training rows (the internal
folds of ``BalancedClassifierCV(cv=5, random_state=0)`` for the logistic
regressions, out of bag for the forests) and probabilities on the outer
test rows (each fitted once on all the training rows). Every rule combines
them and is scored (macro-F1) on the outer test rows:

- ``average ≥ reference, τ cross-fitted`` (the default): each candidate's
  pooled score is the best of its argmax and of its cross-fitted tuned
  decision; the members are the candidates scoring at least the reference
  (``LR/plain``); τ is tuned on their mean and kept only when its
  cross-fitted decision beats the argmax;
- its variants: members judged by the argmax alone; a fallback to the best
  single candidate when the average scores below it on the pooled
  predictions; τ always tuned; no τ; each family's members averaged first;
  member weights fitted by log-loss on the pooled predictions (stacking);
  every candidate but the reference averaged;
- the former greedy soft vote: the best candidate, then the next best ones
  (at most three members) each added only when it raises the pooled score of
  the tuned decision;
- each family alone under the default rule, and every single candidate.

The prior power τ is tuned as ``TunedDecisionClassifierCV`` does (grid 0 to
2 by 0.05, the middle of ties), through the public
``skbalance.priors.correct_prior_shift``: argmax of p(c|x) π_c^-τ.
"""

import argparse
import time

import numpy as np
from scipy.optimize import minimize

from benchmarks import _common
from benchmarks.studies._datasets import (
    QUICK_DATASETS,
    SEED,
    fold_metrics,
    load_datasets,
    make_folds,
)

NAME = "ensemble_rules"
TITLE = "how to combine the candidates of the same internal CV (issue 19)"
INNER_FOLDS = 5
TAU_GRID = np.round(np.linspace(0.0, 2.0, 41), 2)
FAMILIES = ("LR", "RF")
REFERENCE = "LR/plain"
DEFAULT_RULE = "average ≥ reference, τ cross-fitted (default)"
MAX_VOTERS = 3


def _families():
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return {
        "LR": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        "RF": RandomForestClassifier(n_estimators=100, random_state=SEED),
    }


def candidates():
    """``"<family>/<strategy>"`` -> unfitted candidate: plain and the distinct weightings."""
    from skbalance.compare import default_strategies

    out = {}
    for family, estimator in _families().items():
        for name, strategy in default_strategies(estimator, random_state=SEED).items():
            # weight:inverse is weight:balanced under normalize="mean"
            if name == "plain" or (name.startswith("weight:") and name != "weight:inverse"):
                out[f"{family}/{name}"] = strategy
    return out


def _aligned(proba, model_classes, classes):
    """Probability columns of ``model_classes`` placed under ``classes``."""
    out = np.zeros((proba.shape[0], len(classes)))
    out[:, np.searchsorted(classes, model_classes)] = proba
    return out


def _forest_out_of_bag(candidate, X, y, classes):
    """Fit once with out-of-bag scoring; the fitted model and its OOB probabilities."""
    from sklearn.base import clone

    from skbalance import BalancedClassifier

    wrapped = isinstance(candidate, BalancedClassifier)
    model = clone(candidate).set_params(**{"estimator__oob_score" if wrapped else "oob_score": True})
    model.fit(X, y)
    forest = model.estimator_ if wrapped else model
    oob = _aligned(forest.oob_decision_function_, forest.classes_, classes)
    return model, (oob if np.isfinite(oob).all() else None)


def fold_record(X, y, train, test):
    """Out-of-fold and outer-test probabilities of every candidate, for one outer fold."""
    from sklearn.base import clone

    X_train, y_train = X[train], y[train]
    classes = np.unique(y_train)
    inner = make_folds(X_train, y_train, INNER_FOLDS)
    record = {"classes": classes, "y_train": y_train, "y_test": y[test], "inner": inner,
              "oof": {}, "test": {}}  # fmt: skip
    for name, candidate in candidates().items():
        if name.startswith("RF/"):
            model, oof = _forest_out_of_bag(candidate, X_train, y_train, classes)
        else:
            oof = np.zeros((len(y_train), len(classes)))
            for fit_rows, score_rows in inner:
                fold_model = clone(candidate).fit(X_train[fit_rows], y_train[fit_rows])
                proba = fold_model.predict_proba(X_train[score_rows])
                oof[score_rows] = _aligned(proba, fold_model.classes_, classes)
            model = clone(candidate).fit(X_train, y_train)
        record["oof"][name] = oof
        record["test"][name] = _aligned(model.predict_proba(X[test]), model.classes_, classes)
    return record


# --------------------------------------------------------------------------
# The decision and the scores of pooled probabilities


def _codes(record):
    return np.searchsorted(record["classes"], record["y_train"])


def _prior(record):
    counts = np.bincount(_codes(record), minlength=len(record["classes"]))
    return counts / counts.sum()


def _macro_f1(codes, pred, n_classes):
    """Macro-F1 over the classes present in ``codes`` (the selector's pooled score)."""
    support = np.bincount(codes, minlength=n_classes)
    predicted = np.bincount(pred, minlength=n_classes)
    hits = np.bincount(codes[codes == pred], minlength=n_classes)
    present = support > 0
    return float(np.mean(2 * hits[present] / (support + predicted)[present]))


def _decide(proba, prior, tau):
    """Class indices of the prior-power decision: argmax p(c|x) π_c^-τ."""
    from skbalance.priors import correct_prior_shift

    if tau == 0:
        return np.argmax(proba, axis=1)
    target = prior ** (1.0 - tau)
    return np.argmax(correct_prior_shift(proba, prior, target / target.sum()), axis=1)


def _tuned_tau(proba, codes, prior):
    """τ maximising the macro-F1 of ``proba`` (the middle of ties), and that score."""
    scores = np.array([_macro_f1(codes, _decide(proba, prior, t), len(prior)) for t in TAU_GRID])
    best = np.flatnonzero(scores >= scores.max() - 1e-12)
    chosen = best[len(best) // 2]
    return float(TAU_GRID[chosen]), float(scores[chosen])


def _cross_fitted(record, proba):
    """Pooled macro-F1 of the argmax and of the decision with τ tuned on the other folds."""
    codes, prior, n_classes = _codes(record), _prior(record), len(record["classes"])
    pred = np.empty_like(codes)
    for fit_rows, score_rows in record["inner"]:
        tau, _ = _tuned_tau(proba[fit_rows], codes[fit_rows], prior)
        pred[score_rows] = _decide(proba[score_rows], prior, tau)
    return _macro_f1(codes, np.argmax(proba, axis=1), n_classes), _macro_f1(codes, pred, n_classes)


# --------------------------------------------------------------------------
# The rules: each returns (test probabilities, τ) for one outer fold


def _available(record, names):
    return [name for name in names if record["oof"][name] is not None]


def _mean(record, members, key):
    return np.mean([record[key][name] for name in members], axis=0)


def _tau(record, oof, mode):
    """The τ of a combined model: ``"cross-fitted"``, ``"always"`` or ``"none"``."""
    if mode == "none":
        return 0.0
    codes, prior = _codes(record), _prior(record)
    if mode == "cross-fitted":
        untuned, tuned = _cross_fitted(record, oof)
        if tuned <= untuned:
            return 0.0
    return _tuned_tau(oof, codes, prior)[0]


def _pooled_scores(record, names, decision=True):
    scores = {}
    for name in names:
        untuned, tuned = _cross_fitted(record, record["oof"][name])
        scores[name] = max(untuned, tuned) if decision else untuned
    return scores


def _at_least_reference(scores, reference):
    members = [n for n, s in scores.items() if n != reference and s >= scores[reference]]
    return members or [reference]


def average_rule(names, decision=True, tau="cross-fitted", fallback=False, weighting="equal"):
    """The average of the candidates at least as good as the reference, and its variants."""

    def rule(record):
        available = _available(record, names)
        reference = available[0]
        scores = _pooled_scores(record, available, decision)
        members = _at_least_reference(scores, reference)
        weights = _weights(record, members, weighting)
        oof = np.tensordot(weights, np.stack([record["oof"][n] for n in members]), 1)
        if fallback:
            best = max(scores, key=scores.get)
            if max(_cross_fitted(record, oof)) < scores[best]:
                members, weights, oof = [best], np.ones(1), record["oof"][best]
        test = np.tensordot(weights, np.stack([record["test"][n] for n in members]), 1)
        return test, _tau(record, oof, tau)

    return rule


def _weights(record, members, weighting):
    """Equal weights, equal weight per family, or log-loss weights on the pooled predictions."""
    if weighting == "equal":
        return np.full(len(members), 1.0 / len(members))
    if weighting == "family":
        families = [name.split("/")[0] for name in members]
        shares = {f: families.count(f) for f in families}
        return np.array([1.0 / (len(shares) * shares[f]) for f in families])
    stacked = np.stack([record["oof"][name] for name in members])
    codes = _codes(record)

    def log_loss(z):
        w = np.exp(z - z.max())
        proba = np.tensordot(w / w.sum(), stacked, 1)[np.arange(codes.size), codes]
        return -np.mean(np.log(np.clip(proba, 1e-12, None)))

    z = minimize(log_loss, np.zeros(len(members)), method="L-BFGS-B").x
    w = np.exp(z - z.max())
    return w / w.sum()


def all_but_reference_rule(names):
    """Every candidate but the reference, averaged, no τ."""

    def rule(record):
        members = _available(record, names)[1:]
        return _mean(record, members, "test"), 0.0

    return rule


def greedy_rule(names):
    """The former soft vote: best first, the next best added while the tuned pooled score rises."""

    def rule(record):
        codes, prior = _codes(record), _prior(record)
        available = _available(record, names)
        scores = _pooled_scores(record, available, decision=False)
        ranked = sorted(available, key=lambda name: -scores[name])
        members, total = [ranked[0]], record["oof"][ranked[0]].copy()
        best = _tuned_tau(total, codes, prior)[1]
        for name in ranked[1:]:
            if len(members) == MAX_VOTERS:
                break
            trial = _tuned_tau((total + record["oof"][name]) / (len(members) + 1), codes, prior)[1]
            if trial > best:
                members.append(name)
                total += record["oof"][name]
                best = trial
        return _mean(record, members, "test"), _tau(record, total / len(members), "always")

    return rule


def single_rule(name):
    return lambda record: (record["test"][name], 0.0)


def rules():
    """Rule name -> rule, the default first."""
    every = list(candidates())
    family = {f: [n for n in every if n.startswith(f"{f}/")] for f in FAMILIES}
    out = {
        DEFAULT_RULE: average_rule(every),
        "members judged by the argmax": average_rule(every, decision=False),
        "fallback to the best single candidate": average_rule(every, fallback=True),
        "τ always tuned": average_rule(every, tau="always"),
        "no τ": average_rule(every, tau="none"),
        "each family weighted equally": average_rule(every, weighting="family"),
        "log-loss weights (stacking)": average_rule(every, weighting="stacked"),
        "every candidate but the reference, no τ": all_but_reference_rule(every),
        "greedy soft vote (≤ 3, τ always)": greedy_rule(every),
        "LR family alone, default rule": average_rule(family["LR"]),
        "RF family alone, default rule": average_rule(family["RF"]),
    }
    out.update({name: single_rule(name) for name in every})
    return out


def score_rules(record):
    """Macro-F1 on the outer test rows of every rule, for one outer fold."""
    out = {}
    prior = _prior(record)
    for name, rule in rules().items():
        test, tau = rule(record)
        y_pred = record["classes"][_decide(test, prior, tau)]
        out[name] = fold_metrics(record["y_test"], y_pred, ("f1_macro",))["f1_macro"]
    return out


def run(quick=False, n_jobs=2):
    """Run the study; write and return the report."""
    _common.quiet_warnings()
    from joblib import Parallel, delayed
    from threadpoolctl import threadpool_limits

    started = time.perf_counter()
    limits = threadpool_limits(limits=1)
    machine = _common.machine_info(threads=1)
    data = load_datasets(quick)
    n_splits = 2 if quick else 3
    tasks, keys = [], []
    for dataset, (X, y, _) in data.items():
        X, y = np.asarray(X), np.asarray(y)
        for fold, (train, test) in enumerate(make_folds(X, y, n_splits)):
            tasks.append(delayed(_fold_scores)(X, y, train, test))
            keys.append(dataset)
    per_fold = Parallel(n_jobs=n_jobs)(tasks)
    limits.restore_original_limits()
    scores = {}
    for dataset, fold_scores in zip(keys, per_fold):
        for rule, value in fold_scores.items():
            scores.setdefault(rule, {}).setdefault(dataset, []).append(value)
    means = {rule: {d: (None if None in v else float(np.mean(v))) for d, v in by.items()}
             for rule, by in scores.items()}  # fmt: skip
    report = _common.end_of_run_header(
        NAME, quick, machine, started,
        settings={"outer_cv": f"StratifiedKFold({n_splits}, shuffle=True, random_state=0)",
                  "inner_cv": f"StratifiedKFold({INNER_FOLDS}, shuffle=True, random_state=0) "
                  "on the outer training rows (LR); out of bag (RF)",
                  "candidates": list(candidates()), "reference": REFERENCE, "n_jobs": n_jobs},
        datasets=list(data), f1_macro=means,
    )  # fmt: skip
    _common.write_json(_common.result_path(NAME, quick), report)
    return report


def _fold_scores(X, y, train, test):
    _common.quiet_warnings()
    return score_rules(fold_record(X, y, train, test))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"{len(QUICK_DATASETS)} data sets, 2 outer folds")  # fmt: skip
    parser.add_argument("--n-jobs", type=int, default=2, help="outer folds in parallel (2)")
    args = parser.parse_args(argv)
    return run(args.quick, args.n_jobs)


# --------------------------------------------------------------------------
# README section


def summarise(result):
    """Per rule: mean macro-F1 over every data set and over the real ones, worst vs plain."""
    datasets = result["datasets"]
    real = [d for d in datasets if not d.startswith("synth")]
    plain = result["f1_macro"][REFERENCE]
    rows = []
    for rule, by in result["f1_macro"].items():
        complete = [d for d in datasets if by[d] is not None]
        diffs = {d: by[d] - plain[d] for d in complete}
        worst = min(diffs, key=diffs.get)
        rows.append({
            "rule": rule, "kind": "single" if rule in result["settings"]["candidates"] else "rule",
            "all": float(np.mean([by[d] for d in complete])),
            "real": float(np.mean([by[d] for d in real if by[d] is not None])),
            "worst": diffs[worst], "worst_dataset": worst,
            "n_datasets": len(complete),
        })  # fmt: skip
    return rows


def render(result):
    """The README section of an ensemble_rules result file."""
    rows = summarise(result)
    fmt = _common.fmt
    by = {row["rule"]: row for row in rows}
    default = by[DEFAULT_RULE]
    singles = [row for row in rows if row["kind"] == "single"]
    best_single = max(singles, key=lambda row: row["all"])
    ordered = sorted(rows, key=lambda row: -row["all"])
    table = _common.table(
        ["rule / candidate", "macro-F1, all", "macro-F1, real", f"worst − `{REFERENCE}`",
         "on"],
        [[f"`{r['rule']}`" if r["kind"] == "single" else r["rule"], fmt(r["all"]),
          fmt(r["real"]), fmt(r["worst"]), r["worst_dataset"]] for r in ordered],
    )  # fmt: skip
    safer = [r for r in rows if r["kind"] == "rule" and r["rule"] != DEFAULT_RULE
             and r["all"] > default["all"]]  # fmt: skip
    sentences = [
        f"The default rule scores {fmt(default['all'])} over the {len(result['datasets'])} "
        f"data sets ({fmt(default['real'])} over the real ones), against "
        f"{fmt(best_single['all'])} for the best single candidate `{best_single['rule']}`; "
        f"its worst data set is {fmt(default['worst'])} against `{REFERENCE}` "
        f"({default['worst_dataset']}).",
        "Rules above it on the mean: "
        + ("; ".join(f"{r['rule']} {fmt(r['all'])}, worst {fmt(r['worst'])} on "
                     f"{r['worst_dataset']}" for r in safer) if safer else "none")
        + ". A rule is only worth its extra choice if it is not worse on the worst data "
        "set: at these sizes a gain of a few thousandths on the mean is noise.",
    ]
    if result["quick"]:
        sentences.append("A quick run: two data sets, two outer folds; no conclusion.")
    return _common.section(
        NAME, TITLE, result,
        f"{len(result['datasets'])} data sets; {result['settings']['outer_cv']} outer CV; "
        f"internal probabilities: {result['settings']['inner_cv']}; the same predictions "
        "for every rule.",
        table,
        _common.conclusions(sentences),
    )  # fmt: skip


if __name__ == "__main__":
    main()
