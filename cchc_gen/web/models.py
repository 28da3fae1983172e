"""The store of the web workspace.

Logins are Django's users (passwords hashed with Argon2). What the workspace adds:

- :class:`Role` — what a login is: a clerk of one unit, an officer of a parent unit (she sees its
  children's reports), or an administrator. Units are those of the registry (``data/units.yaml``).
- :class:`Report` — one unit's report for one period, identified by (unit code, period code); ``head`` is
  the number of its latest revision, its state draft or submitted.
- :class:`Revision` — one saved version: the whole report data (the structure of a YAML data file),
  author, time, and the revision it was made from (``parent``). Revisions are never changed or deleted.
- :class:`Draft` — what a clerk's browser saved on its own (autosave) since her last save, one per
  report and login, so that a browser closed mid-edit loses at most a minute.
- :class:`LoginFailure` — failed logins by name and address, to lock out guessing.
- :class:`Event` — who did what and when (logins, saves, submissions, returns, downloads, periods opened,
  and the administrator's changes: accounts, profiles, the registry).
- :class:`Job` — a zip of the submitted reports of an officer's units, made in the background by the batch
  engine; its state and progress are here, so that a reload shows them and a restart can resume it.
- :class:`Period` — a period an officer opened for the units below her unit, with its deadline (hạn nộp),
  and the profile an administrator chose for its reports.
  A report submitted keeps the deadline that was in force (``due``): extending a deadline later does not
  turn a late submission into an on-time one. A report sent back for correction (state returned) keeps
  the officer's note for the clerk.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.Model):
    CLERK, OFFICER, ADMIN = "clerk", "officer", "admin"
    KINDS = [(CLERK, "Công chức đơn vị"), (OFFICER, "Cán bộ Nội vụ cấp trên"), (ADMIN, "Quản trị")]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cchc_role")
    kind = models.CharField(max_length=10, choices=KINDS)
    # The unit code in the registry: the clerk's unit, or the unit whose children the officer follows.
    unit = models.CharField(max_length=40, blank=True)
    # Made on the first start of a fresh store for trying the sample province; listed as such.
    demo = models.BooleanField(default=False)
    # Its password is a one-time one, handed over by the administrator: she sets her own before anything.
    must_change_password = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user.username} ({self.get_kind_display()}, {self.unit or '—'})"


class Report(models.Model):
    DRAFT, SUBMITTED, RETURNED = "draft", "submitted", "returned"
    STATES = [(DRAFT, "Đang soạn"), (SUBMITTED, "Đã nộp"), (RETURNED, "Trả lại để sửa")]

    unit = models.CharField(max_length=40)
    period = models.CharField(max_length=10)
    head = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=STATES, default=DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_revision = models.PositiveIntegerField(null=True, blank=True)
    # The deadline in force when the report was submitted (none when no period was opened for it).
    due = models.DateField(null=True, blank=True)
    returned_note = models.CharField(max_length=500, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="one_report_per_unit_period")]
        indexes = [models.Index(fields=["period", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"

    @property
    def late(self) -> bool:
        """Submitted after the deadline that was in force then."""
        if self.submitted_at is None or self.due is None:
            return False
        return timezone.localdate(self.submitted_at) > self.due


class Period(models.Model):
    """A reporting period opened by an officer of ``unit`` for the units below it, with a deadline."""

    unit = models.CharField(max_length=40)
    period = models.CharField(max_length=10)
    deadline = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    # The profile the administrator chose for the period's reports (empty: the one chosen by date).
    profile = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="one_opening_per_unit_period")]
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.unit} {self.period} (hạn {self.deadline:%d/%m/%Y})"


class Revision(models.Model):
    EDIT, IMPORT, EMPTY, PREVIOUS = "edit", "import", "empty", "previous"
    UPLOAD, RESTORE, WORD, ROLLUP, COLLECT = "upload", "restore", "word", "rollup", "collect"
    ORIGINS = [
        (EDIT, "Sửa trong trình duyệt"),
        (IMPORT, "Nhập từ tệp dữ liệu"),
        (EMPTY, "Bắt đầu trống theo đề cương"),
        (PREVIOUS, "Chép từ kỳ trước"),
        (UPLOAD, "Tải lên bảng tính"),
        (WORD, "Nhập từ báo cáo Word"),
        (RESTORE, "Khôi phục phiên bản cũ"),
        (ROLLUP, "Tổng hợp từ báo cáo các đơn vị trực thuộc đã nộp"),
        (COLLECT, "Nhập từ bảng thu thập số liệu của cấp trên"),
    ]

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    parent = models.PositiveIntegerField(null=True, blank=True)
    data = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin = models.CharField(max_length=10, choices=ORIGINS, default=EDIT)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_revision_per_number")]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"


class Draft(models.Model):
    """The form as a clerk's browser last saved it on its own, over revision ``base``."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    base = models.PositiveIntegerField()
    data = models.JSONField()
    saved_at = models.DateTimeField(default=timezone.now)
    # Kept because a save met a newer revision: her text, waiting for her to decide.
    conflict = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="one_draft_per_login")]


class LoginFailure(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=45, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)


class Event(models.Model):
    LOGIN, LOGOUT, LOGIN_FAILED, SAVE, START, SUBMIT, RESTORE, DOWNLOAD, IMPORT, ACCOUNT = (
        "login",
        "logout",
        "login-failed",
        "save",
        "start",
        "submit",
        "restore",
        "download",
        "import",
        "account",
    )
    RETURN, PERIOD, ROLLUP, COLLECT = "return", "period", "rollup", "collect"
    TEMPLATE, REGISTRY, DENIED = "template", "registry", "denied"
    ACTIONS = {
        LOGIN: "Đăng nhập",
        LOGOUT: "Đăng xuất",
        LOGIN_FAILED: "Đăng nhập sai",
        SAVE: "Lưu",
        START: "Bắt đầu báo cáo",
        SUBMIT: "Nộp / mở lại",
        RESTORE: "Khôi phục phiên bản",
        DOWNLOAD: "Tải về",
        IMPORT: "Nhập từ tệp",
        ACCOUNT: "Tài khoản",
        RETURN: "Trả lại để sửa",
        PERIOD: "Mở kỳ báo cáo",
        ROLLUP: "Tổng hợp báo cáo",
        COLLECT: "Nhập bảng thu thập số liệu",
        TEMPLATE: "Bộ mẫu",
        REGISTRY: "Danh mục đơn vị",
        DENIED: "Bị từ chối (không có quyền)",
    }
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    unit = models.CharField(max_length=40, blank=True)
    period = models.CharField(max_length=10, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    @property
    def action_label(self) -> str:
        return self.ACTIONS.get(self.action, self.action)


class Job(models.Model):
    """The .docx files of the reports ``units`` submitted for ``period``, made by the batch engine in a
    thread of the server and packed into one zip (``file``, in the state folder)."""

    RUNNING, DONE, FAILED = "running", "done", "failed"
    STATES = [(RUNNING, "Đang tạo"), (DONE, "Xong"), (FAILED, "Không tạo được")]

    unit = models.CharField(max_length=40)
    period = models.CharField(max_length=10)
    units = models.JSONField()
    state = models.CharField(max_length=10, choices=STATES, default=RUNNING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=1000, blank=True)
    file = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
