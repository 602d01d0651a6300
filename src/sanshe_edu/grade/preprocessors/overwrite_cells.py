"""``OverwriteCells``: nbgrader's, whose re-insertion of a deleted test cell does not stop at a
locked cell that is neither graded nor an answer."""

from __future__ import annotations

from ._cells import cell_grade_id


def _overwrite_cells_class():
    from nbgrader.preprocessors import OverwriteCells

    return OverwriteCells


class OverwriteCells(_overwrite_cells_class()):
    """nbgrader's OverwriteCells, whose re-insertion of a deleted test cell also works when the
    cell before it in the source is a locked cell that is neither graded nor an answer (such as
    the cell showing a widget question): nbgrader 0.9 looks that cell up among the graded and
    answer cells only and stops the whole hand-in with a ``KeyError``."""

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_ids = [cell.name for cell in source_nb.source_cells]
        grade_cells = {cell.name: cell for cell in source_nb.grade_cells}
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        for grade_id in [g for g in source_ids if g in grade_cells]:
            present = [cell_grade_id(c) for c in nb.cells]
            if grade_id in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_id)
            position = source_ids.index(grade_id)
            cell = self.missing_cell_transform(
                source_nb.source_cells[position],
                grade_cells[grade_id].max_score,
                is_solution=grade_id in solution_ids,
            )
            # After the nearest cell before it in the source that the notebook still has.
            before = [g for g in source_ids[:position] if g in present]
            at = present.index(before[-1]) + 1 if before else 0
            nb.cells.insert(at, cell)
        return nb, resources
