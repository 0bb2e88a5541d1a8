"""Helpers for the diff correctness suite: build OpenAPI documents around schema and operation pairs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PAIRS = Path(__file__).resolve().parent / "pairs"
SHARED_SPECS = Path(__file__).resolve().parents[2] / ".." / "shared" / "specs"


def load_pairs() -> list[dict[str, Any]]:
    """Every pair of every file under pairs/, in file order."""
    cases = []
    for file in sorted(PAIRS.glob("*.yaml")):
        for case in yaml.safe_load(file.read_text(encoding="utf-8")):
            case["file"] = file.name
            cases.append(case)
    return cases


def document(version: str, paths: dict[str, Any], schemas: dict[str, Any] | None) -> dict[str, Any]:
    """A minimal OpenAPI document."""
    data: dict[str, Any] = {"openapi": version, "info": {"title": "pair", "version": "1"}, "paths": paths}
    if schemas:
        data["components"] = {"schemas": schemas}
    return data


def body_document(version: str, schema: Any, schemas: dict[str, Any] | None, side: str) -> dict[str, Any]:
    """The schema as a required JSON request body of POST /items, or as the 200 JSON response of GET /items."""
    media = {"application/json": {"schema": schema}}
    if side == "request":
        operation = {"post": {"requestBody": {"required": True, "content": media}, "responses": {"204": {"description": "ok"}}}}
    else:
        operation = {"get": {"responses": {"200": {"description": "ok", "content": media}}}}
    return document(version, {"/items": operation}, schemas)


def documents_for(case: dict[str, Any], side: str | None) -> tuple[Any, Any]:
    """The old and new documents a case describes, for one side when the case is a schema pair."""
    kind = case["kind"]
    new_version = str(case.get("openapi", "3.0.3"))
    old_version = str(case.get("old_openapi", new_version))
    shared = case.get("components")
    old_schemas = case.get("old_components", shared)
    new_schemas = case.get("new_components", shared)
    if kind in ("both", "request", "response"):
        return (body_document(old_version, case["old"], old_schemas, side or kind),
                body_document(new_version, case["new"], new_schemas, side or kind))
    if kind == "operation":
        method = case.get("method", "get")
        new_path = case.get("path", "/items/{id}")
        old_path = case.get("old_path", new_path if "path" not in case else "/items/{id}")
        return (document(old_version, {old_path: {method: case["old"]}}, old_schemas),
                document(new_version, {new_path: {method: case["new"]}}, new_schemas))
    return case["old"], case["new"]
