"""The course teaches the source article's facts in its own words: no pasted passages.

Checked: the lessons, the question banks, the model's reference and case data, the messages,
the graded assignments, the trainer notes and the docs — every text a student or trainer reads.

``tests/data/seed_shingles.txt`` holds a short hash of every 20-character run of the source
article (lines 1–77, letters and digits only, punctuation and spaces dropped) — enough to
recognise copied text without keeping the article in the repository. A notebook fails when any
20-character run of its cells (outside quotation marks 「」“”‘’《》"", which mark names of
documents, schemes and terms) hashes to one of them. The failure shows the copied passages.

``PROPER_NAMES`` is a short allow-list of named arrangements that students must learn word for
word; they are cut out before the check, like quotations. Names only, never sentences.

Rebuild the hash list when the source changes::

    SANSHE_EDU_SEED=../shared/seeds/000_68c359bf5c912d2f.txt .venv/bin/python \
        tests/test_course_wording.py
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

import pytest
from support.texts import file_text, notebook_text

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"
SHINGLES_FILE = REPO / "tests" / "data" / "seed_shingles.txt"
RUN = 20
SEED_LINES = 77
QUOTED = re.compile(r"「[^」]*」|“[^”]*”|‘[^’]*’|《[^》]*》|\"[^\"\n]*\"")

# Names of institutions and arrangements, not prose: a student has to learn these verbatim, so a
# lesson may use them unquoted (headings, bold key points). Each is cut out of the text before
# the check. Keep this list minimal: one named system or term per entry, never a sentence.
PROPER_NAMES = (
    # The governance arrangement the source proposes for subject linkage (lesson 05); its exact
    # name is 20 characters long, so any unquoted mention would otherwise count as copied.
    "社区事务工作委员会领导下的轮值主席负责制",
)


def normalise(text: str) -> str:
    """Letters and digits only (CJK counts as letters): copying survives re-punctuation."""
    return re.sub(r"[^\w]", "", text)


def digest(run: str) -> str:
    return hashlib.sha1(run.encode("utf-8")).hexdigest()[:12]


def shingles(text: str) -> set[str]:
    norm = normalise(text)
    return {digest(norm[i : i + RUN]) for i in range(len(norm) - RUN + 1)}


def load_shingles(path: Path = SHINGLES_FILE) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def copied_passages(text: str, known: set[str]) -> list[str]:
    """Maximal runs of ``text`` (normalised, quotations removed) whose 20-grams are all known."""
    norm = normalise(QUOTED.sub(" ", text))
    for name in PROPER_NAMES:
        norm = norm.replace(normalise(name), "")
    hits, start, end = [], None, -1
    for i in range(len(norm) - RUN + 1):
        if digest(norm[i : i + RUN]) in known:
            if start is None or i > end:
                if start is not None:
                    hits.append(norm[start:end])
                start = i
            end = i + RUN
    if start is not None:
        hits.append(norm[start:end])
    return hits


# Everything else a student or trainer reads, besides the lessons.
OTHER_TEXTS = sorted(
    [
        *(REPO / "questions").glob("*.yaml"),
        *(REPO / "src" / "sanshe_edu" / "data").rglob("*.yaml"),
        *(REPO / "src" / "sanshe_edu" / "messages").glob("*.json"),
        *(REPO / "grading" / "source").rglob("*.ipynb"),
        *(REPO / "exercises").rglob("*.ipynb"),
        *(REPO / "docs").glob("*.md"),
        COURSE / "instructor_notes.md",
        REPO / "README.md",
    ]
)


KNOWN = load_shingles()


def test_hash_list_is_loaded():
    assert len(KNOWN) > 5000


def test_a_pasted_sentence_is_found_and_a_paraphrase_is_not():
    """The check can fail: a copied sentence (a hash of it is planted here) is reported."""
    pasted = "这是一段为了测试而写的句子，它会被完整地复制到课程里面去。"
    known = shingles(pasted)
    assert copied_passages(f"课程开头。{pasted}结尾。", known) == [normalise(pasted)]
    assert copied_passages("这是为了测试写的另一句话，用自己的话重新说一遍。", known) == []
    assert copied_passages(f"「{pasted}」", known) == []  # a marked quotation is allowed


def test_proper_names_are_allowed_but_a_sentence_around_them_is_not():
    """A listed name passes on its own; a pasted sentence next to it is still reported."""
    name = PROPER_NAMES[0]
    assert copied_passages(f"本课学习**{name}**。", KNOWN) == []
    pasted = "委员会成员在讨论交流的基础上，制订章程，建立制度，规范各项工作。"  # from the source
    assert copied_passages(f"{name}：{pasted}", KNOWN) == [normalise(pasted)]


@pytest.mark.parametrize("name", PROPER_NAMES)
def test_allow_list_holds_short_names_from_the_source(name):
    """Each entry is a name found in the source (else it is dead weight), not a sentence."""
    assert len(name) <= 30 and not re.search(r"[，。；：！？,.;:!?]", name), name
    assert shingles(name) <= KNOWN, f"{name} is not in the source; drop it from PROPER_NAMES"


@pytest.mark.parametrize("path", sorted(COURSE.glob("*.ipynb")), ids=lambda p: p.stem)
def test_lesson_does_not_paste_the_source(path):
    hits = copied_passages(notebook_text(path), KNOWN)
    assert not hits, f"{path.name}: passages copied from the source, rewrite them:\n" + "\n".join(
        hits
    )


def test_every_kind_of_text_is_checked():
    """The list above really holds banks, data, messages, assignments and notes."""
    kinds = {p.relative_to(REPO).parts[0] for p in OTHER_TEXTS}
    assert {"questions", "src", "grading", "exercises", "docs", "course"} <= kinds
    assert len([p for p in OTHER_TEXTS if p.suffix == ".yaml"]) >= 15


def test_escaped_quotation_marks_in_yaml_still_quote(tmp_path):
    pasted = "这是一段为了测试而写的句子，它会被完整地复制到课程里面去。"
    bank = tmp_path / "bank.yaml"
    bank.write_text(f'a: {{zh: "\\"{pasted}\\"这类说法"}}\nb: [{pasted}]\n', encoding="utf-8")
    assert copied_passages(file_text(bank), shingles(pasted)) == [normalise(pasted)]  # b only


@pytest.mark.parametrize("path", OTHER_TEXTS, ids=lambda p: str(p.relative_to(REPO)))
def test_other_text_does_not_paste_the_source(path):
    hits = copied_passages(file_text(path), KNOWN)
    assert not hits, f"{path.name}: passages copied from the source, rewrite them:\n" + "\n".join(
        hits
    )


def _rebuild(seed: Path) -> None:  # pragma: no cover - maintenance helper
    lines = seed.read_text(encoding="utf-8").splitlines()[:SEED_LINES]
    header = [
        f"# sha1[:12] of every {RUN}-character run of the source article (lines 1-{SEED_LINES},",
        "# letters and digits only). Used by tests/test_course_wording.py to find text pasted",
        "# from the source without shipping the source. Rebuild: see that file's docstring.",
    ]
    SHINGLES_FILE.write_text(
        "\n".join([*header, *sorted(shingles("".join(lines)))]) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":  # pragma: no cover
    seed_path = os.environ.get("SANSHE_EDU_SEED")
    if not seed_path:
        sys.exit("set SANSHE_EDU_SEED to the source article's path")
    _rebuild(Path(seed_path))
    print(f"wrote {SHINGLES_FILE}")
