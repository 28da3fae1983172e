"""What each page action does to the store, in one transaction: nothing is half-written.

A save names the revision the form was opened on (``parent``). It becomes revision ``parent + 1`` only if
that is still the latest: the report's ``head`` moves from ``parent`` to ``parent + 1`` in one UPDATE that
matches ``head = parent``, so of two saves from the same revision exactly one wins, on SQLite as on
PostgreSQL; the other is told (:class:`Conflict`), and her text is kept as her draft. Every revision is
also written to the unit's period file (through the library), inside the transaction: if the file cannot
be written, the revision is not made either.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from cchc_gen import api
from cchc_gen.errors import CchcError, DataError, Problem
from cchc_gen.web.models import Draft, Event, LoginFailure, Period, Report, Revision, Role
from cchc_gen.web.server import DemoAccount, StoreImport


class Conflict(Exception):
    """The report was saved by someone else since the form was opened on revision ``parent``."""

    def __init__(self, latest: Revision) -> None:
        super().__init__(f"newer revision {latest.number}")
        self.latest = latest


def author_name(user: User | None) -> str:
    if user is None:
        return "nhập từ tệp"
    return user.get_full_name() or user.username


def find(where: api.Place) -> Report | None:
    return Report.objects.filter(unit=where.unit.code, period=where.period.code).first()


def revision(report: Report, number: int | None = None) -> Revision:
    return report.revisions.select_related("author").get(number=report.head if number is None else number)


def log(user: User | None, action: str, where: api.Place | None = None, detail: str = "") -> None:
    Event.objects.create(
        user=user,
        action=action,
        unit=where.unit.code if where else "",
        period=where.period.code if where else "",
        detail=detail[:300],
    )


def _commit(
    report: Report,
    where: api.Place,
    data: Mapping[str, Any],
    user: User | None,
    origin: str,
    note: str = "",
    file: api.PeriodFile | None = None,
) -> Revision:
    """Revision ``report.head + 1`` with ``data``, if ``report.head`` is still the latest; written to
    ``file`` too (the period file made ready before the transaction; none when the data came from there).
    Call inside a transaction."""
    parent = report.head
    now = timezone.now()
    moved = Report.objects.filter(pk=report.pk, head=parent).update(head=parent + 1, updated_at=now)
    if not moved:
        raise Conflict(revision(Report.objects.get(pk=report.pk)))
    made = Revision.objects.create(
        report=report,
        number=parent + 1,
        parent=parent or None,
        data=dict(data),
        author=user,
        origin=origin,
        note=note,
        created_at=now,
    )
    report.head = parent + 1
    if file is not None:
        file.write(api.saved_note(made.number, author_name(user), timezone.localtime(now)))
    return made


def start(where: api.Place, data: Mapping[str, Any], user: User, origin: str) -> Revision:
    """Create the report with its first revision; refused when the unit already has one for the period."""
    file = api.period_file(where.data_dir, where.unit, where.period, data)
    with transaction.atomic():
        report, _ = Report.objects.get_or_create(unit=where.unit.code, period=where.period.code)
        if report.head:
            raise DataError.single(
                f"{where.unit.short_name} đã có báo cáo {where.period.label}.",
                fix="Mở báo cáo đó để sửa (mọi phiên bản đều được giữ trong lịch sử).",
            )
        made = _commit(report, where, data, user, origin, file=file)
        log(user, Event.START, where, dict(Revision.ORIGINS)[origin])
        return made


def save(
    where: api.Place,
    data: Mapping[str, Any],
    parent: int,
    user: User,
    origin: str = Revision.EDIT,
    note: str = "",
) -> Revision:
    """Save ``data`` as the revision after ``parent``; :class:`Conflict` when ``parent`` is no longer the
    latest (her text is then kept as her draft)."""
    file = api.period_file(where.data_dir, where.unit, where.period, data)
    try:
        with transaction.atomic():
            report = Report.objects.get(unit=where.unit.code, period=where.period.code)
            if report.state == Report.SUBMITTED:
                raise DataError.single(
                    "Báo cáo đã nộp nên không sửa được.",
                    fix="Bấm “Mở lại để sửa” trên trang báo cáo, sửa, rồi nộp lại.",
                )
            report.head = parent
            made = _commit(report, where, data, user, origin, note, file)
            Draft.objects.filter(report=report, user=user).delete()
            action = Event.RESTORE if origin == Revision.RESTORE else Event.SAVE
            log(user, action, where, f"phiên bản {made.number}")
            return made
    except Conflict:
        keep_draft(where, data, parent, user, conflict=True)
        raise


def keep_draft(
    where: api.Place, data: Mapping[str, Any], base: int, user: User, conflict: bool = False
) -> None:
    """Keep what the clerk's form holds, unsaved: autosave, or her text after a conflict."""
    report = find(where)
    if report is None:
        return
    Draft.objects.update_or_create(
        report=report,
        user=user,
        defaults={"base": base, "data": dict(data), "saved_at": timezone.now(), "conflict": conflict},
    )


