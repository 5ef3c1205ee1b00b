"""Fast checks of the gallery examples of ``examples/``.

The examples run once in CI, when sphinx-gallery builds the documentation
(``abort_on_example_error``). Here each is only checked for the gallery format
and for importing public skbalance names that exist, which catches an example
broken by a rename without running it.
"""

import ast
import importlib
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


def _skbalance_imports(tree):
    """``(module, names)`` of every import of skbalance in a parsed example."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "skbalance":
                    yield alias.name, []
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "skbalance":
            yield node.module, [alias.name for alias in node.names]


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example_imports_public_names(path):
    """Check that an example imports only public skbalance names, all of which exist."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = list(_skbalance_imports(tree))
    assert imports, f"{path.name} does not use skbalance"
    for module_name, names in imports:
        private = [part for part in module_name.split(".") + names if part.startswith("_")]
        assert not private, f"{path.name} imports private names {private}"
        module = importlib.import_module(module_name)
        missing = [name for name in names if not hasattr(module, name)]
        assert not missing, f"{path.name}: {module_name} has no {missing}"
