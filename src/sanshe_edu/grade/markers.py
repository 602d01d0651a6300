"""nbgrader's markers of a hidden-test region, named once: for the grading code and for the
class server's leak probe (which searches the machine for what lies between them)."""

BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
