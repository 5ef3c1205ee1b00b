"""Sphinx configuration of the skbalance documentation.

Build from the repository root with::

    python -m sphinx -W -b html docs docs/_build/html

The build needs no network: there is no intersphinx inventory to fetch and
the theme links to no external resource.
"""

import os
import re
import shutil
import sys
from datetime import date

# One BLAS/OpenMP thread: the examples fit small models, for which thread
# start-up and contention with other processes cost far more than they give
# (a tenfold slow-down on a busy 2-core machine). Set before numpy loads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import skbalance  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

threadpool_limits(1)

# local extensions (docs/_ext): the skbalance-run directive
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "_ext"))

# -- Project ------------------------------------------------------------------

project = "skbalance"
author = "skbalance developers"
copyright = f"{date.today().year}, {author}"
release = skbalance.__version__
version = ".".join(release.split(".")[:2])

# -- General ------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "skbalance_run",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "sg_execution_times.rst", "auto_examples/sg_execution_times.rst"]
source_suffix = {".rst": "restructuredtext"}
root_doc = "index"
default_role = "literal"
nitpicky = False

# API pages are written into docs/generated/ (git-ignored) on every build.
# Start from an empty directory: a page left over from a name that moved or
# was removed would be "not included in any toctree", an error with -W.
shutil.rmtree(os.path.join(os.path.dirname(os.path.abspath(__file__)), "generated"),
              ignore_errors=True)
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"

# numpydoc renders the sections; class members are listed by the templates.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# No network at build time: no intersphinx inventories.
intersphinx_mapping = {}

# Pages with maths (the FocalLossClassifier docstring's ``.. math::``) load
# MathJax from its CDN when opened in a browser; the build fetches nothing.
# The user guide writes its formulas in plain text, which needs no script.

# -- sphinx-gallery -----------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r".*\.py$",  # execute every example
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib",),
    "remove_config_comments": True,
    "download_all_examples": True,
    "show_memory": False,
    # the execution-times pages load jQuery and DataTables from CDNs: leave
    # them out so that the built site needs no network (times are printed in
    # the build log)
    "write_computation_times": False,
    "plot_gallery": "True",
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "capture_repr": ("_repr_html_", "__repr__"),
    "doc_module": ("skbalance",),
    "backreferences_dir": None,
    "promote_jupyter_magic": False,
    "first_notebook_cell": None,
}

# -- HTML ---------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skbalance {release}"
html_static_path = ["_static"]
html_css_files = ["skbalance.css"]
html_show_sourcelink = False
html_theme_options = {
    # every link and asset stays local: no icon links, no analytics, no
    # version switcher JSON to download
    "icon_links": [],
    "navbar_end": ["theme-switcher", "navbar-icon-links"],
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_context = {"default_mode": "light"}


# -- Docstring adjustments ----------------------------------------------------

_SHAPE = re.compile(r"of shape \(([^()]*)\)")
_TRAILING_UNDERSCORE = re.compile(r"(?<![`\w])([A-Za-z]\w*_)(?=[,)\s]|$)")


def _quote_shape_names(app, what, name, obj, options, lines):
    """Quote fitted-attribute names in shapes, e.g. ``(n_features_in_,)``.

    In reST a bare word ending in ``_`` is a link to a target of that name, so
    ``ndarray of shape (n_features_in_,)`` is an "Unknown target name" error.
    scikit-learn writes ``(`n_features_in_`,)``; this applies the same quoting
    to docstrings that do not.
    """

    def quote(match):
        return "of shape (" + _TRAILING_UNDERSCORE.sub(r"`\1`", match.group(1)) + ")"

    for i, line in enumerate(lines):
        if "of shape (" in line:
            lines[i] = _SHAPE.sub(quote, line)


def _skip_metadata_request_methods(app, what, name, obj, skip, options):
    """Leave out the ``set_{method}_request`` methods scikit-learn generates.

    They are documented by scikit-learn (metadata routing) and their
    docstrings link to scikit-learn's own user guide, which is not part of
    this build.
    """
    if re.fullmatch(r"set_\w+_request", name):
        return True
    return None


def _resolve_short_names(app, env, node, contnode):
    """Resolve a bare name (``BalancedClassifier``) to the one skbalance object of that name.

    numpydoc turns "See Also" entries into references relative to the current
    module, so ``BalancedClassifier`` in the docstring of a function of
    ``skbalance.focal`` looks for ``skbalance.focal.BalancedClassifier``.
    When exactly one documented skbalance object has that last name, link to it.
    """
    if node.get("refdomain") != "py" or "." in node.get("reftarget", "."):
        return None
    target = node["reftarget"]
    domain = env.get_domain("py")
    # autodoc also registers each object under its canonical (defining-module)
    # name, as an alias: count the documented names only
    matches = [
        name
        for name, entry in domain.objects.items()
        if name.startswith("skbalance.")
        and name.rsplit(".", 1)[-1] == target
        and not entry.aliased
    ]
    if len(matches) != 1:
        return None
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, "obj", matches[0], node, contnode
    )


def setup(app):
    app.connect("autodoc-process-docstring", _quote_shape_names)
    app.connect("autodoc-skip-member", _skip_metadata_request_methods)
    app.connect("missing-reference", _resolve_short_names)
