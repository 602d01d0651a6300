"""Trainer-side: the ``sanshe-edu grade …`` and ``teach`` commands, the cockpit, hand-in intake,
the roster, the class report and the grades export, on top of :mod:`sanshe_edu.grade.pipeline`."""
