"""Count the database queries of the province dashboard, in a process of its own (Django is set up once
per process): ``python -m tests.dashboard_queries <data folder> <parent>...``.

The data folder is one :func:`tests.province_data.make_province` wrote. Its store is opened, the reports of
each parent's communes are put in turn in every state the dashboard shows (submitted, sent back, being
drafted, never started), and each parent's officer opens the dashboard (once before, so that her session
is made). Prints one JSON object: for each parent, the queries of that request and the rows it showed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.province_data import PERIOD, open_province, set_states

STATES = ("submitted", "returned", "draft", "missing")


def main(data: Path, parents: list[str]) -> dict[str, dict[str, int]]:
    open_province(data)
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cchc_gen import api

    counted = {}
    for parent in parents:
        below = [code for code, unit in api.units(data).items() if unit.parent == parent]
        for index, state in enumerate(STATES):
            if state != "draft":
                set_states(PERIOD, below[index :: len(STATES)], state)
        client = Client()
        client.force_login(User.objects.get(username=f"noi-vu-{parent}"))
        page = f"/tong-quan/{PERIOD}/"
        assert client.get(page).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            reply = client.get(page)
        assert reply.status_code == 200
        counted[parent] = {"queries": len(queries), "rows": reply.content.decode().count("<tr data-unit=")}
    return counted


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2:])))
