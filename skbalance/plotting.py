"""Figures for the results of :func:`skbalance.compare.compare` (matplotlib)."""

from numbers import Integral

import numpy as np
import pandas as pd

from ._sklearn_compat import Interval, validate_params

__all__ = ["plot_comparison"]

_METRIC_LABELS = {
    "f1_macro": "macro-F1",
    "balanced_accuracy": "balanced accuracy",
    "gmean": "G-mean",
}
_METRIC_STYLE = {
    "f1_macro": dict(color="#1f77b4", marker="o"),
    "balanced_accuracy": dict(color="#ff7f0e", marker="s"),
    "gmean": dict(color="#2ca02c", marker="D"),
}
_HIGHLIGHT = "#fff2b3"
#: Above this many classes the recall ticks are rotated and the legend moves aside.
_MANY_CLASSES = 12


@validate_params(
    {
        "results": [pd.DataFrame],
        "top": [Interval(Integral, 1, None, closed="left")],
        "fig": "no_validation",
    },
    prefer_skip_nested_validation=True,
)
def plot_comparison(results, *, top=3, fig=None):
    """Plot the scores of compared strategies and the per-class recall of the best.

    The left panel shows every strategy (best at the top, ranked as in
    ``results``) with the mean of each metric across folds and its standard
    deviation as an error bar; failed strategies are marked. When ``results``
    hold compare's paired statistics (a ``reference``), a middle panel shows
    each strategy's difference to the reference with its 95% interval
    (green: reliably better, red: reliably worse) and the band of practical
    equivalence (±rope); the title and the highlighted row are then the
    recommendation of :func:`skbalance.compare.recommend`, as the
    ``skbalance`` command prints it, else the best mean. The right panel
    shows the recall of each class for the ``top`` best strategies (and the
    ``"plain"`` baseline when there is one), classes ordered from the largest
    to the smallest.

    Parameters
    ----------
    results : pandas.DataFrame
        The output of :func:`skbalance.compare.compare`.
    top : int, default=3
        Number of strategies whose per-class recall is drawn.
    fig : matplotlib.figure.Figure, default=None
        Figure to draw into (it is cleared first); None creates one sized for
        the number of strategies.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure; save it with ``fig.savefig("comparison.png", dpi=150)``.

    See Also
    --------
    skbalance.compare.compare : Computes ``results``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skbalance import BalancedClassifier
    >>> from skbalance.compare import compare
    >>> from skbalance.datasets import load_long_tailed_digits
    >>> from skbalance.plotting import plot_comparison
    >>> X, y = load_long_tailed_digits(imbalance_ratio=10, return_X_y=True)
    >>> tree = DecisionTreeClassifier(random_state=0)
    >>> strategies = {"plain": tree, "balanced": BalancedClassifier(tree)}
    >>> results = compare(X, y, strategies=strategies, cv=3, random_state=0)
    >>> fig = plot_comparison(results)
    >>> len(fig.axes)
    3
    >>> fig.get_suptitle()
    'No strategy is reliably better than plain (macro-F1 0.731)'
    >>> len(plot_comparison(results.drop(columns="diff_mean")).axes)
    2
    """
    plt = _import_pyplot()
    metrics = [m for m in _METRIC_LABELS if f"{m}_mean" in results.columns]
    if "strategy" not in results.columns or not metrics:
        raise ValueError(
            "results must be the DataFrame returned by skbalance.compare.compare "
            "(columns 'strategy' and '<metric>_mean')."
        )
    if len(results) == 0:
        raise ValueError("results has no strategy to plot.")
    if fig is None:
        fig = plt.figure(figsize=_figure_size(results), layout="constrained")
    else:
        fig.clear()
    if _has_statistics(results):
        ax_scores, ax_diff, ax_recall = fig.subplots(1, 3, width_ratios=[1.15, 0.7, 1])
        _plot_differences(ax_diff, results)
    else:
        ax_scores, ax_recall = fig.subplots(1, 2, width_ratios=[1.15, 1])
    _plot_scores(ax_scores, results, metrics)
    _plot_recall(ax_recall, results, top)
    fig.suptitle(_title(results), fontsize=13, fontweight="bold")
    return fig


