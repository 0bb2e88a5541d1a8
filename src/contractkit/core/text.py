"""Text: values shown in messages (short, one line, never a whole document), and `${VAR}` placeholders filled in
from the environment."""

from __future__ import annotations

import json
import re
from typing import Any, Mapping

from contractkit.core.errors import RegistryError

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def shorten(value: Any, width: int = 60) -> str:
    """A value as compact JSON, cut to `width` characters ("an object" for mappings)."""
    if isinstance(value, dict):
        return "an object"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 3] + "..."


def interpolate(
    text: str, environ: Mapping[str, str], *, file: str, key_path: tuple[str | int, ...], line: int | None
) -> str:
    """Replace `${VAR}` and `${VAR:-default}` with values from the environment."""

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        value = environ.get(name)
        if value:
            return value
        if default is not None:
            return default
        raise RegistryError(
            f"environment variable {name} is not set and has no default (write ${{{name}:-value}})",
            file=file,
            key_path=key_path,
            line=line,
        )

    return _VARIABLE.sub(substitute, text)


__all__ = ["interpolate", "shorten"]
