"""What the command prints and writes: the table, the recommendation, the files."""

import json
import math
from collections import Counter

import pandas as pd
from rich.markup import escape
from rich.table import Table

from .. import __version__

#: Posterior probability that makes a difference reliable (recommend's threshold).
_RELIABLE = 0.9


def report_warnings(caught, console):
    """Print each distinct warning once, with how often it occurred."""
    counts = Counter(
        (w.category.__name__, " ".join(str(w.message).split())) for w in caught
    )
    for (category, message), count in counts.items():
        times = f" ({count} times)" if count > 1 else ""
        console.print(f"[yellow]{category}{times}:[/] {escape(message)}", soft_wrap=True)


def recommendation(results):
    """One line: :func:`skbalance.compare.recommend`'s verdict (shared with the plot)."""
    advice = results.attrs["recommendation"]
    if advice["reliable"]:
        return f"[bold green]Recommended:[/] {escape(advice['message'])}"
    return f"[bold]{escape(advice['message'])}[/] Keep {escape(advice['strategy'])}."


def results_table(results):
    """The ranked rich table: scores, and the paired difference to the reference."""
    reference = results.attrs["reference"]
    advice = results.attrs["recommendation"]
    n_splits, n_repeats = results.attrs["n_splits"], results.attrs["n_repeats"]
    table = Table(
        title=(
            f"Strategies ranked by macro-F1 (mean ± std over {n_splits * n_repeats} folds: "
            f"{n_splits} × {n_repeats} repeat{'s' if n_repeats > 1 else ''})"
        ),
        caption=(
            f"Δ: paired difference of macro-F1 to {reference} on the same folds, with its "
            f"95% interval; better/worse: P ≥ {_RELIABLE}; tie: within ±"
            f"{results.attrs['rope']:g} most likely."
        ),
    )
    failed = results["error"].notna().to_numpy()
    columns = ["#", "strategy", "macro-F1", f"Δ vs {reference} [95% interval]", "P(better)",
               "verdict", "bal. acc.", "G-mean"]  # fmt: skip
    for name in columns:
        left = name in ("strategy", "verdict")
        table.add_column(name, justify="left" if left else "right", no_wrap=True)
    for rank, (_, row) in enumerate(results.iterrows(), start=1):
        cells = [
            str(rank),
            escape(str(row["strategy"])),
            _score(row, "f1_macro"),
            _difference(row),
            "" if pd.isna(row["p_better"]) else f"{row['p_better']:.2f}",
            _verdict(row, reference, advice),
            _mean(row, "balanced_accuracy"),
            _mean(row, "gmean"),
        ]
        chosen = row["strategy"] == advice["strategy"]
        style = "red" if failed[rank - 1] else ("bold green" if chosen else None)
        table.add_row(*cells, style=style)
    return table


def failures(results):
    """One line per failed strategy with its first error (the table says ``failed``)."""
    failed = results[results["error"].notna()]
    return [
        f"{row.strategy} failed: {str(row.error).splitlines()[0]}" for row in failed.itertuples()
    ]


def aliases_line(results):
    """Which strategies were the same model on this data (fitted once), or None."""
    if "aliases" not in results.columns:
        return None
    same = [f"{row.strategy} = {row.aliases}" for row in results.itertuples() if row.aliases]
    if not same:
        return None
    return "Same model on this data, fitted once: " + "; ".join(same) + "."


def _score(row, metric):
    mean, std = row[f"{metric}_mean"], row[f"{metric}_std"]
    return "—" if pd.isna(mean) else f"{mean:.3f} ± {std:.3f}"


def _mean(row, metric):
    mean = row[f"{metric}_mean"]
    return "—" if pd.isna(mean) else f"{mean:.3f}"


def _difference(row):
    if pd.isna(row["diff_mean"]):
        return ""
    return f"{row['diff_mean']:+.3f} [{row['diff_low']:+.3f}, {row['diff_high']:+.3f}]"


def _verdict(row, reference, advice):
    """``reference``, ``better`` (P ≥ 0.9), ``worse``, ``tie`` (rope most likely),
    ``unclear`` or ``failed``."""
    if row["strategy"] == reference:
        return "reference"
    if pd.notna(row["error"]):
        return "failed"
    if pd.isna(row["p_better"]):
        return ""
    if row["p_better"] >= _RELIABLE:
        return "better"
    if row["p_worse"] >= _RELIABLE:
        return "worse"
    if row["strategy"] in advice["equivalent"]:
        return "tie"
    return "unclear"


def write_results(results, fold_scores, path, run):
    """Write the results as CSV (the table) or JSON (run metadata, table, fold scores)."""
    if path.suffix.lower() == ".csv":
        results.to_csv(path, index=False)
        return
    payload = {
        "run": run,
        "recommendation": {k: _plain(v) for k, v in results.attrs["recommendation"].items()},
        "reference": results.attrs["reference"],
        "rope": results.attrs["rope"],
        "n_repeats": results.attrs["n_repeats"],
        "best_strategy": results.attrs.get("best_strategy"),
        "rank_by": results.attrs.get("rank_by"),
        "classes": [_plain(c) for c in results.attrs.get("classes", [])],
        "class_counts": results.attrs.get("class_counts"),
        "n_splits": results.attrs.get("n_splits"),
        "results": json.loads(results.to_json(orient="records")),
        "fold_scores": json.loads(fold_scores.to_json(orient="records")),
    }
    path.write_text(json.dumps(payload, indent=2) + "\n")


def run_metadata(*, path, data, estimator, cv, repeats, reference, rope, random_state, quick):
    """What the JSON output says about the run that produced it."""
    return {
        "skbalance_version": __version__,
        "data": "embedded long-tailed digits" if path is None else path.name,
        "target": data.target,
        "rows": data.n_rows,
        "estimator": estimator,
        "cv": cv,
        "repeats": repeats,
        "reference": reference,
        "rope": rope,
        "random_state": random_state,
        "quick": quick,
    }


def _plain(value):
    """A JSON-friendly value: NumPy scalars as Python ones, NaN as None."""
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and math.isnan(value) else value