def draft(report: Report, user: User) -> Draft | None:
    return Draft.objects.filter(report=report, user=user).first()


def drop_draft(report: Report, user: User) -> None:
    Draft.objects.filter(report=report, user=user).delete()


def restore(where: api.Place, number: int, parent: int, user: User) -> Revision:
    """A new revision with the data of revision ``number`` (nothing in between is lost: it stays in the
    history)."""
    report = find(where)
    if report is None:
        raise DataError.single("Chưa có báo cáo này.")
    old = revision(report, number)
    return save(where, old.data, parent, user, Revision.RESTORE, f"khôi phục phiên bản {number}")


@dataclass(frozen=True)
class SubmitRefused(Exception):
    """The report still has errors: it cannot be submitted."""

    errors: int


def submit(where: api.Place, number: int, user: User) -> Report:
    """Submit the report as revision ``number`` (the one the page showed), with the time; refused while
    it has errors or when a newer revision was saved meanwhile."""
    with transaction.atomic():
        report = Report.objects.get(unit=where.unit.code, period=where.period.code)
        if report.head != number:
            raise Conflict(revision(report))
        check = api.check_report_data(where, revision(report).data)
        if check.errors:
            raise SubmitRefused(check.errors)
        now = timezone.now()
        opened = Period.objects.filter(unit=where.unit.parent or "", period=where.period.code).first()
        Report.objects.filter(pk=report.pk).update(
            state=Report.SUBMITTED,
            submitted_at=now,
            submitted_by=user,
            submitted_revision=number,
            due=opened.deadline if opened else None,
        )
        log(user, Event.SUBMIT, where, f"phiên bản {number}")
        report.refresh_from_db()
        return report


def reopen(where: api.Place, user: User) -> None:
    """Open a submitted report for changes again (it must then be submitted again)."""
    with transaction.atomic():
        Report.objects.filter(unit=where.unit.code, period=where.period.code).update(state=Report.DRAFT)
        log(user, Event.SUBMIT, where, "mở lại để sửa")


def send_back(where: api.Place, note: str, user: User) -> None:
    """Return a submitted report to its unit for correction, with the officer's note for the clerk."""
    with transaction.atomic():
        moved = Report.objects.filter(
            unit=where.unit.code, period=where.period.code, state=Report.SUBMITTED
        ).update(state=Report.RETURNED, returned_note=note, returned_at=timezone.now(), returned_by=user)
        if not moved:
            raise DataError.single(
                f"Báo cáo {where.period.label} của {where.unit.short_name} chưa nộp nên không trả lại được.",
                fix="Chỉ trả lại báo cáo đã nộp; báo cáo đang soạn thì đơn vị vẫn đang sửa.",
            )
        log(user, Event.RETURN, where, note)


@dataclass(frozen=True)
class RolledUp:
    revision: Revision
    submitted: int
    children: int
    problems: list[Problem]


