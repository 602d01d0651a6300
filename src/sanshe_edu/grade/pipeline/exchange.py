"""Collecting hand-ins from nbgrader's exchange only as the student who made them.

nbgrader's exchange names a hand-in by a folder ``inbound/<student>+<assignment>+<time>+<rnd>``
in a folder every student can write to (733); nbgrader's own collect takes the newest folder
of each name and only *warns* when its owner is someone else. So a student could hand in a
blank notebook under a classmate's name, dated later, and it would replace the classmate's
work. :class:`OwnedCollect` (``c.ExchangeFactory.collect`` in the course's config) takes a
folder only when it is a real folder owned by the Unix user it names; every other one is left
out, and :func:`forged` lists them for the trainer (``grade collect`` says so in Chinese or
English). On a class server the student id is the login (``class roster``), so an honest
hand-in is always its student's own.
"""

from __future__ import annotations

import glob
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect, groupby

from .course import exchange_root, on_class_server


@dataclass(frozen=True)
class Refused:
    """A hand-in folder collect leaves out: its name, the student it claims, and why."""

    folder: str
    claimed: str
    owner: str  # the Unix user who made it, or "" when it is not a plain folder


def _owner(path: str) -> str:
    import pwd

    try:
        st = os.lstat(path)
    except OSError:
        return ""
    if not stat.S_ISDIR(st.st_mode):
        return ""
    try:
        return pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        return str(st.st_uid)


def split(inbound: str | os.PathLike, assignment: str, student: str = "*"):
    """The hand-in folders of ``assignment`` in ``inbound``: ``(owned, refused)``, the folder
    names whose owner is the student they name, and :class:`Refused` for the others."""
    owned, refused = [], []
    pattern = os.path.join(str(inbound), f"{glob.escape(student) if student != '*' else '*'}"
                           f"+{glob.escape(assignment)}+*")  # fmt: skip
    for path in sorted(glob.glob(pattern)):
        name = os.path.basename(path)
        claimed = name.rsplit("+", 3)[0]
        owner = _owner(path)
        if owner == claimed:
            owned.append(name)
        else:
            refused.append(Refused(name, claimed, owner))
    return owned, refused


def forged(course_id: str, root: str | os.PathLike, assignment: str) -> list[Refused]:
    """The hand-ins of ``assignment`` in the exchange ``root`` that collect leaves out."""
    inbound = Path(root) / course_id / "inbound"
    if not inbound.is_dir():
        return []
    return split(inbound, assignment)[1]


class OwnedCollect(ExchangeCollect):
    """nbgrader's collect (``init_src`` as nbgrader 0.9 writes it), taking only hand-in
    folders owned by the student they name."""

    def init_src(self):
        from nbgrader.api import Gradebook, MissingEntry

        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        student = self.coursedir.student_id or "*"
        owned, refused = split(self.inbound_path, self.coursedir.assignment_id, student)
        for r in refused:
            self.log.warning("Left out %s: not made by %s (owner: %s)", r.folder, r.claimed,
                             r.owner or "not a folder")  # fmt: skip
        records = [self._path_to_record(os.path.join(self.inbound_path, n)) for n in owned]
        usergroups = groupby(records, lambda item: item["username"])
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        self.src_records = []
        for group in usergroups.values():
            ordered = self._sort_by_timestamp(group)
            if self.duedate is not None and self.before_duedate:
                early = [r for r in ordered if r["timestamp"] <= self.duedate]
                ordered = early or ordered
            self.src_records.append(ordered[0])


def collect_class(api, assignment: str) -> tuple[dict, list[Refused]]:
    """Collect ``assignment``'s hand-ins from the exchange (:class:`OwnedCollect` through the
    course's config): nbgrader's result, and the hand-ins left out as not their student's."""
    result = api.collect(assignment, update=True)
    refused = forged(api.coursedir.course_id, str(exchange_root(api.config)), assignment)
    return result, refused


def refused_lines(refused: list[Refused]) -> list[str]:
    """One line for the trainer per hand-in collect left out."""
    from ...i18n import t

    return [
        t("grade.collect_refused", folder=r.folder, student=r.claimed,
          owner=r.owner or t("grade.collect_not_folder"))
        for r in refused
    ]  # fmt: skip


def release_feedback(api, assignment: str) -> bool:
    """Put the feedback pages in the exchange, where each student fetches only their own
    (``False`` when there is no exchange or nbgrader failed)."""
    if not on_class_server(api.config):
        return False
    return bool(api.release_feedback(assignment).get("success"))


__all__ = [
    "OwnedCollect",
    "Refused",
    "collect_class",
    "forged",
    "refused_lines",
    "release_feedback",
    "split",
]  # fmt: skip
