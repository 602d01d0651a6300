"""What the hub starts for each user: copy the course into their home, then the Jupyter server.

Runs as the student's own Unix user.  The course goes to ``~/sanshe-edu-course`` with the same
rules as ``sanshe-edu lab`` (an edited notebook is never overwritten; a newer version is put
beside it), so the hub's default URL opens the start-here notebook.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    from ..platform.lab import prepare_workspace

    prepare_workspace(Path.home() / "sanshe-edu-course")
    if os.environ.get("SANSHE_EDU_LIVE_URL"):  # the class has the live service: 课堂.ipynb
        from ..i18n import get_lang
        from .live.notebook import write

        write(Path.home() / "sanshe-edu-course", get_lang())
        # Every kernel follows the polls and opens them in a side panel (``live.kernel``).
        os.environ["PYTHONSTARTUP"] = str(Path(__file__).with_name("live") / "startup.py")
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, "-m", "jupyterhub.singleuser", *sys.argv[1:]])


if __name__ == "__main__":
    main()
