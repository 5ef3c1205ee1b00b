"""Smoke tests of the benchmark scripts, their runner and the README section.

The benchmarks themselves are not run in CI; these tests check that the runner
finds every script and that each follows the convention (``main`` and
``render``), that every committed result file renders, that a tiny quick run
goes end to end, that the README section is spliced from the result files
(and that a failing render raises), and that no script imports a private
skbalance name.
"""

import ast
import importlib
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "benchmarks"
PRIVATE_ACCESS = re.compile(r"\bskbalance(\.[A-Za-z]\w*)*\._(?!_)")  # dunders are public


@pytest.fixture(scope="module")
def run():
    """``benchmarks.run`` of the repository (not installed: put on sys.path)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))
        yield importlib.import_module("benchmarks.run")


@pytest.fixture
def results_dir(run, tmp_path, monkeypatch):
    """An empty results directory the scripts write to instead of benchmarks/results/."""
    monkeypatch.setattr(importlib.import_module("benchmarks._common"), "RESULTS_DIR", tmp_path)
    return tmp_path


def _script_files():
    files = [*BENCH_DIR.glob("bench_*.py"), *BENCH_DIR.glob("studies/*.py")]
    return {path for path in files if not path.name.startswith("_")}


def test_runner_finds_every_script_and_each_follows_the_convention(run, capsys):
    """Check that every bench_*.py and studies/*.py is found and defines main and render."""
    found = run.scripts()
    modules = {".".join(path.relative_to(ROOT).with_suffix("").parts) for path in _script_files()}
    assert set(found.values()) == modules
    assert "quality" in found and "weights" in found and "router_quality" in found
    names = list(found)
    studies = [name for name, module in found.items() if ".studies." in module]
    assert names[: len(studies)] == sorted(studies)  # studies first, each group by name
    for module in found.values():
        script = run.load(module)
        assert callable(script.main) and callable(script.render)
    assert run.main(["--list"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == names


def test_runner_refuses_a_script_without_render(run, monkeypatch):
    """Check the convention check: a module lacking render() is a clear TypeError."""
    import types

    fake = types.ModuleType("benchmarks.bench_fake")
    fake.main = lambda argv=None: None
    monkeypatch.setitem(importlib.sys.modules, "benchmarks.bench_fake", fake)
    with pytest.raises(TypeError, match="lacks render"):
        run.load("benchmarks.bench_fake")
    with pytest.raises(SystemExit):
        run.main(["no_such_benchmark", "--no-readme"])


FULL_RESULTS = sorted(p.stem for p in (BENCH_DIR / "results").glob("*.json") if "." not in p.stem)


@pytest.mark.parametrize("name", FULL_RESULTS)
def test_every_committed_result_file_renders(run, name):
    """Check that each committed result file renders into its own section."""
    found = run.scripts()
    assert name in found, f"benchmarks/results/{name}.json has no script"
    result = json.loads((BENCH_DIR / "results" / f"{name}.json").read_text())
    section = run.load(found[name]).render(result)
    assert section.startswith(f"### {name} — ")
    assert f"Source: `benchmarks/results/{name}.json`, full run, " in section
    assert "**What to conclude.**" in section


def test_readme_section_is_spliced_from_the_result_files(run, results_dir, tmp_path_factory):
    """Check the README splice: text around kept, missing results named, idempotent."""
    shutil.copy(BENCH_DIR / "results" / "weights.json", results_dir / "weights.json")
    readme = tmp_path_factory.mktemp("readme") / "README.md"
    readme.write_text("# project\n\nintro\n")
    run.update_readme(readme, results_dir)
    text = readme.read_text()
    assert text.startswith(f"# project\n\nintro\n\n## Benchmarks\n\n{run.START}\n{run.INTRO}")
    section = text.split(run.START)[1].split(run.END)[0]
    assert "### weights — " in section and "Targets met: 3 of 3." in section
    assert "### quality\n\nNot run yet: `python -m benchmarks quality`." in section
    assert section.index("### quality") < section.index("### weights")
    readme.write_text(text + "\nafter the section\n")
    run.update_readme(readme, results_dir)
    assert readme.read_text() == text + "\nafter the section\n"


def test_a_failing_render_raises_and_leaves_the_readme_alone(run, results_dir, tmp_path_factory):
    """Check that a result file the script cannot render is an error, not README text."""
    (results_dir / "weights.json").write_text(json.dumps({"date": "2026-01-01", "results": {}}))
    (results_dir / "compare.json").write_text(json.dumps({"date": "2026-01-01"}))
    readme = tmp_path_factory.mktemp("readme") / "README.md"
    readme.write_text("before\n")
    with pytest.raises(KeyError) as failure:
        run.update_readme(readme, results_dir)
    assert "with benchmarks.bench_compare.render" in str(failure.value.__notes__)
    assert readme.read_text() == "before\n"


def test_a_quick_run_goes_end_to_end(run, results_dir):
    """Check a quick run of the router study: it writes <name>.quick.json, which renders."""
    script = run.load(run.scripts()["router_quality"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONWARNINGS", "ignore")
        script.main(["--quick"])
    assert [path.name for path in results_dir.iterdir()] == ["router_quality.quick.json"]
    report = json.loads((results_dir / "router_quality.quick.json").read_text())
    scores = report["long_tail_digits"]["scores"]
    assert list(scores) == ["logistic_regression"]
    assert {"plain", "balanced_classifier", "router_soft"} <= set(scores["logistic_regression"])
    for model in scores["logistic_regression"].values():
        assert 0 < model["f1_macro_mean"] <= 1
    section = run.render(results_dir)
    assert "Source: `benchmarks/results/router_quality.quick.json`, quick run" in section
    assert "A quick run: one CV repeat, logistic regression only." in section


def test_quality_study_scores_every_method_on_the_same_folds(run, results_dir):
    """Check a tiny quality study: compare on explicit folds, ranks, fit-time ratios, CSV."""
    quality = run.load(run.scripts()["quality"])
    quality.main(["--quick", "--datasets", "iris-LT ir=10", "--folds", "3",
                  "--methods", "LR", "skb LR weight:balanced", "imblearn SMOTE+LR"])  # fmt: skip
    report = json.loads((results_dir / "quality.quick.json").read_text())
    assert report["datasets"]["iris-LT ir=10"]["class_counts"] == [50, 15, 5]
    summary = {row["method"]: row for row in report["summary"]}
    assert list(summary) == ["LR", "skb LR weight:balanced", "imblearn SMOTE+LR"]
    assert summary["LR"]["fit_time_ratio"] == 1.0
    assert summary["skb LR weight:balanced"]["fit_time_ratio"] > 0
    for name in ("LR", "skb LR weight:balanced"):
        assert summary[name]["n_failed"] == 0 and 0 < summary[name]["f1_macro"] <= 1
    # the 5-row class leaves SMOTE's 5 neighbours too few rows: a failure, ranked last
    failed = summary["imblearn SMOTE+LR"]
    assert failed["n_failed"] == 1 and failed["mean_rank"] == 3 and "n_neighbors" in failed["first_error"]
    csv_lines = (results_dir / "quality.quick.csv").read_text().splitlines()
    assert csv_lines[0].startswith("dataset,method,library,family,f1_macro_mean")
    assert len(csv_lines) == 1 + 3
    assert "`imblearn SMOTE+LR` on 1/1 data sets" in quality.render(report)


def _private_imports(source):
    """The private skbalance names ``source`` imports or reaches."""
    found = [match.group(0) for match in PRIVATE_ACCESS.finditer(source)]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("skbalance"):
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_private_import_check_catches_each_form():
    """Check that the check below finds every way of reaching a private name."""
    assert _private_imports("from skbalance.compare import compare, _evaluate\n")
    assert _private_imports("from skbalance._validation import check\n")
    assert _private_imports("import skbalance\nskbalance.compare._make_folds\n")
    assert not _private_imports("from skbalance.compare import compare\nskbalance.__version__\n")


def test_benchmarks_use_only_the_public_skbalance_api():
    """Check that no file of benchmarks/ imports a private skbalance name."""
    offenders = {
        str(path.relative_to(ROOT)): names
        for path in BENCH_DIR.rglob("*.py")
        if (names := _private_imports(path.read_text()))
    }
    assert offenders == {}


def test_selection_rules_vote_breaks_ties_for_the_better_candidate(run):
    """Check the vote of the top candidates: majority, and the best voter on a tie."""
    rules = run.load(run.scripts()["selection_rules"])
    per_fold = {"a": np.array([0.9]), "b": np.array([0.8]), "c": np.array([0.7]),
                "d": np.array([0.1])}  # fmt: skip
    record = {"outer_pred": {"a": np.array(["x", "x", "y"]), "b": np.array(["y", "z", "z"]),
                             "c": np.array(["y", "w", "q"]), "d": np.array(["d", "d", "d"])}}  # fmt: skip
    assert rules._vote(record, per_fold).tolist() == ["y", "x", "y"]
