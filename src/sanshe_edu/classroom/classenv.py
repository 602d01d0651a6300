"""The class's own Python environment: the hub and every student's server run from it, so they
never need this checkout (its ``.git``, ``questions/`` and ``grading/`` hold every key).

``sanshe-edu class setup`` makes ``<class folder>/venv`` from the system Python and installs
this package into it *as a wheel* (built from this checkout: the wheel holds the course and
the question banks without their keys, never ``grading/`` or ``questions/``).  The other
packages come from the environment setup runs in: its ``site-packages`` is copied (hard links
where the file system allows), so the class runs exactly the versions installed and tested
here, without the network.  Setup run from an installed wheel (no checkout) copies that
environment as it is.

>>> checkout_of(Path("/nowhere/lib/python3/site-packages/sanshe_edu")) is None
True
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from ..errors import SansheError

PACKAGE = Path(__file__).resolve().parents[1]  # sanshe_edu/
NEEDED = ("jupyterhub", "jupyterhub_idle_culler")
# What an editable install of this package leaves in site-packages (replaced by the wheel).
EDITABLE = ("_editable_impl_sanshe_edu.pth", "__editable__.sanshe_edu", "sanshe_edu")


def checkout_of(package: Path = PACKAGE) -> Path | None:
    """The git checkout this package runs from (editable install, ``PYTHONPATH=src``), else
    ``None`` (an installed wheel)."""
    root = package.parents[1]
    if (root / "pyproject.toml").is_file() and (root / "src" / "sanshe_edu").is_dir():
        return root
    return None


def install_hint() -> str:
    """The exact command that installs the class extra into the environment in use."""
    checkout = checkout_of()
    target = f"{checkout}[class]" if checkout else "sanshe-edu[class]"
    editable = "-e " if checkout else ""
    return f"sudo {sys.executable} -m pip install {editable}'{target}'"


def require_class_extra() -> None:
    """JupyterHub and its idle culler (the ``class`` extra) must be installed here."""
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        raise SansheError(
            "classroom.class_extra_missing", missing=", ".join(missing), command=install_hint()
        )


def base_python() -> Path:
    """The system interpreter behind this one (a venv's ``home``)."""
    base = getattr(sys, "_base_executable", None) or sys.executable
    return Path(base)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _site_packages(prefix: Path) -> Path:
    rel = Path(sysconfig.get_paths()["purelib"]).relative_to(sys.prefix)
    return prefix / rel


def build_wheel(checkout: Path, out: Path) -> Path:
    """This checkout as a wheel (hatchling, the project's build backend)."""
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        cmd.append("--no-build-isolation")
    proc = subprocess.run([*cmd, str(checkout)], capture_output=True, text=True, check=False)
    wheels = sorted(out.glob("sanshe_edu-*.whl"))
    if proc.returncode != 0 or not wheels:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        last = detail[-1] if detail else "?"
        raise SansheError("classroom.venv_failed", step="wheel", detail=last)
    return wheels[-1]


def _run(step: str, cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=1800)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise SansheError("classroom.venv_failed", step=step, detail=detail[-1] if detail else "?")


def make(venv: Path) -> Path:
    """Create ``venv`` as described above (a leftover of a failed setup is replaced); returns
    its Python."""
    if venv.exists():
        shutil.rmtree(venv)
    try:
        return _make(venv)
    except OSError as exc:
        raise SansheError("classroom.venv_failed", step="copy", detail=exc) from exc


def _make(venv: Path) -> Path:
    checkout = checkout_of()
    subprocess_python = str(base_python())
    _run("venv", [subprocess_python, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    target = _site_packages(venv)
    if sys.prefix != sys.base_prefix:
        source = _site_packages(Path(sys.prefix))
        for entry in source.iterdir():
            if checkout and entry.name.startswith(EDITABLE):
                continue  # the editable install of this checkout: the wheel replaces it
            dst = target / entry.name
            if entry.is_dir() and not entry.is_symlink():
                shutil.copytree(entry, dst, symlinks=True, copy_function=_link_or_copy)
            else:
                _link_or_copy(str(entry), str(dst))
        _copy_scripts(Path(sys.prefix) / "bin", venv / "bin")
        # JupyterLab's assets, the lab extensions and which server extensions are on.
        for name in ("share", "etc"):
            if (Path(sys.prefix) / name).is_dir():
                shutil.copytree(Path(sys.prefix) / name, venv / name, symlinks=True,
                                copy_function=_link_or_copy, dirs_exist_ok=True)  # fmt: skip
    else:  # not a venv: install the dependencies from the package index
        _run("pip", [str(python), "-m", "ensurepip", "--upgrade"])
    if checkout:
        with tempfile.TemporaryDirectory() as tmp:
            wheel = build_wheel(checkout, Path(tmp))
            extra = [] if sys.prefix != sys.base_prefix else [f"{wheel}[class]"]
            flags = ["--no-deps", "--no-index"] if not extra else []
            _run("install", [str(python), "-m", "pip", "install", "-q", *flags,
                             *(extra or [str(wheel)])])  # fmt: skip
    check = "import jupyterhub, jupyterhub_idle_culler, nbgrader, sanshe_edu.classroom.singleuser"
    _run("check", [str(python), "-c", check])
    _run("check", [str(python), "-m", "jupyter", "labextension", "list"])
    for folder, dirs, _ in os.walk(venv):
        for name in [folder, *(os.path.join(folder, d) for d in dirs)]:
            if not os.path.islink(name):
                os.chmod(name, os.stat(name).st_mode | 0o755)
    return python


def _copy_scripts(src: Path, dst: Path) -> None:
    """The console scripts (jupyter, nbgrader, …) with their first line pointing here."""
    old = f"#!{src}/python".encode()
    new = f"#!{dst}/python".encode()
    for entry in src.iterdir():
        if entry.is_symlink() or not entry.is_file() or (dst / entry.name).exists():
            continue
        data = entry.read_bytes()
        if not data.startswith(old):
            continue
        first, _, rest = data.partition(b"\n")
        (dst / entry.name).write_bytes(new + first[len(old) :] + b"\n" + rest)
        (dst / entry.name).chmod(0o755)


def _profile_block(venv: Path) -> str:
    return (
        f"# sanshe-edu class ({venv.parent}): its commands (sanshe-edu, nbgrader) in a terminal\n"
        f'PATH="{venv / "bin"}:$PATH"\n'
    )


def put_on_path(user: str, venv: Path) -> Path:
    """Add the class venv's ``bin`` to ``user``'s ``~/.profile`` (read by the login shell a
    JupyterLab terminal starts, which resets ``PATH``), once; returns the file."""
    import pwd

    entry = pwd.getpwnam(user)
    profile = Path(entry.pw_dir) / ".profile"
    text = profile.read_text(encoding="utf-8") if profile.is_file() else ""
    block = _profile_block(venv)
    if block not in text:
        profile.write_text(text + ("\n" if text and not text.endswith("\n") else "") + block)
        os.chown(profile, entry.pw_uid, entry.pw_gid)
    return profile


def take_off_path(user: str, venv: Path) -> None:
    """Undo :func:`put_on_path` (a trainer who stays after the class is removed)."""
    import pwd

    try:
        profile = Path(pwd.getpwnam(user).pw_dir) / ".profile"
        text = profile.read_text(encoding="utf-8")
    except (KeyError, OSError):
        return
    profile.write_text(text.replace(_profile_block(venv), ""), encoding="utf-8")
