# Run by every Python kernel of a student's server under the class hub: the single-user wrapper
# (classroom.singleuser) points PYTHONSTARTUP here, and IPython kernels run that file at start
# (plain ``python -I`` ignores it). It follows the class's polls in the background
# (classroom.live.kernel) and never fails a kernel. It runs in the notebook's namespace, so it
# leaves no names behind (no docstring either: it would become the notebook's __doc__).
try:
    from sanshe_edu.classroom.live.kernel import follow as _sanshe_live_follow

    _sanshe_live_follow()
    del _sanshe_live_follow
except Exception:  # a kernel must start whatever happens here
    pass
