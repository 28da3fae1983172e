"""``cchc template fields``: every field a profile's template and text fields use, and where."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from cchc_gen.errors import CchcError
from cchc_gen.maintain.reading import Use, read_parts, read_template, text_fields
from cchc_gen.model.profile import PROFILE_FILE, TEMPLATE_FILE, ProfileSpec, profile_folder
from cchc_gen.render.docx import make_environment
from cchc_gen.source.yaml_file import load_yaml


@dataclass(frozen=True)
class FieldUse:
    """A field a template uses (``unit.name``; ``body[].text`` for a field of each item of a list)
    and every place that uses it."""

    path: str
    places: list[str]


def _grouped(uses: list[Use]) -> list[FieldUse]:
    places: dict[str, list[str]] = {}
    for use in uses:
        found = places.setdefault(use.path, [])
        if use.tag.where not in found:
            found.append(use.tag.where)
    return [FieldUse(path, where) for path, where in places.items()]


def template_fields(name: str) -> list[FieldUse]:
    """Every field the profile ``name`` uses, in order of first use: those of its Word template, then
    those of its profile.yaml text fields, each with the places that use it."""
    folder = profile_folder(name)
    env = make_environment()
    sources = read_template(folder / TEMPLATE_FILE)
    uses = read_parts(sources, env).uses
    try:
        document = load_yaml(folder / PROFILE_FILE)
        spec = ProfileSpec.model_validate(document.data)
    except (CchcError, ValidationError):
        return _grouped(uses)
    return _grouped(uses + read_parts(text_fields(document, spec, folder / PROFILE_FILE), env).uses)