def _figure_size(results):
    """Room for every strategy (rows) and, with many classes, their rotated labels."""
    n_classes = sum(column.startswith("recall_") for column in results.columns)
    width = 13 + 0.18 * max(0, n_classes - _MANY_CLASSES) + 4 * _has_statistics(results)
    height = max(4.2, 0.42 * len(results) + 2.2)
    if n_classes > _MANY_CLASSES:  # rotated "label (n=…)" ticks below the recall panel
        longest = max(len(column) for column in results.columns if column.startswith("recall_"))
        height = max(height, 4.2 + 0.07 * (longest - len("recall_") + 8))
    return width, height


def _import_pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            'plot_comparison needs matplotlib: pip install "skbalance[plot]".'
        ) from exc
    return plt


def _failed(results):
    if "error" not in results.columns:
        return np.zeros(len(results), dtype=bool)
    return results["error"].notna().to_numpy()


def _has_statistics(results):
    """Whether ``results`` hold compare's paired differences to a reference."""
    return results.attrs.get("reference") is not None and {
        "diff_mean", "diff_low", "diff_high", "p_better", "p_worse"
    } <= set(results.columns)  # fmt: skip


def _title(results):
    """The recommendation of :func:`skbalance.compare.recommend`, as the CLI says it."""
    rank_by = results.attrs.get("rank_by", "f1_macro")
    if f"{rank_by}_mean" not in results.columns:
        rank_by = next(m for m in _METRIC_LABELS if f"{m}_mean" in results.columns)
    label = _METRIC_LABELS[rank_by]
    ok = results[~_failed(results)]
    if ok.empty:
        return "Every strategy failed"
    advice = results.attrs.get("recommendation")
    if advice is not None and _has_statistics(results):
        return _recommendation_title(advice, label)
    best = ok.iloc[0]
    title = f"Best: {best['strategy']} ({label} {best[f'{rank_by}_mean']:.3f})"
    plain = ok[ok["strategy"] == "plain"]
    if best["strategy"] != "plain" and len(plain):
        title += f" vs plain {plain.iloc[0][f'{rank_by}_mean']:.3f}"
    return title


def _recommendation_title(advice, label):
    """A short form of the recommendation's message."""
    reference = advice["reference"]
    if advice["reliable"]:
        return (
            f"Recommended: {advice['strategy']} ({label} {advice['diff']:+.3f} vs "
            f"{reference}, P(better) = {advice['p_better']:.2f})"
        )
    if np.isfinite(advice["reference_score"]):
        return (
            f"No strategy is reliably better than {reference} "
            f"({label} {advice['reference_score']:.3f})"
        )
    return advice["message"]


def _plot_differences(ax, results):
    """Forest plot: each strategy's paired difference to the reference, 95% interval."""
    n = len(results)
    positions = np.arange(n)[::-1]
    reference = results.attrs["reference"]
    rope = results.attrs.get("rope", 0.0)
    rank_by = _METRIC_LABELS.get(results.attrs.get("rank_by", "f1_macro"), "score")
    ax.axvspan(-rope, rope, color="0.9", zorder=0, label=f"tie: within ±{rope:g}")
    ax.axvline(0.0, color="0.5", linewidth=1.0, zorder=1)
    for position, (_, row) in zip(positions, results.iterrows()):
        if row["strategy"] == reference:
            ax.text(0.0, position, "reference", ha="center", va="center", fontsize=8,
                    color="0.35", bbox=dict(facecolor="white", edgecolor="none", pad=1))  # fmt: skip
            continue
        if not np.isfinite(row["diff_mean"]):
            continue
        color = _verdict_color(row)
        ax.plot([row["diff_low"], row["diff_high"]], [position, position], color=color,
                linewidth=2.0, solid_capstyle="butt")  # fmt: skip
        ax.plot(row["diff_mean"], position, marker="o", color=color, markersize=5)
    ax.set_yticks(positions, [""] * n)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_title(f"Δ {rank_by} vs {reference}, 95% interval", loc="left")
    ax.grid(axis="x", color="0.9")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), borderaxespad=2.0,
              frameon=False, fontsize=9)  # fmt: skip


