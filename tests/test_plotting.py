"""Tests of skbalance.plotting."""

import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

matplotlib = pytest.importorskip("matplotlib", reason="plotting needs the [plot] extra")
matplotlib.use("Agg")

import matplotlib.pyplot as plt
from _doubles import FailingClassifier
from matplotlib.figure import Figure

from skbalance.compare import compare
from skbalance.plotting import plot_comparison

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def results():
    rng = np.random.RandomState(0)
    y = np.repeat(["big", "mid", "small"], [60, 25, 8])
    X = rng.normal(size=(len(y), 4)) + (y == "small")[:, None] * 2.0
    strategies = {
        "plain": DummyClassifier(),
        "tree": DecisionTreeClassifier(max_depth=3, random_state=0),
        "balanced tree": DecisionTreeClassifier(
            max_depth=3, class_weight="balanced", random_state=0
        ),
        "stratified": DummyClassifier(strategy="stratified", random_state=0),
        "broken": FailingClassifier(RuntimeError, "no luck"),
    }
    return compare(X, y, strategies=strategies, cv=3, random_state=0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_comparison_returns_a_figure_saved_as_png(results, tmp_path):
    """Check that plot_comparison returns a three-panel Figure that saves to a valid PNG,
    titled with the recommendation (the best mean without statistics)."""
    fig = plot_comparison(results)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 3
    path = tmp_path / "comparison.png"
    fig.savefig(path, dpi=60)
    assert path.read_bytes()[:8] == PNG_MAGIC
    advice = results.attrs["recommendation"]
    title = fig.get_suptitle()
    if advice["reliable"]:
        assert title.startswith(f"Recommended: {advice['strategy']} (macro-F1 +")
    else:
        assert title == (
            f"No strategy is reliably better than plain (macro-F1 {advice['score']:.3f})"
        )
    bare = plot_comparison(results.drop(columns=["diff_mean"]))
    best = results.attrs["best_strategy"]
    assert len(bare.axes) == 2 and bare.get_suptitle().startswith(f"Best: {best} (macro-F1")


def test_plot_comparison_panels(results):
    """Check the panels: strategies ranked, failures marked, top recalls, classes by size."""
    fig = plot_comparison(results, top=2)
    scores, differences, recall = fig.axes
    labels = [t.get_text() for t in scores.get_yticklabels()]
    assert labels == [
        f"{name}  (failed)" if name == "broken" else name for name in results["strategy"]
    ]
    assert any("RuntimeError: no luck" in t.get_text() for t in scores.texts)
    legend = [t.get_text() for t in recall.get_legend().get_texts()]
    top_two = [s for s in results["strategy"] if s != "plain"][:2]
    if "plain" in results["strategy"].iloc[:2].tolist():
        assert legend == results["strategy"].iloc[:2].tolist()
    else:
        assert legend == [*top_two, "plain (baseline)"]
    ticks = [t.get_text() for t in recall.get_xticklabels()]
    assert ticks == ["big\nn=60", "mid\nn=25", "small\nn=8"]


def test_plot_comparison_without_attrs_and_into_a_given_figure(results):
    """Check that results read back from a file plot, and that fig= is reused."""
    bare = pd.DataFrame(results.to_dict(orient="list"))
    fig = plt.figure()
    assert plot_comparison(bare, fig=fig) is fig
    ticks = [t.get_text() for t in fig.axes[1].get_xticklabels()]
    assert ticks == ["big", "mid", "small"]


def test_plot_comparison_rejects_invalid_input(results):
    """Check that a non-results DataFrame and a bad top are refused."""
    with pytest.raises(ValueError, match="returned by skbalance.compare.compare"):
        plot_comparison(pd.DataFrame({"a": [1]}))
    with pytest.raises(InvalidParameterError, match="top"):
        plot_comparison(results, top=0)


def test_plot_comparison_names_the_extra_without_matplotlib(results, monkeypatch):
    """Check that a missing matplotlib gives an ImportError naming the [plot] extra."""
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"skbalance\[plot\]"):
        plot_comparison(results)


def _many_classes_results(n_classes):
    """A results table with ``n_classes`` long-named classes (no fit needed)."""
    rng = np.random.RandomState(0)
    labels = [f"class_{i:02d}" for i in range(n_classes)]
    rows = {"strategy": ["balanced", "plain", "inverse"]}
    for metric in ("f1_macro", "balanced_accuracy", "gmean"):
        rows[f"{metric}_mean"] = [0.5, 0.4, 0.3]
        rows[f"{metric}_std"] = [0.05, 0.05, 0.05]
    for label in labels:
        rows[f"recall_{label}"] = rng.uniform(size=3)
    rows["error"] = [None, None, None]
    results = pd.DataFrame(rows)
    results.attrs.update(classes=labels, class_counts=list(range(300, 300 - n_classes, -1)))
    return results


@pytest.mark.parametrize("n_classes", [18, 30])
def test_recall_panel_is_legible_with_many_classes(n_classes):
    """Check that with up to 30 classes the class labels neither overlap each other
    nor hide under the legend."""
    fig = plot_comparison(_many_classes_results(n_classes))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    recall = fig.axes[-1]
    ticks = [t.get_window_extent(renderer) for t in recall.get_xticklabels()]
    assert len(ticks) == n_classes
    assert all(left.x1 <= right.x0 for left, right in zip(ticks, ticks[1:]))
    legend = recall.get_legend().get_window_extent(renderer)
    assert not any(legend.overlaps(tick) for tick in ticks)
    assert all(tick.y0 >= 0 for tick in ticks)  # inside the figure
    assert recall.get_xticklabels()[0].get_text() == "class_00 (n=300)"


def test_difference_panel_shows_intervals_and_the_recommended_row():
    """Check the middle panel: one interval per compared strategy, coloured by verdict,
    the reference marked, and the recommended row (not the best mean) highlighted."""
    results = pd.DataFrame(
        {
            "strategy": ["lucky", "good", "plain", "bad"],
            "f1_macro_mean": [0.8, 0.78, 0.7, 0.5],
            "f1_macro_std": [0.2, 0.02, 0.02, 0.02],
            "diff_mean": [0.1, 0.08, np.nan, -0.2],
            "diff_low": [-0.3, 0.05, np.nan, -0.25],
            "diff_high": [0.5, 0.11, np.nan, -0.15],
            "p_better": [0.6, 0.99, np.nan, 0.0],
            "p_worse": [0.3, 0.0, np.nan, 1.0],
            "error": [None] * 4,
        }
    )
    results.attrs.update(
        reference="plain", rope=0.01, rank_by="f1_macro",
        recommendation={"strategy": "good", "reference": "plain", "reliable": True,
                        "diff": 0.08, "p_better": 0.99, "reference_score": 0.7},
    )  # fmt: skip
    fig = plot_comparison(results)
    scores, differences, _ = fig.axes
    assert fig.get_suptitle() == "Recommended: good (macro-F1 +0.080 vs plain, P(better) = 0.99)"
    intervals = [line for line in differences.get_lines() if line.get_linewidth() == 2.0]
    assert [tuple(line.get_xdata()) for line in intervals] == [(-0.3, 0.5), (0.05, 0.11),
                                                               (-0.25, -0.15)]  # fmt: skip
    assert [line.get_color() for line in intervals] == ["0.45", "#2ca02c", "#d62728"]
    assert [t.get_text() for t in differences.texts] == ["reference"]
    bold = [t.get_text() for t in scores.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["good"]
