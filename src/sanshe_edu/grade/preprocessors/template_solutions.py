"""``TemplateSolutions``: the release's answer cells get their runnable templates."""

from __future__ import annotations

from nbgrader.utils import is_solution


def _clear_solutions_class():
    from nbgrader.preprocessors import ClearSolutions

    return ClearSolutions


class TemplateSolutions(_clear_solutions_class()):
    """nbgrader's ClearSolutions, except that an answer cell carrying a template (metadata
    ``sanshe_template``, written by ``sanshe-edu grade build``) gets that template — code that
    already runs, with ``？`` where the answers go — instead of the stub."""

    def preprocess_cell(self, cell, resources, cell_index):
        template = cell.get("metadata", {}).pop("sanshe_template", None)
        if template is not None and is_solution(cell):
            cell.source = template
            return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)
