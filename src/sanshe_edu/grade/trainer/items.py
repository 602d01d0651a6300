"""What the class did on each question: titles as the students read them, the widget answers
they chose (distractor tables) and the misconceptions to discuss next class.

Everything is read from the course folder: the source notebook (its ``## N. 标题 / Title``
headings and the ``ask("bank.id", graded=True)`` calls), ``source/<a>/model_answers.json``
(the right widget answers), each ``submitted/<student>/<a>/sanshe_answers.json`` (read as
plain data, never changed) and the question bank's source (``questions/*.yaml`` next to the
course, which holds each part's ``wrong_feedback`` / option's ``not``), else the shipped bank.

>>> heading_title("## 2. 可控原因 / Controllable causes (3 分 / points)", "zh")
'2. 可控原因'
>>> heading_title("## 2. 可控原因 / Controllable causes (3 分 / points)", "en")
'2. Controllable causes'
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from pathlib import Path

from ...i18n import pick, resolve_lang

ASK = re.compile(r"""ask\(\s*["']([A-Za-z0-9_]+\.[A-Za-z0-9_]+)["']""")


def heading_title(line: str, lang: str | None = None) -> str:
    """The title of a bilingual ``## 中文 / English (n 分 / points)`` heading in ``lang``."""
    text = line.lstrip("#").strip()
    text = re.sub(r"\s*[（(][^()（）]*[)）]\s*$", "", text)
    number = ""
    m = re.match(r"^(\d+\.\s*)", text)
    if m:
        number, text = m.group(1), text[m.end() :]
    zh, _, en = text.partition(" / ")
    chosen = en if resolve_lang(lang) == "en" and en else zh
    return (number + chosen.strip()).strip()


def assignment_title(course: Path, assignment: str, lang: str | None = None) -> str:
    """The assignment's title as its students read it (the notebook's ``# 标题 / Title``),
    else its name."""
    for _name, nb in _source_nb(course, assignment):
        for cell in nb.get("cells", [])[:3]:
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return heading_title(line, lang) or assignment
    return assignment


def _source_nb(course: Path, assignment: str) -> list[tuple[str, dict]]:
    out = []
    for path in sorted((course / "source" / assignment).glob("*.ipynb")):
        try:
            out.append((path.stem, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return out


def question_titles(course: Path, assignment: str, lang: str | None = None) -> dict:
    """``{(notebook, grade_id): {"title": ..., "qid": widget id or None}}`` for the graded
    cells of the source notebook(s)."""
    out: dict = {}
    for nb_name, nb in _source_nb(course, assignment):
        heading, qid, seen = "", None, Counter()
        for cell in nb.get("cells", []):
            text = "".join(cell.get("source", ""))
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.get("cell_type") == "markdown":
                for line in text.splitlines():
                    if line.startswith("## "):
                        heading, qid = heading_title(line, lang), None
            elif not meta.get("grade") and (found := ASK.search(text)):
                qid = found.group(1)
            if (meta.get("grade") or meta.get("task")) and meta.get("grade_id"):
                title = heading or meta["grade_id"]
                if qid:
                    colon = "：" if resolve_lang(lang) == "zh" else ": "
                    title = f"{title}{colon}{widget_prompt(course, qid, lang)}"
                seen[title] += 1
                if seen[title] > 1:
                    title = f"{title} ({seen[title]})"
                out[(nb_name, meta["grade_id"])] = {"title": title, "qid": qid}
    return out


def _bank_source(course: Path, bank: str) -> dict | None:
    """The bank's YAML source next to the course (``../questions``), if there and readable
    (read as the quiz build reads it; a source that cannot be read is passed over)."""
    folder = course.parent / "questions"
    if not folder.is_dir():
        return None
    from ...quiz.build import source_files

    try:
        stamp = tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in source_files(folder)
        )
    except OSError:
        return None
    return _bank_sources(str(folder), stamp).get(bank)


@functools.lru_cache(maxsize=4)
def _bank_sources(folder: str, stamp: tuple) -> dict[str, dict]:
    """The folder's plain banks, read once per state of its files (``stamp``)."""
    from ...quiz.build import plain_banks

    return plain_banks(Path(folder), problems=[])


def question_record(course: Path, qid: str) -> dict:
    """The question as the bank's source has it (with reasons), else as shipped, else ``{}``."""
    bank, _, qname = qid.partition(".")
    source = _bank_source(course, bank)
    if source:
        for q in source.get("questions", []):
            if q.get("id") == qname:
                return q
    try:
        from ...quiz.bank import question

        return question(qid)
    except Exception:  # an unknown bank or question: show ids
        return {}


def widget_prompt(course: Path, qid: str, lang: str | None = None, width: int = 30) -> str:
    prompt = question_record(course, qid).get("prompt")
    text = pick(prompt, lang) if prompt else qid
    return text if len(text) <= width else text[: width - 1] + "…"


def _question_type(name: object):
    """The question type called ``name`` (``None`` for a type this course does not know)."""
    from ...quiz import types

    return types.get(name) if isinstance(name, str) and name in types.names() else None


def handed_in_answers(course: Path, assignment: str, student: str) -> dict:
    """A student's widget answers: as the grader collected them (from inside the notebook and
    any answers file beside it, in ``autograded/``), else the file handed in."""
    from ...quiz.graded import read_answers

    graded = read_answers(course / "autograded" / student / assignment)
    return graded or read_answers(course / "submitted" / student / assignment)


def model_widget_answers(course: Path, assignment: str) -> dict:
    """{qid: record} of the assignment's model widget answers (``{}`` when unreadable)."""
    from ...quiz.graded import read_answers

    return read_answers(course / "source" / assignment / "model_answers.json")


def missing_widget_answers(course: Path, assignment: str, students: list[str], lang=None):
    """(student, question title) for every graded widget question a student's hand-in has no
    answer to (a notebook saved before answering, or an old answers file left behind)."""
    model = model_widget_answers(course, assignment)
    if not model:
        return []
    out = []
    for student in students:
        given = handed_in_answers(course, assignment, student)

        def answered(qid: str, given: dict = given) -> bool:
            rec = given.get(qid)
            return isinstance(rec, dict) and rec.get("answer") is not None

        seen: set[str] = set()
        for qid in sorted(model):
            group = model[qid].get("variants") or [qid]  # one of equivalent questions is enough
            if qid in seen:
                continue
            seen.update(group)
            if not any(answered(q) for q in group):
                out.append((student, widget_prompt(course, qid, lang, width=40)))
    return out


def distractors(course: Path, assignment: str, students: list[str], lang=None) -> list[dict]:
    """One table per graded widget question of ``assignment`` over ``students``' hand-ins.

    Each: ``qid``, ``title``, ``type``, ``n`` (students), ``unanswered``, ``rows`` (``part``,
    ``choice``, ``count``, ``share``, ``correct``, ``reason``) sorted as the bank lists them.
    """
    model = model_widget_answers(course, assignment)
    if not model:
        return []
    given = {s: handed_in_answers(course, assignment, s) for s in students}
    tables = []
    for qid, rec in sorted(model.items()):
        qtype = rec.get("type", "")
        kind = _question_type(qtype)
        if kind is None:  # a type this course does not know: nothing to count
            continue
        right = set(kind.placements(rec.get("answer")))
        q = question_record(course, qid)
        texts = kind.texts(q, lang)
        counts: Counter = Counter()
        unanswered = 0
        for s in students:
            got = given[s].get(qid)
            pairs = kind.placements(got.get("answer")) if isinstance(got, dict) else []
            if not pairs:
                unanswered += 1
            counts.update(set(pairs))
        n = len(students)
        order = list(texts)
        rows = []
        for part, choice in sorted(
            set(counts) | right,
            key=lambda pc: (
                order.index(pc[0]) if pc[0] in order else len(order),
                pc[0],
                order.index(pc[1]) if pc[1] in order else len(order),
                pc[1],
            ),
        ):
            ok = (part, choice) in right
            rows.append(
                {
                    "part": texts.get(part, part) if part else "",
                    "choice": kind.choice_text(choice, texts, lang),
                    "count": counts[(part, choice)],
                    "share": round(counts[(part, choice)] / n, 4) if n else 0.0,
                    "correct": ok,
                    "reason": "" if ok else kind.wrong_reason(q, part, choice, lang),
                }
            )
        tables.append(
            {
                "qid": qid,
                "title": widget_prompt(course, qid, lang, width=60),
                "type": qtype,
                "n": n,
                "unanswered": unanswered,
                "rows": rows,
            }
        )
    return tables


def misconceptions(tables: list[dict], limit: int = 5) -> list[dict]:
    """The most common wrong choices over all widget questions (most chosen first, ties in
    the tables' order), each with its question's title."""
    wrong = [
        {**row, "title": table["title"]}
        for table in tables
        for row in table["rows"]
        if not row["correct"] and row["count"] > 0
    ]
    return sorted(wrong, key=lambda r: -r["count"])[:limit]
