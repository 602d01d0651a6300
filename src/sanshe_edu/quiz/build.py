"""Build the shipped question banks from the trainers' YAML sources.

``python -m sanshe_edu.quiz.build`` reads ``questions/*.yaml`` (plain answers, never shipped),
checks every record, and writes ``src/sanshe_edu/data/banks/<bank>.json`` where each answer key
is a salted hash (per item for categorise, match, order and matrix) and texts that would give
the answer away are sealed with it. Graded questions (``graded: true``) keep no key at all.
``--check`` only reports stale or missing banks (exit 1), for tests and CI.

The build is deterministic (the salt is derived from the question), so an unchanged source
gives a byte-identical bank.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path
from typing import Any

from ..errors import SansheError
from ..i18n import t
from . import records
from .keys import digest, seal

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


def _salt(bank: str, q: dict) -> str:
    public = {k: v for k, v in q.items() if k in ("id", "type", "prompt")}
    blob = json.dumps([bank, public], ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(b"sanshe-edu/salt/1" + blob).hexdigest()[:16]


def _labelled(entries: list[dict]) -> list[dict]:
    return [{"id": e["id"], "text": e["text"]} for e in entries]


def compile_question(bank: str, q: dict) -> dict:
    """One plain record -> the shipped record (no plain key inside)."""
    qtype = q["type"]
    graded = bool(q.get("graded", False))
    salt = _salt(bank, q)
    qid = q["id"]
    out: dict[str, Any] = {
        "id": qid,
        "type": qtype,
        "prompt": q["prompt"],
        "points": 0 if qtype == "text" else q.get("points", 1),
        "graded": graded,
        "salt": salt,
        "hints": [seal(h, salt, qid, "hint", str(i)) for i, h in enumerate(q.get("hints", []))],
    }
    keyed = not graded

    def sealed(texts: dict | None, *parts: str) -> str | None:
        return seal(texts, salt, qid, *parts) if (keyed and texts) else None

    if qtype in ("single", "multiple"):
        opts = []
        for o in q["options"]:
            entry: dict[str, Any] = {"id": o["id"], "text": o["text"]}
            if keyed:
                flag = "1" if o.get("correct") else "0"
                if qtype == "multiple":
                    entry["key"] = digest(salt, qid, o["id"], flag)
                    entry["fb"] = sealed(o.get("feedback"), "fb", o["id"], flag)
                else:
                    entry["fb"] = sealed(o.get("feedback"), "fb", o["id"])
            opts.append(entry)
        out["options"] = opts
        if keyed and qtype == "single":
            right = next(o["id"] for o in q["options"] if o.get("correct"))
            out["key"] = digest(salt, qid, "answer", right)
        answer = (
            next((o["id"] for o in q["options"] if o.get("correct")), "")
            if qtype == "single"
            else ",".join(sorted(o["id"] for o in q["options"] if o.get("correct")))
        )
    elif qtype == "categorise":
        out["bins"] = _labelled(q["bins"])
        out["items"] = []
        for item in q["items"]:
            entry = {"id": item["id"], "text": item["text"]}
            if keyed:
                entry["key"] = digest(salt, qid, item["id"], item["bin"])
                entry["why"] = sealed(item.get("feedback"), "why", item["id"], item["bin"])
            out["items"].append(entry)
        answer = ",".join(f"{i['id']}={i.get('bin')}" for i in q["items"])
    elif qtype == "match":
        out["right"] = _labelled(q["right"])
        out["left"] = []
        for left in q["left"]:
            entry = {"id": left["id"], "text": left["text"]}
            if keyed:
                entry["key"] = digest(salt, qid, left["id"], left["match"])
                entry["why"] = sealed(left.get("feedback"), "why", left["id"], left["match"])
            out["left"].append(entry)
        answer = ",".join(f"{i['id']}={i.get('match')}" for i in q["left"])
    elif qtype == "order":
        steps = []
        for pos, step in enumerate(q["steps"], start=1):
            entry = {"id": step["id"], "text": step["text"]}
            if keyed:
                entry["key"] = digest(salt, qid, step["id"], str(pos))
                entry["why"] = sealed(step.get("feedback"), "why", step["id"], str(pos))
            steps.append(entry)
        # Shipped (and first shown) in a shuffled order that is never the right one.
        rng = random.Random(salt)
        shuffled = steps[:]
        for _ in range(20):
            rng.shuffle(shuffled)
            if [s["id"] for s in shuffled] != [s["id"] for s in steps]:
                break
        out["steps"] = shuffled
        answer = ",".join(s["id"] for s in q["steps"])
    elif qtype == "matrix":
        out["rows"] = _labelled(q["rows"])
        out["columns"] = _labelled(q["columns"])
        out["outcomes"] = _labelled(q["outcomes"])
        out["cells"] = []
        for cell in q["cells"]:
            cid = f"{cell['row']}/{cell['column']}"
            entry = {"row": cell["row"], "column": cell["column"]}
            if keyed:
                entry["key"] = digest(salt, qid, cid, cell["answer"])
                entry["why"] = sealed(cell.get("feedback"), "why", cid, cell["answer"])
            out["cells"].append(entry)
        answer = ",".join(f"{c['row']}/{c['column']}={c.get('answer')}" for c in q["cells"])
    elif qtype == "network":
        out["organisations"] = q["organisations"]
        out["require"] = q["require"]
        answer = None
        if q.get("explanation"):
            out["explanation_text"] = q["explanation"]
    else:  # text
        out["min_chars"] = q.get("min_chars", 1)
        if q.get("guidance"):
            out["guidance"] = q["guidance"]
        answer = None
    if keyed and answer is not None and q.get("explanation"):
        out["explanation"] = seal(q["explanation"], salt, qid, "explanation", answer)
    return out


def explanation_key(q: dict, answer: Any) -> str:
    """The string an ``explanation`` is sealed with, from a (right) answer in plain form."""
    qtype = q["type"]
    if qtype == "single":
        return str(answer)
    if qtype == "multiple":
        return ",".join(sorted(answer))
    if qtype == "categorise":
        return ",".join(f"{i['id']}={answer.get(i['id'])}" for i in q["items"])
    if qtype == "match":
        return ",".join(f"{i['id']}={answer.get(i['id'])}" for i in q["left"])
    if qtype == "order":
        return ",".join(answer)
    if qtype == "matrix":
        return ",".join(
            f"{c['row']}/{c['column']}={answer.get(c['row'] + '/' + c['column'])}"
            for c in q["cells"]
        )
    return ""


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


def schema_problems(plain: Any, source: str, schema_path: Path) -> list[str]:
    """Second net: the JSON Schema in ``questions/schema.json`` (when it is there)."""
    if not schema_path.is_file():
        return []
    import jsonschema

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    out = []
    for err in jsonschema.Draft202012Validator(schema).iter_errors(plain):
        path = list(err.absolute_path)
        qid = "-"
        if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
            try:
                qid = plain["questions"][path[1]].get("id", f"#{path[1] + 1}")
            except (AttributeError, IndexError, KeyError, TypeError):
                qid = f"#{path[1] + 1}"
            path = path[2:]
        field = ".".join(str(p) for p in path) or "-"
        out.append(t("quiz.build_schema", file=source, qid=qid, field=field, problem=err.message))
    return out


def build(
    sources: Path = DEFAULT_SOURCES, out_dir: Path = DEFAULT_OUT, check_only: bool = False
) -> tuple[list[str], list[str]]:
    """Build (or with ``check_only`` just compare) every bank. Returns (messages, problems)."""
    files = sorted(sources.glob("*.yaml")) + sorted(sources.glob("*.yml"))
    if not files:
        raise SansheError("quiz.build_no_sources", folder=sources)
    messages: list[str] = []
    problems: list[str] = []
    built: dict[str, tuple[str, str]] = {}
    for path in files:
        try:
            plain = load_yaml(path)
            records.validate(plain, path.name)
            extra = schema_problems(plain, path.name, sources / "schema.json")
            if extra:
                raise records.BankError(extra)
            compiled = compile_bank(plain, path.name)
        except records.BankError as exc:
            problems.extend(exc.problems)
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
    if not problems:
        for target in sorted(out_dir.glob("*.json")):
            if target.stem not in built:
                problems.append(t("quiz.build_orphan", file=target.name))
    return messages, problems


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
    qtype = q["type"]
    if qtype == "single":
        return next((o["id"] for o in q["options"] if o.get("correct")), None)
    if qtype == "multiple":
        return sorted(o["id"] for o in q["options"] if o.get("correct"))
    if qtype == "categorise":
        return {i["id"]: i.get("bin") for i in q["items"]}
    if qtype == "match":
        return {i["id"]: i.get("match") for i in q["left"]}
    if qtype == "order":
        return [s["id"] for s in q["steps"]]
    if qtype == "matrix":
        return {f"{c['row']}/{c['column']}": c.get("answer") for c in q["cells"]}
    return None
