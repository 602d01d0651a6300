"""nbgrader configuration of the sanshe-edu graded assignments (三社联动 course).

Plain ``nbgrader`` commands read this file when run from this folder; ``sanshe-edu grade …``
loads it explicitly (nbgrader's Python API does not read it by itself) and then points the
course root at this folder.
"""

c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

c.CourseDirectory.course_id = "sanshe-edu"
c.CourseDirectory.root = "."
c.CourseDirectory.assignment_id = ""

# model_answers.json (the widget questions' model answers, for validating the source) is never
# copied into the students' release or the graded copies.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "model_answers.json",
]

# An unanswered cell does not stop Run All: a Chinese comment instead of nbgrader's
# `raise NotImplementedError()`. A template cell (sanshe-edu grade build) keeps its template.
c.ClearSolutions.code_stub = {"python": "# 在这里写你的答案 / write your answer here"}
c.ClearSolutions.text_stub = "在这里写你的答案 / Write your answer here"
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "sanshe_edu.grade.preprocessors.TemplateSolutions",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# A test cell a student deleted comes back (otherwise it silently scores 0 without a trace).
c.OverwriteCells.add_missing_cells = True

# Every cell gets at most 30 s; a cell that loops forever is interrupted and grading goes on.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
c.Execute.startup_timeout = 60

# sanshe-edu grade autograde runs each submission in a sandbox of its own (docs/threat-model.md)
# and ends it, with every process it started, after this many seconds in all.
c.SansheSandbox.submission_timeout = 300

# Output limits: long prints and tracebacks are cut in the graded copy and in the feedback.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60

# Late work is flagged (the report lists it); the trainer decides on a penalty by hand.
c.LateSubmissionPlugin.penalty_method = "none"

# Tamper resistance (docs/threat-model.md): before each test cell the plain-data answers it
# reads are exported; after execution every test is re-run outside the student's kernel on
# that plain data with the grader's own copy of the helper library.  Output is capped by size.
c.Autograde.sanitize_preprocessors = [
    "sanshe_edu.grade.preprocessors.CollectWidgetAnswers",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "sanshe_edu.grade.preprocessors.RestoreCellMetadata",
    "sanshe_edu.grade.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "sanshe_edu.grade.preprocessors.ExportAnswers",
    "nbgrader.preprocessors.Execute",
    "sanshe_edu.grade.preprocessors.SealedRecheck",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Feedback shows students WHICH check failed (its one-line docstring), never the hidden tests'
# source (nbgrader shows it by default, jupyter/nbgrader#917).
c.GenerateFeedback.preprocessors = [
    "sanshe_edu.grade.preprocessors.HideHiddenTests",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Where an nbgrader exchange exists (a shared JupyterHub), release/collect use it. Collect takes
# a hand-in folder only when its owner is the student it names (nbgrader's own only warns):
# no student can hand in under a classmate's name.
c.Exchange.root = "/srv/nbgrader/exchange"
c.ExchangeFactory.collect = "sanshe_edu.grade.pipeline.exchange.OwnedCollect"

# Students' feedback pages in Chinese chrome (English with --lang en), nothing from a CDN.
from sanshe_edu.grade.feedback_template import configure  # noqa: E402

configure(c)
