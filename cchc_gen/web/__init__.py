"""The web workspace (``cchc serve``): Django served by waitress, a thin layer over the library.

Why these (the reasons are also in the README, for maintainers): Django is well kept and brings what a
government web application must get right, tested by many: password hashing (Argon2 through argon2-cffi),
CSRF protection, signed session cookies, migrations, SQLite and PostgreSQL. waitress is a pure-Python WSGI
server that runs as well on the Windows PCs communes have as on a province's Linux server.

- :mod:`.config` configures Django from code for a data folder (no project folder, no settings module);
- :mod:`.models` the store: accounts' roles, reports and their revisions, autosaved drafts, login
  failures, the log of actions;
- :mod:`.store` what a page action does to the store (one transaction each), over the library's calls;
- :mod:`.access` who may read and change which unit's reports, and login throttling;
- :mod:`.views` and :mod:`.urls` the pages; ``templates/`` and ``static/`` what they look like;
- :mod:`.server` starts it all for ``cchc serve``.
"""