def _verdict_color(row):
    """Green when reliably better, red when reliably worse, grey otherwise."""
    if row["p_better"] >= 0.9:
        return "#2ca02c"
    if row["p_worse"] >= 0.9:
        return "#d62728"
    return "0.45"


def _chosen(results):
    """Row of the recommended strategy (the best one without statistics), or None."""
    advice = results.attrs.get("recommendation")
    if advice is not None and _has_statistics(results):
        rows = np.flatnonzero(results["strategy"].to_numpy() == advice["strategy"])
        return int(rows[0]) if len(rows) else None
    return None if _failed(results)[0] else 0


def _plot_scores(ax, results, metrics):
    """Dot plot: strategies (rows) x metrics, mean +/- std across folds."""
    n = len(results)
    positions = np.arange(n)[::-1]
    failed = _failed(results)
    # the first metric (the ranking one) on top of each row
    offsets = np.linspace(0.22, -0.22, len(metrics)) if len(metrics) > 1 else [0.0]
    chosen = _chosen(results)
    if chosen is not None:
        ax.axhspan(positions[chosen] - 0.5, positions[chosen] + 0.5, color=_HIGHLIGHT, zorder=0)
    for metric, offset in zip(metrics, offsets):
        mean = results[f"{metric}_mean"].to_numpy(dtype=float)
        std = results.get(f"{metric}_std", pd.Series(np.zeros(n))).to_numpy(dtype=float)
        ax.errorbar(
            mean,
            positions + offset,
            xerr=std,
            linestyle="none",
            markersize=6,
            capsize=2.5,
            elinewidth=1.2,
            label=_METRIC_LABELS[metric],
            **_METRIC_STYLE[metric],
        )
    labels = [
        f"{name}  (failed)" if bad else name
        for name, bad in zip(results["strategy"], failed)
    ]
    ax.set_yticks(positions, labels)
    for tick, bad, rank in zip(ax.get_yticklabels(), failed, range(n)):
        if bad:
            tick.set_color("0.55")
        elif rank == chosen:
            tick.set_fontweight("bold")
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlim(*_score_limits(results, metrics))
    for position, bad, error in zip(positions, failed, results.get("error", [None] * n)):
        if bad:
            ax.text(
                0.02,
                position,
                _shorten(str(error), 60),
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=8,
                color="0.45",
            )
    rank_mean = results[f"{metrics[0]}_mean"].to_numpy(dtype=float)
    for position, value in zip(positions, rank_mean):
        if np.isfinite(value):
            ax.text(
                1.01,
                position + offsets[0],
                f"{value:.3f}",
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=8,
                color=_METRIC_STYLE[metrics[0]]["color"],
            )
    n_splits, n_repeats = results.attrs.get("n_splits"), results.attrs.get("n_repeats", 1)
    folds = f"{n_splits * n_repeats} CV folds" if n_splits else "CV folds"
    ax.set_title(f"Scores, mean ± std over {folds}", loc="left")
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    # anchored below the tick labels, whatever the figure height
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        borderaxespad=2.0,
        ncols=len(metrics),
        frameon=False,
    )


def _shorten(text, width):
    text = text.splitlines()[0] if text else ""
    return text if len(text) <= width else text[: width - 1] + "…"


