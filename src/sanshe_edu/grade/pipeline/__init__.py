"""Grader-side: the nbgrader course, hand-ins read as data, and autograding each submission in
a sandbox of its own (docs/threat-model.md).  Nothing here runs in a student's kernel."""

import sys as _sys

# jsonschema (which nbformat and nbgrader import) imports ``rfc3987_syntax`` when it is
# installed (jupyter-events brings it), and that compiles 39 lark grammars at import: 0.6 s of
# CPU in each grading process (the parent and every worker), for IRI format checks that nothing
# here asks for (no FormatChecker anywhere).  Grading processes go without it; where jsonschema
# was imported already, this changes nothing.
_sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
