"""Grader-side: the nbgrader course, hand-ins read as data, and autograding each submission in
a sandbox of its own (docs/threat-model.md).  Nothing here runs in a student's kernel."""