def _score_limits(results, metrics):
    """x-limits showing every mean +/- std, within [0, 1.02]."""
    lows, highs = [], []
    for metric in metrics:
        mean = results[f"{metric}_mean"].to_numpy(dtype=float)
        std = results.get(f"{metric}_std", pd.Series(np.zeros(len(mean)))).to_numpy(dtype=float)
        lows.append(mean - np.nan_to_num(std))
        highs.append(mean + np.nan_to_num(std))
    low, high = np.nanmin(np.concatenate(lows)), np.nanmax(np.concatenate(highs))
    if not np.isfinite(low):
        return -0.02, 1.02
    margin = 0.05 * max(high - low, 0.1)
    return max(-0.02, low - margin), min(1.02, high + margin)


def _recall_classes(results):
    """The recall columns, ordered by class size (largest first) when known."""
    columns = [c for c in results.columns if c.startswith("recall_")]
    classes = results.attrs.get("classes")
    counts = results.attrs.get("class_counts")
    if classes is not None and [f"recall_{c}" for c in classes] == columns:
        labels = [str(c) for c in classes]
        if counts is not None and len(counts) == len(classes):
            order = np.argsort(-np.asarray(counts), kind="stable")
            return [columns[i] for i in order], [labels[i] for i in order], [
                int(counts[i]) for i in order
            ]
        return columns, labels, None
    return columns, [c[len("recall_") :] for c in columns], None


def _plot_recall(ax, results, top):
    """Per-class recall of the best strategies, classes largest first."""
    columns, labels, counts = _recall_classes(results)
    order = ", largest class first" if counts is not None else ""
    ax.set_title(f"Recall per class of the top {top}{order}", loc="left")
    if not columns:
        ax.text(0.5, 0.5, "no per-class recall in results", ha="center", transform=ax.transAxes)
        return
    ok = results[~_failed(results)]
    shown = list(ok["strategy"].iloc[:top])
    if "plain" in set(ok["strategy"]) and "plain" not in shown:
        shown.append("plain")
    x = np.arange(len(columns))
    colors = ["#d62728", "#9467bd", "#17becf", "#8c564b", "#e377c2"]
    markers = ["o", "s", "^", "v", "P"]
    # dodge the strategies sideways so that equal recalls stay visible
    dodge = 0.1 * (np.arange(len(shown)) - (len(shown) - 1) / 2)
    for i, name in enumerate(shown):
        row = ok[ok["strategy"] == name].iloc[0]
        baseline = name == "plain" and i >= top
        ax.plot(
            x + dodge[i],
            row[columns].to_numpy(dtype=float),
            marker="o" if baseline else markers[i % len(markers)],
            markersize=5,
            linewidth=1.4,
            linestyle="--" if baseline else "-",
            color="0.45" if baseline else colors[i % len(colors)],
            label=f"{name} (baseline)" if baseline else name,
            zorder=3 if i == 0 else 2,
        )
    many = len(x) > _MANY_CLASSES
    _set_class_ticks(ax, x, labels, counts, many)
    ax.set_ylabel("recall (mean across folds)")
    ax.set_ylim(-0.04, 1.06)
    ax.set_xlim(-0.5, len(x) - 0.5)
    ax.grid(axis="y", color="0.9")
    ax.set_axisbelow(True)
    if many:  # beside the panel: below it, it would cover the rotated ticks
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    else:
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            borderaxespad=3.2 if counts is not None else 2.0,
            ncols=min(len(shown), 2),
            frameon=False,
        )


def _set_class_ticks(ax, x, labels, counts, many):
    """One tick per class, with its size; one rotated line each when there are many."""
    if counts is None:
        ticks = labels
    elif many:
        ticks = [f"{c} (n={k})" for c, k in zip(labels, counts)]
    else:
        ticks = [f"{c}\nn={k}" for c, k in zip(labels, counts)]
    ax.set_xticks(x, ticks, fontsize=9 if len(x) <= 8 else 8 if not many else 7)
    if many:
        ax.tick_params(axis="x", labelrotation=90)
