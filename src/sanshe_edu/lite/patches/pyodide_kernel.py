import sys

# sanshe-edu's site: the notebook's folder last on sys.path (see sanshe_edu.lite.build).
if "" in sys.path:
    sys.path.remove("")
    sys.path.append("")