def roll_up(where: api.Place, user: User) -> RolledUp:
    """The report of the officer's unit ``where.unit`` for the period, made by the roll-up engine (``cchc
    tong-hop``) from the revisions her units submitted (not what they changed since), as a new revision of
    her report (started when she has none). The engine works on a folder of its own holding the registry and
    those revisions, so that drafts never count."""
    children = _children(where)
    submitted = Report.objects.filter(period=where.period.code, unit__in=children, state=Report.SUBMITTED)
    opened = Period.objects.filter(unit=where.unit.code, period=where.period.code).first()
    with tempfile.TemporaryDirectory(prefix="cchc-tong-hop-") as name:
        folder = Path(name)
        shutil.copy(where.data_dir / api.REGISTRY_FILE, folder / api.REGISTRY_FILE)
        for report in submitted:
            child = api.place(folder, report.unit, report.period)
            data = revision(report, report.submitted_revision).data
            api.period_file(folder, child.unit, child.period, data).write(
                f"phiên bản {report.submitted_revision}"
            )
        result = api.roll_up(
            where.unit.code,
            where.period.code,
            data_dir=folder,
            deadline=opened.deadline if opened else None,
            chart=True,
        )
        found = api.period_reports(folder)
        data = next((item.data for item in found.reports if item.unit == where.unit.code), None)
        if data is None:
            raise DataError(found.problems or result.problems)
        if result.chart is not None:
            # Kept beside the period file as an uploaded picture is, by its content: an earlier
            # revision's chart stays what it was.
            kept = api.save_picture(
                where.data_dir, where.period, where.unit, result.chart.name, result.chart.read_bytes()
            )
            data = _renamed_picture(data, result.chart.name, kept)
    note = f"tổng hợp {len(submitted)}/{len(children)} đơn vị đã nộp"
    with transaction.atomic():
        existing = find(where)
        if existing is not None and existing.head:
            made = save(where, data, existing.head, user, Revision.ROLLUP, note)
        else:
            made = start(where, data, user, Revision.ROLLUP)
        log(user, Event.ROLLUP, where, note)
    return RolledUp(made, len(submitted), len(children), result.problems)


def _children(where: api.Place) -> list[str]:
    """The codes of the units directly below ``where.unit`` in the registry."""
    return [code for code, unit in api.units(where.data_dir).items() if unit.parent == where.unit.code]


class Latest(NamedTuple):
    """The latest revision of a report: its id in the store (its data never changes), and its data."""

    revision: int
    data: dict[str, Any]


def latest(reports: QuerySet[Report]) -> dict[str, Latest]:
    """The latest revision of each of ``reports``, by unit code, in one query."""
    heads = Revision.objects.filter(report__in=reports, number=F("report__head"))
    return {unit: Latest(pk, data) for unit, pk, data in heads.values_list("report__unit", "pk", "data")}


def latest_data(reports: QuerySet[Report]) -> dict[str, dict[str, Any]]:
    """The data of the latest revision of each of ``reports``, by unit code, in one query."""
    return {unit: head.data for unit, head in latest(reports).items()}


def collection_workbook(where: api.Place) -> bytes:
    """The collection workbook of the units below ``where.unit`` for the period, filled with the figures
    of their reports' latest revisions."""
    reports = Report.objects.filter(period=where.period.code, unit__in=_children(where), head__gt=0)
    return api.collection_workbook_bytes(
        where.unit.code, where.period.code, latest_data(reports), data_dir=where.data_dir
    )


