"""A ``skbalance-run`` directive: run a short code block at build time.

The code is shown, executed, and followed by what it printed, so that the
outputs quoted in the user guide are the outputs of the installed versions.
Blocks of one page share a namespace, in page order. An exception the block
does not announce with ``:raises: ExceptionName`` is a build warning (an error
with ``-W``), and so is an announced exception that no longer happens: the page
would otherwise document a failure that is gone.

Usage::

    .. skbalance-run::
       :raises: ValueError

       RandomForestClassifier(class_weight="balanced").fit(X, y)

Keep the blocks fast (well under a second each): they run on every build.
"""

import contextlib
import io
import traceback
import warnings

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

_NAMESPACES = {}


class SkbalanceRun(SphinxDirective):
    """Show a code block, run it and show its output."""

    has_content = True
    option_spec = {"raises": directives.unchanged_required, "hide-output": directives.flag}

    def run(self):
        code = "\n".join(self.content)
        namespace = _NAMESPACES.setdefault(self.env.docname, {"__name__": "__skbalance_run__"})
        expected = self.options.get("raises")
        stdout = io.StringIO()
        raised = None
        with warnings.catch_warnings(), contextlib.redirect_stdout(stdout):
            warnings.simplefilter("ignore")
            try:
                exec(compile(code, f"<{self.env.docname}>", "exec"), namespace)  # noqa: S102
            except Exception as exc:  # noqa: BLE001 - reported below
                raised = exc
        output = stdout.getvalue()
        location = self.get_location()
        if raised is not None:
            name = type(raised).__name__
            if expected != name:
                detail = "".join(traceback.format_exception(raised)).rstrip()
                logger.warning(
                    "skbalance-run block raised %s (expected %s):\n%s",
                    name,
                    expected or "no exception",
                    detail,
                    location=location,
                )
            output += f"Traceback (most recent call last):\n  ...\n{name}: {raised}\n"
        elif expected:
            logger.warning(
                "skbalance-run block was expected to raise %s but did not; "
                "the page documents a failure that no longer happens.",
                expected,
                location=location,
            )
        code_node = nodes.literal_block(code, code, language="python")
        result = [code_node]
        if output and "hide-output" not in self.options:
            output = output.rstrip("\n")
            out_node = nodes.literal_block(output, output, language="text")
            out_node["classes"].append("skbalance-run-output")
            result.append(out_node)
        return result


def _forget(app, env, docname):
    _NAMESPACES.pop(docname, None)


def setup(app):
    app.add_directive("skbalance-run", SkbalanceRun)
    app.connect("env-purge-doc", _forget)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
