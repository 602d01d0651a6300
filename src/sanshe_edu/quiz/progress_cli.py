"""``sanshe-edu progress`` (per lesson: done, score, what is left),
``sanshe-edu progress --concepts`` (mastery per concept, and how many reviews are due),
``sanshe-edu progress --reset LESSON [--yes]`` (asks before deleting);
``sanshe-edu progress --export FILE`` / ``--import FILE``: the whole progress as one file
(:mod:`sanshe_edu.quiz.transfer`, the same file the browser edition exports and imports).
"""

from __future__ import annotations

import argparse
import sys

from ..i18n import t


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "progress", help=t("quiz.cli_help"), description=t("quiz.cli_help")
    )
    parser.add_argument("--reset", metavar="LESSON", help=t("quiz.cli_reset_help"))
    parser.add_argument("--export", metavar="FILE", help=t("quiz.cli_export_help"))
    parser.add_argument(
        "--import", dest="import_file", metavar="FILE", help=t("quiz.cli_import_help")
    )
    parser.add_argument("--yes", "-y", action="store_true", help=t("quiz.cli_yes_help"))
    parser.add_argument("--concepts", action="store_true", help=t("mastery.cli_concepts_help"))
    parser.set_defaults(func=run)


def _table() -> str:
    """One row per lesson (answered, score, wholly right), and under it, one line per question
    still to do, by the start of its prompt (what the student sees), not by its id."""
    from .bank import short_title
    from .score import progress_summary

    rows = progress_summary()
    if not rows:
        return t("quiz.overview_empty")
    lines = [m for r in rows for m in r.get("messages", [])]
    header = [
        t("quiz.overview_lesson"),
        t("quiz.overview_done"),
        t("quiz.overview_score"),
        t("quiz.overview_correct"),
        t("quiz.overview_left"),
    ]
    body = []
    for r in rows:
        left = t("quiz.overview_all_done") if not r["left"] else str(len(r["left"]))
        body.append(
            [
                r["title"],
                f"{r['done']}/{r['total']}",
                f"{r['score']:g}/{r['max']:g}",
                f"{r['correct']}/{r['total']}",
                left,
            ]
        )
    n = len(header) - 1
    widths = [max(_width(row[i]) for row in [header, *body]) for i in range(n)]
    for row, r in zip([header, *body], [None, *rows], strict=True):
        cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(n)]
        lines.append("  ".join([*cells, row[n]]).rstrip())
        for qid in r["left"] if r else []:
            lines.append(t("quiz.cli_left_item", title=short_title(qid, 40)))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width in a terminal (CJK characters take two columns)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def run(args: argparse.Namespace) -> int:
    from .bank import bank_ids
    from .store import ProgressStore

    if getattr(args, "export", None) or getattr(args, "import_file", None):
        return _transfer(args)
    store = ProgressStore()
    if getattr(args, "concepts", False) and not args.reset:
        from .conceptmap import text_report
        from .mastery import learner_mastery
        from .review import due_qids, now

        print(text_report(learner_mastery(store)))
        print(t("mastery.cli_due", n=len(due_qids(store.section("review"), now()))))
        for m in store.take_messages():
            print(m, file=sys.stderr)
        print(t("quiz.cli_store", file=store.path))
        return 0
    if not args.reset:
        print(_table())
        print(t("quiz.cli_store", file=store.path))
        return 0
    lesson = args.reset
    if lesson not in bank_ids():
        from ..errors import unknown_choice

        raise unknown_choice(t("quiz.what_bank"), lesson, [b for b in bank_ids() if b != "example"])
    n = store.count_bank(lesson)
    for m in store.messages:
        print(m, file=sys.stderr)
    if n == 0:
        print(t("quiz.cli_nothing", lesson=lesson))
        return 0
    if not args.yes:
        try:
            reply = input(t("quiz.cli_confirm", lesson=lesson, n=n))
        except EOFError:
            reply = ""
        if reply.strip().lower() not in ("y", "yes", "是", "好"):
            print(t("quiz.cli_cancelled"))
            return 1
    removed = store.reset_bank(lesson)
    print(t("quiz.cli_cleared", lesson=lesson, n=removed))
    return 0


def _transfer(args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import transfer

    if args.export:
        info = transfer.export_file(Path(args.export))
        print(t("quiz.cli_exported", file=info["file"], files=info["files"], n=info["questions"]))
    if args.import_file:
        info = transfer.import_file(Path(args.import_file))
        print(t("quiz.cli_imported", file=args.import_file, n=info["questions"]))
        if info["backup"] is not None:
            print(t("quiz.transfer_backup", folder=info["backup"]))
    return 0