def import_collection(where: api.Place, workbook: Path, user: User) -> api.CollectedReports:
    """The figures of a filled-in collection workbook saved as a new revision of each child's report
    whose figures change (a report started for a child without one), all in one transaction; nothing when
    the workbook has any problem (:class:`DataError` with every problem, at its sheet and cell).
    Submitted reports may not change: they are sent back first."""
    found = Report.objects.filter(period=where.period.code, unit__in=_children(where), head__gt=0)
    reports = {report.unit: report for report in found}
    current = latest_data(found)
    locked = [code for code, report in reports.items() if report.state == Report.SUBMITTED]
    result = api.collect_into_reports(
        workbook, where.unit.code, where.period.code, current, locked=locked, data_dir=where.data_dir
    )
    note = f"bảng thu thập của {where.unit.short_name}"
    with transaction.atomic():
        for code, data in result.changed.items():
            child = api.place(where.data_dir, code, where.period.code)
            if code in reports:
                save(child, data, reports[code].head, user, Revision.COLLECT, note)
            else:
                start(child, data, user, Revision.COLLECT)
        log(
            user,
            Event.COLLECT,
            where,
            f"{len(result.changed)} đơn vị có số liệu mới, {len(result.unchanged)} đơn vị không đổi",
        )
    return result


def _renamed_picture(data: Any, old: str, new: str) -> Any:
    """``data`` with its picture blocks that show the file ``old`` showing ``new``."""
    if isinstance(data, dict):
        return {
            key: new if key == "image" and value == old else _renamed_picture(value, old, new)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_renamed_picture(item, old, new) for item in data]
    return data


def open_period(where: api.Place, deadline: dt.date, user: User) -> Period:
    """Open ``where.period`` for the units below ``where.unit`` with ``deadline``; opening it again
    changes the deadline (reports already submitted keep the deadline they were submitted against)."""
    with transaction.atomic():
        opened, created = Period.objects.update_or_create(
            unit=where.unit.code, period=where.period.code, defaults={"deadline": deadline, "opened_by": user}
        )
        verb = "mở" if created else "đổi hạn"
        log(user, Event.PERIOD, where, f"{verb} {where.period.label}, hạn nộp {deadline:%d/%m/%Y}")
        return opened


def previous_report(where: api.Place) -> Report | None:
    """The unit's latest report of a period that ends before this one's (6T before 9T)."""
    candidates = []
    for report in Report.objects.filter(unit=where.unit.code).exclude(period=where.period.code):
        try:
            period = api.place(where.data_dir, report.unit, report.period).period
        except CchcError:
            continue
        if period.window[1] < where.period.window[1] and report.head:
            candidates.append((period, report))
    return max(candidates, key=lambda c: c[0].chronological)[1] if candidates else None


def import_period_files(data_dir: Path) -> StoreImport:
    """Read every period file of ``data_dir`` into the store: a new report, or a new revision when the
    file differs from the report's latest revision."""
    found = api.period_reports(data_dir)
    result = StoreImport(problems=found.problems)
    for item in found.reports:
        where = api.place(data_dir, item.unit, item.period)
        with transaction.atomic():
            report, created = Report.objects.get_or_create(unit=item.unit, period=item.period)
            if report.head and revision(report).data == item.data:
                result.unchanged += 1
                continue
            _commit(report, where, item.data, None, Revision.IMPORT, item.file.name)
            log(None, Event.IMPORT, where, str(item.file.name))
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result


def create_demo_accounts(data_dir: Path) -> list[DemoAccount]:
    """On a store without any login: a clerk for every unit that has a report, an officer for each of
    their parents, and an administrator, each with a random password (shown once, marked as demo)."""
    if User.objects.exists():
        return []
    units = api.units(data_dir)
    with_reports = sorted({code for code in Report.objects.values_list("unit", flat=True) if code in units})
    parents = sorted({parent for code in with_reports if (parent := units[code].parent) in units and parent})
    plan = [(code, Role.CLERK, code, f"công chức {units[code].short_name}") for code in with_reports]
    plan += [
        (f"noi-vu-{code}", Role.OFFICER, code, f"cán bộ Nội vụ {units[code].short_name}") for code in parents
    ]
    plan.append(("quan-tri", Role.ADMIN, "", "quản trị"))
    made = []
    with transaction.atomic():
        for username, kind, unit, description in plan:
            password = secrets.token_urlsafe(9)
            user = User.objects.create_user(username, password=password)
            Role.objects.create(user=user, kind=kind, unit=unit, demo=True)
            made.append(DemoAccount(username, password, description))
    return made


_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


