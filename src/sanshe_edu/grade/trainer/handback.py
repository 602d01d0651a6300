"""Feedback handed back in one go: each student's page says which widget parts were wrong and
why, carries the student's name and the assignment's title, and is packed per student and for
the whole class, named for an upload to 学习通 / 雨课堂 or an e-mail.

nbgrader writes ``feedback/<学号>/<assignment>/<notebook>.html`` (our template, with the
trainer's comments under each written answer).  :func:`hand_back` adds to each page, after its
summary: for every graded widget question, each part the student placed wrong with the bank's
"why not" text (and, when the trainer chooses, the parts they got right), or that it was not
answered.  Right answers the student did not give are never shown.  Then it writes
``handback/<assignment>/<学号>_<姓名>_<title>_反馈.html`` (a ``.zip`` when an assignment has
several notebooks) and ``<title>_全班反馈.zip`` holding them all.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from ...i18n import t
from .items import (
    _question_type,
    assignment_title,
    handed_in_answers,
    model_widget_answers,
    question_record,
    question_titles,
    widget_prompt,
)
from .names import class_names

MARK = "sanshe-widget-review"
SAFE = re.compile(r'[\\/:*?"<>|\s]+')


def widget_review(course: Path, assignment: str, student: str, show_right: bool = False, lang=None):
    """``[{title, answered, wrong: [(part, choice, reason)], right: [(part, choice)],
    missed: n}]`` for each graded widget question of ``assignment``."""
    model = model_widget_answers(course, assignment)
    given = handed_in_answers(course, assignment, student)
    titles = {
        info["qid"]: info["title"]
        for info in question_titles(course, assignment, lang).values()
        if info.get("qid")
    }
    in_order = [q for q in titles if q in model] + sorted(q for q in model if q not in titles)
    out, seen = [], set()
    for qid in in_order:
        if qid in seen:
            continue
        group = model[qid].get("variants") or [qid]
        seen.update(group)
        asked = next((q for q in group if isinstance(given.get(q), dict)), qid)
        rec = model.get(asked) or model[qid]
        kind = _question_type(rec.get("type"))
        if kind is None:
            continue
        q = question_record(course, asked)
        texts = kind.texts(q, lang)
        got = given.get(asked)
        chosen = kind.placements(got.get("answer")) if isinstance(got, dict) else []
        right = set(kind.placements(rec.get("answer")))
        if not right:  # a question marked by hand (a short text): the trainer's comment says it
            continue
        item = {
            "title": titles.get(asked) or titles.get(qid) or widget_prompt(course, asked, lang),
            "answered": bool(chosen),
            "wrong": [],
            "right": [],
            "missed": 0,
        }
        for part, choice in chosen:
            words = (texts.get(part, part) if part else "", kind.choice_text(choice, texts, lang))
            if (part, choice) in right:
                if show_right:
                    item["right"].append(words)
            else:
                item["wrong"].append((*words, kind.wrong_reason(q, part, choice, lang)))
        if chosen and all(not p for p, _c in right):  # choose-several: right ones left out
            item["missed"] = len(right - set(chosen))
        out.append(item)
    return out


def review_html(items: list[dict], lang=None) -> str:
    """The section added to a feedback page (escaped; no script, no link)."""
    if not items:
        return ""
    heading = html.escape(t("grade.hb_heading", lang=lang))
    parts = [
        f"<section class='panel-body {MARK}'>"
        f"<h2 style='font-size:1.15em;font-weight:bold'>{heading}</h2>"
    ]
    for item in items:
        title = html.escape(item["title"])
        parts.append(
            f"<h3 style='font-size:1em;font-weight:bold;margin:0.8em 0 0.3em'>{title}</h3><ul>"
        )
        if not item["answered"]:
            parts.append(f"<li>{html.escape(t('grade.hb_unanswered', lang=lang))}</li>")
        for part, choice, reason in item["wrong"]:
            line = t("grade.hb_wrong_part" if part else "grade.hb_wrong", lang=lang, part=part,
                     choice=choice)  # fmt: skip
            why = ""
            if reason:
                why = html.escape(t("grade.hb_why", lang=lang, reason=reason))
                why = f"<br><span class='sanshe-why' style='color:#333'>{why}</span>"
            cross = "<b style='color:#b00'>✘</b>"
            parts.append(f"<li class='sanshe-wrong'>{cross} {html.escape(line)}{why}</li>")
        if item["missed"]:
            text = t("grade.hb_missed", lang=lang, n=item["missed"])
            parts.append(f"<li class='sanshe-wrong'>✘ {html.escape(text)}</li>")
        for part, choice in item["right"]:
            line = t("grade.hb_right_part" if part else "grade.hb_right", lang=lang, part=part,
                     choice=choice)  # fmt: skip
            parts.append(f"<li class='sanshe-right'>✔ {html.escape(line)}</li>")
        if item["answered"] and not item["wrong"] and not item["missed"]:
            parts.append(
                f"<li class='sanshe-right'>✔ {html.escape(t('grade.hb_all_right', lang=lang))}</li>"
            )
        parts.append("</ul>")
    parts.append("</section>")
    return "".join(parts)


def decorate(page: str, student: str, name: str, title: str, review: str) -> str:
    """The nbgrader feedback page with the student's name, the assignment's title and the
    widget review (a page decorated before gets the new review instead of the old)."""
    if MARK in page:  # decorated before: the review is made anew
        page = re.sub(rf"<!-- {MARK} -->.*?</section>", "", page, count=1, flags=re.DOTALL).replace(
            f"<!-- {MARK} -->", ""
        )
    who = html.escape(f"{name}（{student}）" if name else student)
    page = re.sub(
        r'(<dd class="sanshe-student">)[^<]*(</dd>)',
        lambda m: m.group(1) + who + m.group(2),
        page,
        count=1,
    )
    page = re.sub(
        r'(<dd class="sanshe-assignment">)[^<]*(</dd>)',
        lambda m: m.group(1) + html.escape(title) + m.group(2),
        page,
        count=1,
    )
    marker = f"<!-- {MARK} -->"
    head, sep, tail = page.partition("</nav>")
    if not sep:
        return page.replace("</body>", marker + review + "</body>", 1)
    return head + sep + marker + review + tail


def _safe(text: str) -> str:
    return SAFE.sub("_", text).strip("_.") or "_"


def hand_back(
    course: Path, assignment: str, roster: dict[str, str], show_right: bool = False, lang=None
) -> tuple[list[Path], Path | None]:
    """Decorate every student's feedback pages for ``assignment`` and pack them; return the
    per-student files and the class zip (``None`` when there is no feedback yet)."""
    names = class_names(course, roster)
    title = assignment_title(course, assignment, lang)
    out = course / "handback" / assignment
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file():
            old.unlink()
    made: list[Path] = []
    suffix = t("grade.hb_file_suffix", lang=lang)
    for folder in sorted((course / "feedback").glob(f"*/{assignment}")):
        if not folder.is_dir() or folder.is_symlink():
            continue
        student = folder.parent.name
        name = names.get(student, "")
        review = review_html(widget_review(course, assignment, student, show_right, lang), lang)
        pages = sorted(p for p in folder.glob("*.html") if p.is_file() and not p.is_symlink())
        for page in pages:
            text = page.read_text(encoding="utf-8")
            page.write_text(decorate(text, student, name, title, review), encoding="utf-8")
        if not pages:
            continue
        stem = _safe("_".join(x for x in (student, name, title, suffix) if x))
        if len(pages) == 1:
            target = out / f"{stem}.html"
            target.write_bytes(pages[0].read_bytes())
        else:
            target = out / f"{stem}.zip"
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
                for page in pages:
                    z.write(page, page.name)
        made.append(target)
    if not made:
        return [], None
    class_zip = out / f"{_safe(title + '_' + t('grade.hb_class_zip', lang=lang))}.zip"
    with zipfile.ZipFile(class_zip, "w", zipfile.ZIP_DEFLATED) as z:
        for path in made:
            z.write(path, path.name)
    return made, class_zip
