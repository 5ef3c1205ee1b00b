"""Smoke tests of the benchmark runner, the quality benchmark and the README section.

The benchmarks themselves are not run in CI; these tests only check that the
entry point knows every script, that the quality benchmark runs end to end on
one tiny data set with two methods, and that the README section is generated
from result files.
"""

import importlib
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def benchmarks_package():
    """The ``benchmarks`` package of the repository (not installed: on sys.path)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))
        yield importlib.import_module("benchmarks.run")


@pytest.fixture(scope="module")
def quality_report(benchmarks_package, tmp_path_factory):
    """A dry run of the quality benchmark: iris long tail, 2 methods, 3 folds."""
    bench_quality = importlib.import_module("benchmarks.bench_quality")
    results = tmp_path_factory.mktemp("results")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONWARNINGS", "ignore")  # set by the benchmark for its workers
        bench_quality.run(
            quick=True,
            datasets=["iris-LT ir=10"],
            methods=["LR", "skb LR weight:balanced"],
            n_splits=3,
            n_repeats=1,
            output=results / "quality_quick.json",
            csv_output=results / "quality_quick.csv",
        )
    return results


def test_runner_lists_every_benchmark_script(benchmarks_package, capsys):
    """Check that --list names every bench_*.py script of benchmarks/, in run order."""
    run = benchmarks_package
    assert run.main(["--list"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == list(run.BENCHMARKS)
    scripts = {path.name for path in (ROOT / "benchmarks").glob("bench_*.py")}
    assert {script for script, _ in run.BENCHMARKS.values()} == scripts


def test_quick_command_never_overwrites_full_results(benchmarks_package):
    """Check that a quick run points every script at <name>_quick result files."""
    run = benchmarks_package
    for name in run.BENCHMARKS:
        cmd = run.command(name, quick=True)
        assert "--quick" in cmd
        outputs = [cmd[i + 1] for i, arg in enumerate(cmd) if arg in ("--output", "--figure")]
        assert all(Path(out).stem == f"{name}_quick" for out in outputs)
    assert "--quick" not in run.command("quality", quick=False)


def test_quality_dry_run_writes_json_and_csv(quality_report):
    """Check that the quality benchmark scores both methods on the same folds."""
    report = json.loads((quality_report / "quality_quick.json").read_text())
    assert report["datasets"]["iris-LT ir=10"]["class_counts"] == [50, 15, 5]
    summary = {row["method"]: row for row in report["summary"]}
    assert set(summary) == {"LR", "skb LR weight:balanced"}
    for row in summary.values():
        assert row["n_failed"] == 0
        assert 0 <= row["f1_macro"] <= 1
        assert 1 <= row["mean_rank"] <= 2
    assert summary["LR"]["fit_time_ratio"] == 1.0
    assert summary["skb LR weight:balanced"]["fit_time_ratio"] > 0
    csv_lines = (quality_report / "quality_quick.csv").read_text().splitlines()
    assert csv_lines[0].startswith("dataset,method,library,family,f1_macro_mean")
    assert len(csv_lines) == 1 + 2


def test_readme_section_is_generated_between_markers(
    benchmarks_package, quality_report, tmp_path
):
    """Check that the README section is regenerated from the result files only."""
    run = benchmarks_package
    readme = tmp_path / "README.md"
    readme.write_text("# project\n\nintro\n")
    run.update_readme(readme, quality_report)
    text = readme.read_text()
    assert text.startswith("# project\n\nintro\n\n## Benchmarks\n")
    section = text.split(run.START)[1].split(run.END)[0]
    assert "quality_quick.json" in section and "`skb LR weight:balanced`" in section
    assert "**What to conclude.**" in section
    assert "Not run yet: `python -m benchmarks --only scaling`" in section
    assert (quality_report / "README_table.md").read_text().strip() == section.strip()
    readme.write_text(text + "\nafter the section\n")
    run.update_readme(readme, quality_report)  # idempotent, text around kept
    assert readme.read_text() == text + "\nafter the section\n"


def test_selection_rules_benchmark_runs_and_renders(benchmarks_package, tmp_path):
    """Check the selection-rules benchmark on one tiny data set, and its README table."""
    bench = importlib.import_module("benchmarks.bench_selection_rules")
    report = bench.run(quick=True, datasets=["iris-LT ir=10"],
                       output=tmp_path / "selection_rules_quick.json")  # fmt: skip
    scores = report["datasets"]["iris-LT ir=10"]["f1_macro"]
    summary = report["summary"]
    assert set(summary["rules"]) == {*bench.PICKING_RULES, bench.VOTE_RULE}
    assert summary["hindsight"] == max(summary["fixed"].values())
    for rule in bench.PICKING_RULES:  # a picking rule scores what it picked
        assert min(summary["fixed"].values()) <= scores[rule] <= summary["hindsight"]
    section = benchmarks_package.render(tmp_path)
    assert "rule: best mean (BalancedClassifierCV)" in section
    assert "hindsight: the best fixed strategy of each data set" in section


def test_selection_rules_vote_breaks_ties_for_the_better_candidate(benchmarks_package):
    """Check the vote of the top candidates: majority, and the best voter on a tie."""
    import numpy as np

    bench = importlib.import_module("benchmarks.bench_selection_rules")
    per_fold = {"a": np.array([0.9]), "b": np.array([0.8]), "c": np.array([0.7]),
                "d": np.array([0.1])}  # fmt: skip
    record = {"outer_pred": {"a": np.array(["x", "x", "y"]), "b": np.array(["y", "z", "z"]),
                             "c": np.array(["y", "w", "q"]), "d": np.array(["d", "d", "d"])}}  # fmt: skip
    assert bench._vote(record, per_fold).tolist() == ["y", "x", "y"]
