"""Faces that import on use: a subpackage offers a name in its `__init__` whose module is imported when the name
is first read, so a command that never needs that module does not pay for importing it at start-up."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["import_on_use"]


def import_on_use(package: str, homes: Mapping[str, tuple[str, ...]]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: each name in `homes[module]` comes from `package.module` on first use.

    The value is then kept in the package's namespace, so the next read is a plain attribute lookup.
    """
    home = {name: module for module, names in homes.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name not in home:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
