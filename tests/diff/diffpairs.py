"""Helpers for the diff correctness suite: build OpenAPI documents around schema and operation pairs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from contractkit.diff import DiffOptions, DiffResult, diff_any

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
        operation = {
            "post": {"requestBody": {"required": True, "content": media}, "responses": {"204": {"description": "ok"}}}
        }
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
        return (
            body_document(old_version, case["old"], old_schemas, side or kind),
            body_document(new_version, case["new"], new_schemas, side or kind),
        )
    if kind == "operation":
        method = case.get("method", "get")
        new_path = case.get("path", "/items/{id}")
        old_path = case.get("old_path", new_path if "path" not in case else "/items/{id}")
        return (
            document(old_version, {old_path: {method: case["old"]}}, old_schemas),
            document(new_version, {new_path: {method: case["new"]}}, new_schemas),
        )
    return case["old"], case["new"]


# `kind: everywhere` puts one schema edit in each of six places; `request`/`response` list the expected
# breaking or warning rule suffixes for the three places on that side.
PLACEMENTS = {  # placement -> (side for rule naming, direction, rel of the edit below the placed schema)
    "request-body": ("request", "request", ()),
    "request-property": ("request", "request", ("properties", "x")),
    "request-parameter": ("request-parameter", "request", ()),
    "response-body": ("response", "response", ()),
    "response-property": ("response", "response", ("properties", "x")),
    "response-header": ("response-header", "response", ()),
}


def placed_document(version: str, schema: Any, schemas: dict[str, Any] | None, placement: str) -> dict[str, Any]:
    """The schema placed as a request body, a request body property, a query parameter, a response body, a
    response body property or a response header."""
    if placement.endswith("property"):
        schema = {"type": "object", "properties": {"x": schema}}
    if placement == "request-parameter":
        operation = {
            "get": {
                "parameters": [{"name": "x", "in": "query", "schema": schema}],
                "responses": {"204": {"description": "ok"}},
            }
        }
        return document(version, {"/items": operation}, schemas)
    if placement == "response-header":
        response = {"description": "ok", "headers": {"X-Thing": {"schema": schema}}}
        return document(version, {"/items": {"get": {"responses": {"200": response}}}}, schemas)
    return body_document(version, schema, schemas, "request" if placement.startswith("request") else "response")


def everywhere_documents(case: dict[str, Any], placement: str) -> tuple[Any, Any]:
    """The old and new documents of an `everywhere` case at one placement."""
    new_version = str(case.get("openapi", "3.0.3"))
    shared = case.get("components")
    return (
        placed_document(
            str(case.get("old_openapi", new_version)), case["old"], case.get("old_components", shared), placement
        ),
        placed_document(new_version, case["new"], case.get("new_components", shared), placement),
    )


def iter_sides(case: dict[str, Any]) -> Iterator[str | None]:
    """Where a case is diffed: both sides of a `both` pair, the six placements of an `everywhere` one, else once."""
    if case["kind"] == "both":
        yield from ("request", "response")
    elif case["kind"] == "everywhere":
        yield from PLACEMENTS
    else:
        yield None


def case_options(case: dict[str, Any]) -> DiffOptions:
    """The options a case asks for: configured levels, the day sunsets are judged on (2026-01-01), leniency."""
    today = case.get("today")
    return DiffOptions(
        levels=case.get("levels", {}),
        today=dt.date.fromisoformat(str(today)) if today else dt.date(2026, 1, 1),
        lenient=bool(case.get("lenient")),
    )


def case_documents(case: dict[str, Any], side: str | None) -> tuple[Any, Any]:
    """The old and new documents of a case on one side (placement)."""
    if case["kind"] == "everywhere":
        assert side is not None
        return everywhere_documents(case, side)
    return documents_for(case, side)


def case_direction(case: dict[str, Any], side: str | None) -> str:
    """The direction a plain JSON Schema pair is read in."""
    return PLACEMENTS[side][1] if case["kind"] == "everywhere" and side else case.get("direction", "response")


def diff_case(case: dict[str, Any], side: str | None) -> DiffResult:
    """Diff one case on one side, as the correctness suite does."""
    old, new = case_documents(case, side)
    return diff_any(
        old, new, old_name="old", new_name="new", direction=case_direction(case, side), options=case_options(case)
    )
