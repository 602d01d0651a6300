"""Trainer-side grading: the ``sanshe-edu grade …`` commands on top of nbgrader.

Nothing here is imported by ``import sanshe_edu``; nbgrader is imported only inside the
functions that need it.  The folders say where the code runs:

- in the student's kernel (and in the grader's re-check), paths that notebooks name:
  :mod:`~sanshe_edu.grade.checks` (with :mod:`~sanshe_edu.grade.forms`),
  :mod:`~sanshe_edu.grade.student` and
  :mod:`~sanshe_edu.grade.plain` (plain-data codec used to carry answers out of a kernel);
- :mod:`sanshe_edu.grade.preprocessors`: nbgrader preprocessors (sealed re-check, hidden-test-free
  feedback), and :mod:`sanshe_edu.grade.feedback_template`, both named by nbgrader_config.py;
- :mod:`sanshe_edu.grade.assignments`: assignment files to source notebooks, through the item
  kinds of :mod:`sanshe_edu.grade.kinds` (one module each) and the banks of
  :mod:`sanshe_edu.grade.banks`;
- :mod:`sanshe_edu.grade.pipeline`, the grader: ``course`` (the course folder and nbgrader's
  explicit ``Config``), ``autograde`` (sequential and parallel) with ``handin`` (hand-ins read
  as data: no links, FIFOs, devices; bounded), ``scratch`` (a worker's scratch course),
  ``pool`` (the worker processes), ``worker`` (one of them), ``sandbox`` and ``jail`` (each
  submission's kernel in a sandbox of its own, docs/threat-model.md) and ``gradebook`` (the
  only writer to the real gradebook); ``feedback`` and ``validate``;
- :mod:`sanshe_edu.grade.trainer`, the trainer: ``cli`` (the command line) with ``commands``
  and ``progress``, ``cockpit`` and ``teach``, ``intake`` (``grade import`` of hand-ins from
  any channel), ``roster``, ``report`` (the class report, with ``itemstats``, Moodle's item
  statistics, and ``items``, titles and distractor tables) and ``export`` (grades Excel opens).
"""
