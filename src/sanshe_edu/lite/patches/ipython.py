def __getattr__(name):
    # IPython.embed: imported at its first use (sanshe-edu's site), the caller's frame intact.
    if name == "embed":
        from .terminal.embed import embed

        return embed
    raise AttributeError(f"module 'IPython' has no attribute {name!r}")
