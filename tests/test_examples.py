"""Run every gallery example of ``examples/`` as a script.

The examples are built by sphinx-gallery with the documentation; running them
here catches an example broken by an API change without a documentation
build. Each runs in a fresh interpreter with matplotlib's Agg backend, one
BLAS thread and deprecation warnings as errors (as in the test suite).
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("plot_*.py"))


def test_examples_found():
    """Check that the gallery has its header and its examples."""
    assert (EXAMPLES_DIR / "GALLERY_HEADER.rst").is_file()
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example_format(path):
    """Check that an example is in sphinx-gallery format: titled docstring, cells."""
    source = path.read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(source), clean=False)
    assert docstring, f"{path.name} has no module docstring"
    over, title, under = docstring.strip("\n").splitlines()[:3]
    assert set(over) == set(under) == {"="}, f"{path.name}: title must be over/underlined with ="
    assert len(over) >= len(title) and len(under) >= len(title), f"{path.name}: title line too short"
    assert "\n# %%\n" in source, f"{path.name} has no '# %%' cell"


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example_runs(path, tmp_path):
    """Check that an example runs to the end without error."""
    pytest.importorskip("matplotlib")
    env = dict(
        os.environ,
        MPLBACKEND="Agg",
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    command = [
        sys.executable,
        "-W", "error::FutureWarning",
        "-W", "error::DeprecationWarning",
        str(path),
    ]
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, f"{path.name} failed:\n{result.stderr[-3000:]}"
