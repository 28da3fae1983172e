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
- :class:`Event` — who did what and when (logins, saves, submissions, downloads).

Province features to come (issue 18) fit beside these: periods opened by an officer with a deadline
(a table of their own, referenced by period code), a report sent back (one more state of
:class:`Report` and an :class:`Event` with the note), background jobs.
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

    def __str__(self) -> str:
        return f"{self.user.username} ({self.get_kind_display()}, {self.unit or '—'})"


class Report(models.Model):
    DRAFT, SUBMITTED = "draft", "submitted"
    STATES = [(DRAFT, "Đang soạn"), (SUBMITTED, "Đã nộp")]

    unit = models.CharField(max_length=40)
    period = models.CharField(max_length=10)
    head = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=STATES, default=DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_revision = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="one_report_per_unit_period")]
        indexes = [models.Index(fields=["period", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"


class Revision(models.Model):
    EDIT, IMPORT, EMPTY, PREVIOUS = "edit", "import", "empty", "previous"
    UPLOAD, RESTORE, WORD = "upload", "restore", "word"
    ORIGINS = [
        (EDIT, "Sửa trong trình duyệt"),
        (IMPORT, "Nhập từ tệp dữ liệu"),
        (EMPTY, "Bắt đầu trống theo đề cương"),
        (PREVIOUS, "Chép từ kỳ trước"),
        (UPLOAD, "Tải lên bảng tính"),
        (WORD, "Nhập từ báo cáo Word"),
        (RESTORE, "Khôi phục phiên bản cũ"),
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
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    unit = models.CharField(max_length=40, blank=True)
    period = models.CharField(max_length=10, blank=True)
    detail = models.CharField(max_length=300, blank=True)
