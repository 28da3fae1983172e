"""The workspace as a Django application."""

from __future__ import annotations

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "cchc_gen.web"
    label = "cchc"
    verbose_name = "Báo cáo cải cách hành chính"
    default_auto_field = "django.db.models.BigAutoField"
