"""Errors for bad input or usage. Contract violations are Findings, never exceptions."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

KeyPath = tuple[str | int, ...]


def format_key_path(path: Sequence[str | int]) -> str:
    """Render a key path as `providers.grafana.operations[2].method`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class ContractKitError(Exception):
    """Bad input or usage: names the file, the key path and, where known, the line."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        key_path: Sequence[str | int] = (),
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.key_path: KeyPath = tuple(key_path)
        self.line = line
        self.hint = hint
        super().__init__(self.describe())

    def describe(self) -> str:
        """One paragraph: `file:line: key.path: message (hint)`."""
        where = []
        if self.file:
            where.append(self.file if self.line is None else f"{self.file}:{self.line}")
        if self.key_path:
            where.append(format_key_path(self.key_path))
        head = ": ".join(where)
        text = f"{head}: {self.message}" if head else self.message
        if self.hint:
            text += f". {self.hint}"
        return text


class RegistryError(ContractKitError):
    """registry.yaml is missing, malformed, or points at something that is not there."""


class SchemaLoadError(ContractKitError):
    """A JSON Schema, OpenAPI or Swagger document cannot be read or does not resolve."""


class ContractFileError(ContractKitError):
    """A contracts/<provider>.yaml file is malformed."""


class CassetteError(ContractKitError):
    """A cassette cannot be read or written."""


class PactFileError(ContractKitError):
    """A pact file cannot be read."""


class UsageError(ContractKitError):
    """A wrong flag, an unknown provider or operation, a combination that makes no sense."""


class WriteError(ContractKitError):
    """A file cannot be written: a full disk, a file-size limit, a folder in the way, a path leading outside the
    project. The old file, if there was one, is as it was."""
