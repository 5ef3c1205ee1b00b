"""What the command prints and writes: the table, the recommendation, the files."""

import json
from collections import Counter

import pandas as pd
from rich.markup import escape
from rich.table import Table

from .. import __version__

_METRICS = (("f1_macro", "macro-F1"), ("balanced_accuracy", "balanced acc."), ("gmean", "G-mean"))


def report_warnings(caught, console):
    """Print each distinct warning once, with how often it occurred."""
    counts = Counter(
        (w.category.__name__, " ".join(str(w.message).split())) for w in caught
    )
    for (category, message), count in counts.items():
        times = f" ({count} times)" if count > 1 else ""
        console.print(f"[yellow]{category}{times}:[/] {escape(message)}")


def recommendation(results):
    """One line: the best strategy and how it compares with the plain estimator."""
    best = results.iloc[0]
    name = escape(str(best["strategy"]))
    line = f"[bold green]Recommended: {name}[/] (macro-F1 {best['f1_macro_mean']:.3f}"
    plain = results[(results["strategy"] == "plain") & results["error"].isna()]
    if best["strategy"] == "plain":
        return line + "; no imbalance strategy beats the plain estimator)"
    if len(plain):
        return line + f" vs plain {plain['f1_macro_mean'].iloc[0]:.3f})"
    return line + ")"


def results_table(results):
    """The ranked rich table of the results."""
    table = Table(title="Strategies ranked by macro-F1 (mean ± std over folds)")
    table.add_column("#", justify="right")
    table.add_column("strategy", no_wrap=True)
    for _, label in _METRICS:
        table.add_column(label, justify="right", no_wrap=True)
    table.add_column("fit time", justify="right", no_wrap=True)
    table.add_column("error", max_width=45, no_wrap=True, overflow="ellipsis")
    for rank, (_, row) in enumerate(results.iterrows(), start=1):
        failed = row["error"] is not None
        fit = row["fit_time_mean"]
        table.add_row(
            str(rank),
            escape(str(row["strategy"])),
            *(_score(row, metric) for metric, _ in _METRICS),
            "—" if pd.isna(fit) else f"{fit:.2f}s",
            "" if not failed else escape(str(row["error"]).splitlines()[0]),
            style="red" if failed else ("bold green" if rank == 1 else None),
        )
    return table


def _score(row, metric):
    mean, std = row[f"{metric}_mean"], row[f"{metric}_std"]
    return "—" if pd.isna(mean) else f"{mean:.3f} ± {std:.3f}"


def write_results(results, path, run):
    """Write the results as CSV (the table) or JSON (run metadata, table, fold scores)."""
    if path.suffix.lower() == ".csv":
        results.to_csv(path, index=False)
        return
    fold_scores = pd.DataFrame(results.attrs["fold_scores"])
    payload = {
        "run": run,
        "best_strategy": results.attrs.get("best_strategy"),
        "rank_by": results.attrs.get("rank_by"),
        "classes": [_plain(c) for c in results.attrs.get("classes", [])],
        "class_counts": results.attrs.get("class_counts"),
        "n_splits": results.attrs.get("n_splits"),
        "results": json.loads(results.to_json(orient="records")),
        "fold_scores": json.loads(fold_scores.to_json(orient="records")),
    }
    path.write_text(json.dumps(payload, indent=2) + "\n")


def run_metadata(*, path, data, estimator, cv, repeats, random_state, quick):
    """What the JSON output says about the run that produced it."""
    return {
        "skbalance_version": __version__,
        "data": "embedded long-tailed digits" if path is None else path.name,
        "target": data.target,
        "rows": data.n_rows,
        "estimator": estimator,
        "cv": cv,
        "repeats": repeats,
        "random_state": random_state,
        "quick": quick,
    }


def _plain(value):
    """A JSON-friendly label."""
    return value.item() if hasattr(value, "item") else value
