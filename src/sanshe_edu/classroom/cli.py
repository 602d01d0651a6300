"""``sanshe-edu class setup | roster | start | leaks | archive | remove``: the class server's
commands (as root).

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="sanshe-edu")
>>> register(parser.add_subparsers())
>>> args = parser.parse_args(["class", "roster", "class.csv", "--prefix", "s"])
>>> args.class_command, args.file, args.prefix
('roster', 'class.csv', 's')
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import LANGS, get_lang, t


def register(subparsers) -> None:
    p = subparsers.add_parser("class", help=t("classroom.help"), description=t("classroom.help"))
    p.add_argument(
        "--class-dir", metavar="DIR", help=t("classroom.help_class_dir", default="/srv/sanshe-edu")
    )
    sub = p.add_subparsers(dest="class_command", metavar="COMMAND", required=True)
    s = sub.add_parser("setup", help=t("classroom.help_setup"))
    s.add_argument("--trainer", default="trainer", help=t("classroom.help_trainer"))
    s.add_argument("--ip", default="0.0.0.0", help=t("classroom.help_ip"))
    s.add_argument("--port", type=int, default=8000, help=t("classroom.help_port"))
    s.add_argument("--proxy", metavar="PATH", help=t("classroom.help_proxy"))
    s.add_argument("--course", metavar="DIR", help=t("classroom.help_course"))
    s.add_argument("--group", default="sanshe-students", help=t("classroom.help_group"))
    s.add_argument("--class-lang", choices=LANGS, help=t("classroom.help_class_lang"))
    r = sub.add_parser("roster", help=t("classroom.help_roster"))
    r.add_argument("file", metavar="FILE", help=t("classroom.help_roster_file"))
    r.add_argument("--prefix", default="", help=t("classroom.help_prefix"))
    sub.add_parser("start", help=t("classroom.help_start"))
    lv = sub.add_parser("live", help=t("live.help_live"))
    lv.add_argument(
        "action", choices=["status", "export", "clear"], help=t("live.help_live_action")
    )
    lv.add_argument("--out", metavar="FILE", help=t("live.help_out"))
    lk = sub.add_parser("leaks", help=t("classroom.help_leaks"))
    lk.add_argument("--seconds", type=float, default=300, help=t("classroom.help_leaks_seconds"))
    lk.add_argument("--root", action="append", metavar="DIR", help=t("classroom.help_leaks_root"))
    a = sub.add_parser("archive", help=t("classroom.help_archive"))
    a.add_argument("--to", metavar="FILE", help=t("classroom.help_archive_to"))
    rm = sub.add_parser("remove", help=t("classroom.help_remove"))
    rm.add_argument("--to", metavar="FILE", help=t("classroom.help_archive_to"))
    rm.add_argument("--yes", action="store_true", help=t("classroom.help_yes"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from . import server

    folder = server.class_dir(args.class_dir)
    if args.class_command == "setup":
        cfg, password, made_private = server.setup(
            folder=folder,
            trainer=args.trainer,
            ip=args.ip,
            port=args.port,
            proxy=args.proxy,
            course=Path(args.course) if args.course else None,
            group=args.group,
            lang=args.class_lang or get_lang(),
        )
        print(t("classroom.setup_done", path=folder, course=cfg.course))
        if made_private:
            print(t("classroom.grading_made_private", path=made_private))
        if password:
            print(t("classroom.trainer_password", name=cfg.trainer, password=password))
        print(t("classroom.setup_next", dir=folder, exe=server.sanshe_edu_command(cfg)))
        print(t("classroom.url", url=cfg.url))
        return 0
    cfg = server.load(folder)
    if args.class_command == "roster":
        from .members import add_roster

        result = add_roster(cfg, Path(args.file), prefix=args.prefix)
        print(t("classroom.roster_done", added=len(result.added), kept=len(result.kept)))
        if result.password_file:
            print(t("classroom.roster_passwords", path=result.password_file))
        return 0
    if args.class_command == "live":
        from .live import admin

        return admin.run(Path(cfg.class_dir), cfg.group, cfg.trainer, args.action, args.out)
    if args.class_command == "leaks":
        return _leaks(cfg, args)
    if args.class_command == "archive":
        from .term import archive

        print(t("classroom.archived", path=archive(cfg, Path(args.to) if args.to else None)))
        return 0
    if args.class_command == "remove":
        return _remove(cfg, args)
    return server.start(cfg)


def _leaks(cfg, args: argparse.Namespace) -> int:
    from ..platform.doctor import Check
    from . import accounts, probe

    accounts.require_root()
    check: Check = probe.check_no_leaks(cfg, roots=args.root, seconds=args.seconds)
    print(f"[{'OK  ' if check.ok else 'FAIL'}] {check.name}: {check.detail}")
    if not check.ok and check.fix:
        print(f"       {t('platform.doctor_fix_label')}{check.fix}")
    return 0 if check.ok else 1


def _remove(cfg, args: argparse.Namespace) -> int:
    import sys

    from . import accounts, term

    accounts.require_root()
    users = term.class_users(cfg)
    print(t("classroom.remove_plan", dir=cfg.class_dir, n=len(users), group=cfg.group))
    if not args.yes:
        if not sys.stdin.isatty():
            print(t("classroom.remove_needs_yes"), file=sys.stderr)
            return 2
        answer = input(t("classroom.remove_confirm", dir=cfg.class_dir)).strip().lower()
        if answer not in ("y", "yes", "是", "是的"):
            print(t("classroom.remove_cancelled"))
            return 1
    done = term.remove(cfg, Path(args.to) if args.to else None)
    print(t("classroom.archived", path=done.archive))
    print(t("classroom.removed", n=len(done.users), dir=cfg.class_dir))
    for path in done.restored:
        print(t("classroom.restored", path=path))
    return 0
