"""piplite, its micropip imported at the first install (sanshe-edu's site).

The kernel imports this module at every start to set the two settings below; the original
module (``piplite._eager``) imports micropip and unittest.mock, which a learner's ``%pip``
needs only when it runs.
"""

_PIPLITE_URLS = []
_PIPLITE_DISABLE_PYPI = False


def _eager():
    from . import _eager as real

    real._PIPLITE_URLS = _PIPLITE_URLS
    real._PIPLITE_DISABLE_PYPI = _PIPLITE_DISABLE_PYPI
    return real


def install(*args, **kwargs):
    return _eager().install(*args, **kwargs)


install.__doc__ = "Install packages with micropip from the site's own index (see piplite._eager)."


def __getattr__(name):
    if name.startswith("__"):  # the import system asks for __path__ & co.: not an install
        raise AttributeError(name)
    return getattr(_eager(), name)


__all__ = ["install"]