def create_account(data_dir: Path, username: str, kind: str, unit: str, by: User | None = None) -> str:
    """A login of ``kind`` for ``unit`` (a unit of the registry; none for an administrator), made by the
    administrator ``by`` (none from the command line); returns its random password, to hand over once (its
    owner replaces it at her first login)."""
    units = api.units(data_dir)
    if kind != Role.ADMIN and unit not in units:
        raise DataError.single(
            f"Không có đơn vị mã '{unit}' trong danh mục.",
            file=data_dir / "units.yaml",
            fix="Ghi mã đơn vị như trong danh mục (ví dụ ht-duc-tho) sau --don-vi.",
        )
    if not _USERNAME.match(username):
        raise DataError.single(
            f"Tên đăng nhập '{username}' không hợp lệ.",
            fix="Dùng 2–40 chữ thường không dấu, chữ số, dấu '.', '-' hoặc '_', ví dụ nguyen.van.a.",
        )
    if User.objects.filter(username=username).exists():
        raise DataError.single(
            f"Đã có tài khoản '{username}'.", fix="Chọn tên khác, hoặc đặt lại mật khẩu của tài khoản đó."
        )
    password = secrets.token_urlsafe(9)
    with transaction.atomic():
        user = User.objects.create_user(username, password=password)
        Role.objects.create(
            user=user, kind=kind, unit=unit if kind != Role.ADMIN else "", must_change_password=True
        )
        log(by, Event.ACCOUNT, detail=f"tạo tài khoản {username} ({dict(Role.KINDS)[kind].lower()} {unit})")
    return password


def reset_password(username: str, by: User | None = None) -> str:
    """A new random password for ``username`` (returned, to hand over once); the name's failed logins
    are forgotten, so that a locked login opens again. ``by``: the administrator who asked for it."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise DataError.single(f"Không có tài khoản '{username}'.", fix="Kiểm tra lại tên đăng nhập.")
    password = secrets.token_urlsafe(9)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        Role.objects.filter(user=user).update(must_change_password=True)
        LoginFailure.objects.filter(username=username.casefold()).delete()
        log(by, Event.ACCOUNT, detail=f"đặt lại mật khẩu {username}")
    return password


def change_password(user: User, password: str) -> None:
    """The login's own password, in place of the one-time one."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        Role.objects.filter(user=user).update(must_change_password=False)
        log(user, Event.ACCOUNT, detail=f"đổi mật khẩu {user.get_username()}")


def set_active(username: str, active: bool, by: User) -> None:
    """Disable a login (it can no longer log in, and a session it has open ends) or enable it again."""
    with transaction.atomic():
        if not User.objects.filter(username=username).update(is_active=active):
            raise DataError.single(f"Không có tài khoản '{username}'.", fix="Kiểm tra lại tên đăng nhập.")
        log(by, Event.ACCOUNT, detail=f"{'mở lại' if active else 'khóa'} tài khoản {username}")


def choose_profile(opened: Period, profile: str, by: User) -> None:
    """Lay the reports of an opened period out with ``profile`` ("": the profile chosen by date)."""
    with transaction.atomic():
        Period.objects.filter(pk=opened.pk).update(profile=profile)
        shown = profile or "theo ngày hiệu lực"
        detail = f"kỳ {opened.period} của {opened.unit} dùng bộ mẫu {shown}"
        Event.objects.create(
            user=by, action=Event.TEMPLATE, unit=opened.unit, period=opened.period, detail=detail
        )


def with_period_profile(where: api.Place) -> api.Place:
    """``where`` with the profile chosen for its period: by the superior that opened the period for the
    unit, else for the period the unit opened itself (an officer's own report)."""
    openers = [code for code in (where.unit.parent, where.unit.code) if code]
    chosen = dict(
        Period.objects.filter(unit__in=openers, period=where.period.code)
        .exclude(profile="")
        .values_list("unit", "profile")
    )
    profile = next((chosen[code] for code in openers if code in chosen), None)
    return replace(where, profile=profile) if profile else where
