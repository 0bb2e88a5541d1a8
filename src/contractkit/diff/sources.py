"""Reading the two sides of a diff: a file or `git:REF:path`, JSON or YAML, OpenAPI, Swagger or JSON Schema."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

from contractkit.core.errors import SchemaLoadError, UsageError
from contractkit.core.loading import YamlLoader, check_nesting, parse_json, read_text
from contractkit.openapi import normalize_document, refuse_external_refs

__all__ = ["is_api_description", "load_description", "parse_description", "parse_source_argument", "read_git_file"]


def parse_source_argument(argument: str) -> tuple[str | None, str]:
    """Split `git:REF:path` into (REF, path); a plain file path gives (None, path)."""
    if not argument.startswith("git:"):
        return None, argument
    rest = argument[4:]
    ref, sep, path = rest.rpartition(":")
    if not sep or not ref or not path:
        raise UsageError(f"cannot parse {argument!r}: expected git:REF:path, for example git:origin/main:openapi.yaml")
    return ref, path


def read_git_file(ref: str, path: str, *, cwd: Path | None = None) -> str | None:
    """The text of `path` at git revision `ref` (path relative to cwd), or None when the file is absent there."""
    cwd = cwd or Path.cwd()
    check = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    if check.returncode != 0:
        detail = check.stderr.strip() or "no such commit, branch or tag"
        raise UsageError(
            f"git ref {ref!r} cannot be resolved in {cwd} ({detail})",
            hint="Fetch it first (git fetch origin) or name an existing branch, tag or commit",
        )
    spec = path if path.startswith("/") else f"./{path}" if not path.startswith("./") else path
    shown = _git(["show", f"{ref}:{spec}"], cwd)
    if shown.returncode != 0:
        return None
    return shown.stdout


def _git(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", "-C", str(cwd), *arguments], capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise UsageError("git is not installed, so git:REF:path sources cannot be read") from exc


def load_description(argument: str, *, cwd: Path | None = None) -> tuple[Any, str]:
    """Load a file or `git:REF:path` into (document, display name); OpenAPI/Swagger come back as OpenAPI 3."""
    ref, path = parse_source_argument(argument)
    if ref is None:
        file = Path(path)
        if file.is_dir():
            raise SchemaLoadError("is a folder, expected an OpenAPI, Swagger or JSON Schema file", file=path)
        text = read_text(file, SchemaLoadError, display=str(path))
    else:
        found = read_git_file(ref, path, cwd=cwd)
        if found is None:
            raise SchemaLoadError(f"no such file at git ref {ref!r}", file=path)
        text = found
    return parse_description(text, argument), argument


def parse_description(text: str, display: str) -> Any:
    """Parse JSON or YAML text; bring OpenAPI and Swagger to OpenAPI 3, keep JSON Schema as it is."""
    if text.lstrip().startswith(("{", "[")):
        data = parse_json(text, SchemaLoadError, display=display)  # the nesting guard is the parser's
    else:
        check_nesting(text, SchemaLoadError, display=display)  # a git ref's text is not read through read_text
        data = _parse_yaml(text, display)
    if not isinstance(data, dict):
        raise SchemaLoadError(
            "expected an OpenAPI, Swagger or JSON Schema document (a mapping at the top level)", file=display
        )
    document = normalize_document(data, display=display) if is_api_description(data) else data
    refuse_external_refs(document, display=display)  # a diff reads these two files, nothing else
    return document


def _parse_yaml(text: str, display: str) -> Any:
    try:
        return yaml.load(text, Loader=YamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise SchemaLoadError(f"invalid YAML: {problem}", file=display, line=mark.line + 1 if mark else None) from exc


def is_api_description(data: dict[str, Any]) -> bool:
    """True for OpenAPI or Swagger documents, False for plain JSON Schema."""
    return "openapi" in data or "swagger" in data
