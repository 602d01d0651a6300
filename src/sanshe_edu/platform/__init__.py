"""The platform side of the course: the ``lab``, ``doctor`` and ``check`` sub-commands and the
learner's workspace (copying the course without ever overwriting the learner's edits)."""
