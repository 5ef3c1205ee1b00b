"""Every public name has an entry in the API reference (docs/api.rst)."""

import re
from pathlib import Path

import pytest
from _public_api import public_objects

import skbalance

API_RST = Path(__file__).resolve().parents[1] / "docs" / "api.rst"

_CURRENT = re.compile(r"^\.\. currentmodule:: (\S+)\s*$")
_AUTODATA = re.compile(r"^\.\. autodata:: (\w+)\s*$")
_ENTRY = re.compile(r"^   (\w+)\s*$")  # a line of an autosummary list


def _documented(text):
    """Full names of the autosummary and autodata entries of an api.rst text."""
    names, module, in_autosummary = set(), None, False
    for line in text.splitlines():
        if match := _CURRENT.match(line):
            module = match.group(1)
        if line.startswith(".. "):
            in_autosummary = line.startswith(".. autosummary::")
        match = _AUTODATA.match(line) or (in_autosummary and _ENTRY.match(line))
        if match:
            names.add(f"{module}.{match.group(1)}")
    return names


def _is_documented(path, obj, documented):
    """``path`` has an entry, or its object has one at its top-level name."""
    name = path.rsplit(".", 1)[1]
    top_level = name in skbalance.__all__ and getattr(skbalance, name) is obj
    return path in documented or (top_level and f"skbalance.{name}" in documented)


def test_documented_parses_entries():
    text = (
        ".. currentmodule:: skbalance.compare\n\n"
        ".. autosummary::\n   :toctree: generated/\n   :nosignatures:\n\n   compare\n\n"
        ".. autodata:: METRICS\n   :no-value:\n\n"
        "Some text naming recommend\n"
    )
    assert _documented(text) == {
        "skbalance.compare.compare",
        "skbalance.compare.METRICS",
    }


@pytest.mark.parametrize(
    ("path", "obj"), public_objects(), ids=[path for path, _ in public_objects()]
)
def test_public_name_in_api_reference(path, obj):
    documented = _documented(API_RST.read_text(encoding="utf-8"))
    assert _is_documented(path, obj, documented), (
        f"{path} is public (in its module's __all__) but has no entry in docs/api.rst; "
        "add it to the autosummary of its module's section."
    )
