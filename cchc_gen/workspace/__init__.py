"""The clerk's workspace: a report edited field by field in a form, checked as it is, kept in files.

The web application (:mod:`cchc_gen.web`) is a thin layer over these modules, as the CLI is over the rest:

- :mod:`.form` — the form generated from the template profile, and the report's data read into it and back;
- :mod:`.drafts` — a report's data checked as it stands (a draft may be incomplete), each problem placed at
  the field it concerns; what changed between two versions;
- :mod:`.files` — the period files the CLI works on, written from and imported into the workspace.
"""
