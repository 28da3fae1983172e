"""Who may read and change which unit's reports, and the lock against password guessing.

- A clerk reads and changes her unit's reports only.
- An officer reads the reports of her unit and of every unit below it in the registry (``parent``); she
  changes her own unit's reports.
- An administrator reads and changes every report.

Logins are throttled in the database: after ``MAX_FAILURES_BY_NAME`` failed logins for one name, or
``MAX_FAILURES_BY_ADDRESS`` from one address, within ``WINDOW``, that name (or address) is locked until
``WINDOW`` has passed since the last failure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from cchc_gen.api import Unit
from cchc_gen.web.models import LoginFailure, Role

MAX_FAILURES_BY_NAME = 5
MAX_FAILURES_BY_ADDRESS = 30
WINDOW = dt.timedelta(minutes=15)


def role_of(user: AbstractBaseUser | AnonymousUser) -> Role | None:
    if not user.is_authenticated:
        return None
    try:
        return user.cchc_role
    except Role.DoesNotExist:
        return None


def _descendants(code: str, units: dict[str, Unit]) -> set[str]:
    found = {code}
    growing = True
    while growing:
        more = {c for c, unit in units.items() if unit.parent in found and c not in found}
        found |= more
        growing = bool(more)
    return found


def readable_units(user: Any, units: dict[str, Unit]) -> list[str]:
    """The codes of the units whose reports ``user`` may read, in registry order."""
    role = role_of(user)
    if role is None:
        return []
    if role.kind == Role.ADMIN:
        return list(units)
    if role.kind == Role.OFFICER:
        below = _descendants(role.unit, units)
        return [code for code in units if code in below]
    return [role.unit] if role.unit in units else []


def writable_units(user: Any, units: dict[str, Unit]) -> list[str]:
    """The codes of the units whose reports ``user`` may change."""
    role = role_of(user)
    if role is None:
        return []
    if role.kind == Role.ADMIN:
        return list(units)
    return [role.unit] if role.unit in units else []


def require(user: Any, unit: str, units: dict[str, Unit], *, change: bool) -> None:
    """Refuse (HTTP 403) a user who may not read, or change, ``unit``'s reports."""
    allowed = writable_units(user, units) if change else readable_units(user, units)
    if unit not in allowed:
        raise PermissionDenied(
            "Tài khoản của bạn không được sửa báo cáo của đơn vị này."
            if change and unit in readable_units(user, units)
            else "Tài khoản của bạn không được xem báo cáo của đơn vị này."
        )


def client_address(request: HttpRequest) -> str:
    """The address the request came from (waitress puts the proxy's X-Forwarded-For there when it is
    told to trust the proxy)."""
    return str(request.META.get("REMOTE_ADDR") or "?")[:45]


def minutes_locked(username: str, address: str) -> int:
    """How many minutes logins for ``username`` (or from ``address``) stay locked; 0 when they are not."""
    since = timezone.now() - WINDOW
    recent = LoginFailure.objects.filter(at__gte=since)
    for failures, limit in (
        (recent.filter(username=username.casefold()), MAX_FAILURES_BY_NAME),
        (recent.filter(address=address), MAX_FAILURES_BY_ADDRESS),
    ):
        if failures.count() >= limit:
            last = failures.order_by("-at").values_list("at", flat=True).first()
            assert last is not None
            remaining = last + WINDOW - timezone.now()
            return max(1, -(-int(remaining.total_seconds()) // 60))
    return 0


def record_failure(username: str, address: str) -> None:
    LoginFailure.objects.create(username=username.casefold()[:150], address=address)


def forget_failures(username: str) -> None:
    """After a successful login, the name's count starts again (the address's is kept)."""
    LoginFailure.objects.filter(username=username.casefold()).delete()


def role_context(request: HttpRequest) -> dict[str, Any]:
    """The login's role, for every page's header."""
    return {"role": role_of(request.user)} if hasattr(request, "user") else {}
