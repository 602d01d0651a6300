"""Trainer-side grading: the ``sanshe-edu grade …`` commands on top of nbgrader.

Nothing here is imported by ``import sanshe_edu``; nbgrader is imported only inside the
functions that need it.  Modules:

- :mod:`sanshe_edu.grade.checks` (with :mod:`~sanshe_edu.grade.forms`) and
  :mod:`sanshe_edu.grade.student`: what runs in the student's kernel (and, for the checks, in
  the grader's re-check); released notebooks import them by these paths;
- :mod:`sanshe_edu.grade.plain`: plain-data codec used to carry answers out of a kernel;
- :mod:`sanshe_edu.grade.preprocessors`: nbgrader preprocessors, one module each (sealed
  re-check, hidden-test-free feedback);
- :mod:`sanshe_edu.grade.course`: the course folder and nbgrader's explicit ``Config``;
- :mod:`sanshe_edu.grade.autograde`: sequential and parallel autograding;
- :mod:`sanshe_edu.grade.handin`: hand-ins read as data (no links, FIFOs, devices; bounded);
- :mod:`sanshe_edu.grade.sandbox` and :mod:`sanshe_edu.grade.jail`: each submission's kernel
  in a sandbox of its own (docs/threat-model.md); :mod:`sanshe_edu.grade.worker`: a worker;
- :mod:`sanshe_edu.grade.report`: the class report (with :mod:`~sanshe_edu.grade.itemstats`,
  Moodle's item statistics, and :mod:`~sanshe_edu.grade.items`, titles and distractor tables);
- :mod:`sanshe_edu.grade.intake`: ``grade import`` of hand-ins from any channel;
- :mod:`sanshe_edu.grade.roster` and :mod:`sanshe_edu.grade.export`: names, and grades Excel opens;
- :mod:`sanshe_edu.grade.cockpit` and :mod:`sanshe_edu.grade.teach`: the trainer's cockpit;
- :mod:`sanshe_edu.grade.cli`: the command line.
"""
