"""Build the shipped question banks from the trainers' YAML sources.

``python -m sanshe_edu.quiz.build`` reads ``questions/*.yaml`` (plain answers, never shipped),
checks every record (``quiz.records``), and writes ``src/sanshe_edu/data/banks/<bank>.json``
where each answer key is a salted hash (per item for categorise, match, order and matrix) and
texts that would give the answer away are sealed with it; each type's module says how.
Graded questions (``graded: true``) keep no key at all. Every question must name the concepts
it tests (``concepts:``, ids of ``data/concepts.yaml``): the build refuses one that does not.
It also writes the bank schema (``questions/schema.json``, made from the types) for editors.
``--check`` only reports stale or missing files (exit 1), for tests and CI.

The build is deterministic (the salt is derived from the question), so an unchanged source
gives a byte-identical bank.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import SansheError
from ..i18n import t
from . import records, schema, types
from .concepts import tag_problems
from .keys import seal
from .types import Sealer

FORMAT = "sanshe-edu-bank/1"
ROOT = Path(__file__).resolve().parents[3]
DEFAULT_SOURCES = ROOT / "questions"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "banks"


def load_yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        detail = str(exc).replace("\n", " ")
        raise records.BankError([t("quiz.yaml_error", file=path.name, detail=detail)]) from None


def source_files(folder: Path) -> list[Path]:
    """The bank sources of a folder: ``*.yaml``, then ``*.yml``."""
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def plain_banks(folder: Path, problems: list[str] | None = None) -> dict[str, dict]:
    """bank id -> its plain source (keys included), each file read with :func:`load_yaml`
    (the first file of a bank counts; the build refuses a second). A file that cannot be read
    raises :class:`records.BankError` naming it; given ``problems``, its message goes there
    and the file is skipped."""
    banks: dict[str, dict] = {}
    for path in source_files(folder):
        try:
            data = load_yaml(path)
        except records.BankError as exc:
            if problems is None:
                raise
            problems.extend(exc.problems)
            continue
        if isinstance(data, dict) and data.get("bank"):
            banks.setdefault(str(data["bank"]), data)
    return banks


def _salt(bank: str, q: dict) -> str:
    public = {k: v for k, v in q.items() if k in ("id", "type", "prompt")}
    blob = json.dumps([bank, public], ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(b"sanshe-edu/salt/1" + blob).hexdigest()[:16]


#: Lists shipped in an order made from their ids alone: where the right option stood in the
#: YAML (often first), or which item sat next to which, tells nothing. (An order question's
#: steps are shuffled by their type; each student sees these in an order of their own too.)
STORED_SHUFFLED = ("options", "items", "left", "right")


def stored_order(salt: str, name: str, entries: list[dict]) -> list[dict]:
    """``entries`` sorted by a digest of the question's salt, the list's name and each id.

    >>> [e["id"] for e in stored_order("s", "options", [{"id": x} for x in "abcd"])]
    ['a', 'd', 'c', 'b']
    """

    def rank(entry: dict) -> str:
        return hashlib.sha256(f"{salt}\0{name}\0{entry['id']}".encode()).hexdigest()

    return sorted(entries, key=rank)


def compile_question(bank: str, q: dict) -> dict:
    """One plain record -> the shipped record (no plain key inside)."""
    qt = types.get(q["type"])
    graded = bool(q.get("graded", False))
    salt = _salt(bank, q)
    qid = q["id"]
    out: dict[str, Any] = {
        "id": qid,
        "type": q["type"],
        "prompt": q["prompt"],
        "points": q.get("points", 1) if qt.scored else 0,
        "graded": graded,
        **({"group": q["group"]} if q.get("group") else {}),
        **({"concepts": list(q["concepts"])} if q.get("concepts") else {}),
        "salt": salt,
        "hints": [seal(h, salt, qid, "hint", str(i)) for i, h in enumerate(q.get("hints", []))],
    }
    # Every list in its stored order first, so the keys sealed below read it as the judge will.
    q = {k: stored_order(salt, k, v) if k in STORED_SHUFFLED else v for k, v in q.items()}
    s = Sealer(q, salt=salt, keyed=not graded)
    out.update(qt.compile(q, s))
    if s.keyed and q.get("explanation"):
        key = qt.key_string(q, qt.plain_answer(q))
        if key is not None:
            out["explanation"] = s.seal(q["explanation"], "explanation", key)
    return out


def compile_bank(plain: dict, source: str) -> dict:
    """Check and compile one plain bank (raises :class:`records.BankError`)."""
    records.validate(plain, source)
    bank = plain["bank"]
    return {
        "format": FORMAT,
        "bank": bank,
        "title": plain["title"],
        "source": source,
        "questions": [compile_question(bank, q) for q in plain["questions"]],
    }


def dumps(compiled: dict) -> str:
    return json.dumps(compiled, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def build(
    sources: Path = DEFAULT_SOURCES, out_dir: Path = DEFAULT_OUT, check_only: bool = False
) -> tuple[list[str], list[str]]:
    """Build (or with ``check_only`` just compare) every bank. Returns (messages, problems)."""
    files = source_files(sources)
    if not files:
        raise SansheError("quiz.build_no_sources", folder=sources)
    messages: list[str] = []
    problems: list[str] = []
    built: dict[str, tuple[str, str]] = {}
    for path in files:
        try:
            plain = load_yaml(path)
            compiled = compile_bank(plain, path.name)
        except records.BankError as exc:
            problems.extend(exc.problems)
            continue
        untagged = tag_problems(plain, path.name)  # every question names what it tests
        if untagged:
            problems.extend(untagged)
            continue
        bank = compiled["bank"]
        if bank in built:
            problems.append(t("quiz.build_same_bank", bank=bank, a=built[bank][0], b=path.name))
            continue
        built[bank] = (path.name, dumps(compiled))
    for bank, (_src, text) in sorted(built.items()):
        target = out_dir / f"{bank}.json"
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            messages.append(t("quiz.build_unchanged", file=target.name))
        elif check_only:
            problems.append(t("quiz.build_stale", file=target.name))
        else:
            out_dir.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".json.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
            messages.append(t("quiz.build_wrote", file=target.name, n=text.count('"salt"')))
    _write_schema(sources / "schema.json", check_only, messages, problems)
    if not problems:
        for target in sorted(out_dir.glob("*.json")):
            if target.stem not in built:
                problems.append(t("quiz.build_orphan", file=target.name))
    return messages, problems


def _write_schema(target: Path, check_only: bool, messages: list, problems: list) -> None:
    """``questions/schema.json`` is the validator's schema written out, kept current here."""
    text = schema.dumps()
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if current == text:
        messages.append(t("quiz.build_unchanged", file=target.name))
    elif check_only:
        problems.append(t("quiz.build_stale", file=target.name))
    else:
        target.write_text(text, encoding="utf-8")
        messages.append(t("quiz.build_wrote_schema", file=target.name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sanshe_edu.quiz.build", description=__doc__)
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="only report stale banks")
    args = parser.parse_args(argv)
    try:
        messages, problems = build(args.sources, args.out, check_only=args.check)
    except SansheError as exc:
        print(exc, file=sys.stderr)
        return 2
    for m in messages:
        print(m)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())


def plain_answer(q: dict) -> Any:
    """The right answer of a plain (YAML source) record, in the shape ``recorded_answer``
    returns; ``None`` for network and text questions, which have no single right answer.

    Handy for trainers writing an nbgrader hidden test from the YAML source.

    >>> plain_answer({"type": "order", "steps": [{"id": "a"}, {"id": "b"}]})
    ['a', 'b']
    """
    return types.get(q["type"]).plain_answer(q)
