"""``RestoreCellMetadata``: every known cell's nbgrader flags put back from the gradebook (and
the source's cell ids), before ``OverwriteCells``."""

from __future__ import annotations

import copy
import os

from nbgrader.preprocessors import NbGraderPreprocessor


class MarksRemovedError(Exception):
    """Answer cells lost their nbgrader marks and cannot be matched to the source by cell id."""


def _bygrade_id(marks: dict[str, dict]) -> dict[str, dict]:
    return {str(meta["grade_id"]): meta for meta in marks.values()}


class RestoreCellMetadata(NbGraderPreprocessor):
    """Put back the nbgrader flags of every known cell from the gradebook (before OverwriteCells).

    nbgrader restores a locked cell's source and points, but a student who flips ``solution`` or
    ``grade`` on a test cell makes OverwriteCells stop with "Inconsistent checksums" and the whole
    submission fails.  Here the flags come from the gradebook, so the cell is a test cell again.
    """

    def _source_marks(self, assignment: str, notebook: str) -> dict[str, dict]:
        """{cell id: nbgrader metadata} of the source notebook (the released copy keeps the
        source's cell ids), or {} when the course's source folder is not at hand."""
        import nbformat

        course = self.config.get("CourseDirectory", {})
        root = course.get("root", ".") or "."
        folder = os.path.join(root, course.get("source_directory", "source"), assignment)
        try:
            source = nbformat.read(os.path.join(folder, f"{notebook}.ipynb"), as_version=4)
        except Exception:  # no source here (plain nbgrader elsewhere): nothing to restore from
            return {}
        marks = {}
        for cell in source.cells:
            meta = cell.get("metadata", {}).get("nbgrader")
            if cell.get("id") and isinstance(meta, dict) and meta.get("grade_id"):
                marks[cell["id"]] = dict(meta)
        return marks

    def _restore_stripped(self, nb, assignment: str, notebook: str) -> None:
        """An editor that drops cell metadata leaves cells without their nbgrader marks: put
        them back by cell id, for the marks this notebook no longer has."""
        present = {
            str(c.metadata["nbgrader"].get("grade_id"))
            for c in nb.cells
            if isinstance(c.get("metadata", {}).get("nbgrader"), dict)
        }
        stripped = [
            c for c in nb.cells if not isinstance(c.get("metadata", {}).get("nbgrader"), dict)
        ]
        if not stripped:
            return
        marks = self._source_marks(assignment, notebook)
        for cell in stripped:
            meta = marks.get(cell.get("id"))
            if meta and str(meta["grade_id"]) not in present:
                cell.metadata["nbgrader"] = copy.deepcopy(meta)
                present.add(str(meta["grade_id"]))
        answers = {gid for gid, meta in _bygrade_id(marks).items() if meta.get("solution")}
        unmarked = [c for c in stripped if "nbgrader" not in c.metadata and c.cell_type == "code"]
        if unmarked and answers - present:
            # Marks gone and no cell id to find them by: say so rather than grade blanks.
            raise MarksRemovedError(sorted(answers - present))

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry

        notebook = resources["nbgrader"]["notebook"]
        assignment = resources["nbgrader"]["assignment"]
        self._restore_stripped(nb, assignment, notebook)
        with Gradebook(resources["nbgrader"]["db_url"]) as gb:
            for cell in nb.cells:
                meta = cell.get("metadata", {}).get("nbgrader")
                if not isinstance(meta, dict) or not meta.get("grade_id"):
                    continue
                name = str(meta["grade_id"])
                try:
                    source = gb.find_source_cell(name, notebook, assignment)
                except MissingEntry:
                    continue
                flags = {"grade": False, "solution": False, "task": False}
                try:
                    graded = gb.find_graded_cell(name, notebook, assignment)
                    flags["task" if graded.__class__.__name__ == "TaskCell" else "grade"] = True
                    meta["points"] = float(graded.max_score)
                except MissingEntry:
                    meta.pop("points", None)
                try:
                    gb.find_solution_cell(name, notebook, assignment)
                    flags["solution"] = True
                except MissingEntry:
                    pass
                meta.update(flags, locked=bool(source.locked))
        return nb, resources
