"""Names of a module imported the first time they are used (PEP 562), so that a command pays only for the
libraries it uses: ``cchc --help`` does not load Word, Excel or the data model."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(namespace: dict[str, Any], modules: Mapping[str, str]) -> Callable[[str], Any]:
    """The module ``__getattr__`` of the module whose globals are ``namespace``: a name of ``modules``
    (name → module it comes from) is imported when first asked for, then kept in ``namespace``."""

    def __getattr__(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
