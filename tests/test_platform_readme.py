"""Every command in README.md refers to something that exists and parses as written."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from sanshe_edu.cli import build_parser

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _block_commands() -> list[str]:
    out = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


def _inline_commands() -> list[str]:
    return [
        c
        for c in re.findall(r"`([^`\n]+)`", README)
        if " " in c and c.startswith((".venv/bin/", "sh scripts/"))
    ]


COMMANDS = sorted(set(_block_commands() + _inline_commands()))


def test_readme_has_the_two_setup_commands_and_ci_runs_the_test_one():
    blocks = _block_commands()
    assert blocks[:2] == ["sh scripts/start.sh", "sh scripts/test.sh"]
    ci = (REPO / ".ci" / "run").read_text()
    run_lines = [ln.strip() for ln in ci.splitlines() if ln.strip() and not ln.startswith("#")]
    assert run_lines[-1] == "exec sh scripts/test.sh"  # exactly the README's test command


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_is_real(command):
    for part in command.split("&&"):
        argv = shlex.split(part.strip())
        if argv[0] == "sh":
            script = REPO / argv[1]
            assert script.is_file(), script
            assert subprocess.run(["sh", "-n", str(script)]).returncode == 0
            if argv[1] == "scripts/start.sh" and argv[2:3] == ["--trainer"]:
                build_parser().parse_args(["teach", *argv[3:]])  # the rest: `sanshe-edu teach`
            elif argv[1] == "scripts/start.sh" and len(argv) > 2:
                build_parser().parse_args(["lab", *argv[2:]])  # options go to `sanshe-edu lab`
        elif argv[0].endswith("/bin/sanshe-edu") and "--help" in argv:
            with pytest.raises(SystemExit) as exc:
                build_parser().parse_args(argv[1:])
            assert exc.value.code == 0
        elif argv[0] == ".venv/bin/sanshe-edu" or argv[0].endswith("/venv/bin/sanshe-edu"):
            # this clone's venv, or the class's (README names its full path: sudo resets PATH)
            args = build_parser().parse_args(argv[1:])  # exits 2 on a wrong argument
            assert args.func
        elif argv[0] == ".venv/bin/python":
            assert (REPO / argv[1]).is_file(), argv[1]
        elif argv[0] in (".venv/bin/pip", ".venv/bin/pre-commit"):
            pass  # plain pip / pre-commit invocations
        else:
            pytest.fail(f"README command not understood by this test: {command}")


def test_readme_links_point_at_files():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if not target.startswith("http"):
            assert (REPO / target).exists(), target
