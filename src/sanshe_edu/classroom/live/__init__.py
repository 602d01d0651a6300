"""课堂实时互动: the live class service beside the hub (issue 26).

- :mod:`.store` keeps answers, polls and votes in one private SQLite file in the class folder;
- :mod:`.summary` judges answers on the server and makes the trainer's and the students' views;
- :mod:`.app` is the tornado application (the view pushed as server-sent events);
- :mod:`.page` is the trainer's page; :mod:`.service` runs it all as a hub-managed service;
- :mod:`.panel` is the poll panel in a student's ``课堂.ipynb`` (it talks to the service from
  the kernel with the server's hub token);
- :mod:`.kernel` (run in every student kernel through :mod:`.startup`) opens the same panel in
  a JupyterLab side panel when the trainer asks, whatever lesson is open;
- :mod:`.results` is what leaves the service: participation and the practice item analysis
  for the trainer's cockpit (``api/export``) and ``class live export``.
"""
