"""``sanshe-edu class …``: a class on one server (JupyterHub, one Unix user per student).

- :mod:`.roster` reads and checks a roster CSV (学号, 姓名) before anything is changed;
- :mod:`.server` writes the hub's configuration, sets the server up and starts the hub;
- :mod:`.accounts` creates (and, on failure, removes again) Unix users and gradebook entries;
- :mod:`.singleuser` is what the hub starts for each student: it copies the course into the
  student's home (edits are never overwritten) and then runs ``jupyterhub-singleuser``.
"""
