"""Shared data for the verification tests: a small Grafana-like OpenAPI slice and a registry around it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SHARED_SPECS = Path(__file__).resolve().parents[2] / ".." / "shared" / "specs"


def grafana_like_spec() -> dict[str, Any]:
    """A slice in the shape of Grafana's search and dashboard operations."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "demo", "version": "1"},
        "servers": [{"url": "/api"}],
        "paths": {
            "/search": {
                "get": {
                    "operationId": "search",
                    "parameters": [
                        {"name": "query", "in": "query", "schema": {"type": "string"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int64"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "hits",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}}
                                }
                            },
                        },
                        "401": {"$ref": "#/components/responses/unauthorisedError"},
                    },
                }
            },
            "/dashboards/uid/{uid}": {
                "get": {
                    "operationId": "getDashboardByUID",
                    "parameters": [{"name": "uid", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "dashboard",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/DashboardFullWithMeta"}}
                            },
                        },
                        "404": {"$ref": "#/components/responses/notFoundError"},
                    },
                }
            },
            "/annotations": {
                "post": {
                    "operationId": "postAnnotation",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["text"],
                                    "properties": {
                                        "text": {"type": "string"},
                                        "tags": {"type": "array", "items": {"type": "string"}},
                                        "dashboardUID": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "created",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {"id": {"type": "integer"}, "message": {"type": "string"}},
                                    }
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Hit": {
                    "type": "object",
                    "required": ["uid", "title", "type"],
                    "properties": {
                        "id": {"type": "integer"},
                        "uid": {"type": "string"},
                        "title": {"type": "string"},
                        "type": {"type": "string", "enum": ["dash-db", "dash-folder"]},
                        "url": {"type": "string"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "folderUid": {"type": "string", "nullable": True},
                        "sortMeta": {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
                    },
                },
                "DashboardFullWithMeta": {
                    "type": "object",
                    "properties": {
                        "dashboard": {"type": "object", "additionalProperties": True},
                        "meta": {"$ref": "#/components/schemas/DashboardMeta"},
                    },
                },
                "DashboardMeta": {
                    "type": "object",
                    "properties": {
                        "slug": {"type": "string"},
                        "created": {"type": "string", "format": "date-time"},
                        "version": {"type": "integer"},
                    },
                },
                "ErrorResponseBody": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {"message": {"type": "string"}, "status": {"type": "string"}},
                },
            },
            "responses": {
                "unauthorisedError": {
                    "description": "unauthorised",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponseBody"}}},
                },
                "notFoundError": {
                    "description": "not found",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponseBody"}}},
                },
            },
        },
    }


HIT = {
    "id": 1,
    "uid": "abc",
    "title": "Ops",
    "type": "dash-db",
    "url": "/d/abc/ops",
    "tags": ["prod"],
    "folderUid": None,
}
DASHBOARD = {
    "dashboard": {"uid": "abc", "title": "Ops", "panels": []},
    "meta": {"slug": "ops", "created": "2026-11-01T10:00:00Z", "version": 3},
}


def write_registry(root: Path, spec: dict[str, Any] | None = None, *, extra_provider: str = "") -> Path:
    """A registry with one http provider `grafana` whose slice is `spec`; returns the registry path."""
    (root / "schemas" / "grafana").mkdir(parents=True, exist_ok=True)
    (root / "schemas" / "grafana" / "openapi.json").write_text(json.dumps(spec or grafana_like_spec()))
    text = f"""version: 1
consumer: devctl
providers:
  grafana:
    base_url: http://127.0.0.1:3000/api
    auth: {{scheme: bearer, env: GRAFANA_TOKEN}}
    spec: schemas/grafana/openapi.json
    cassettes: cassettes/grafana
{extra_provider}    operations:
      search_dashboards: {{method: GET, path: /search, safe: true}}
      get_dashboard: {{method: GET, path: "/dashboards/uid/{{uid}}", safe: true}}
      create_annotation: {{method: POST, path: /annotations, safe: false}}
"""
    path = root / "registry.yaml"
    path.write_text(text)
    return path


def cassette_document(
    *interactions: tuple[str, str, int, Any],
    content_type: str = "application/json",
    operation: str = "",
    source: str = "test",
) -> dict[str, Any]:
    """A vcrpy cassette (as data) from (method, uri, status, body) tuples."""
    items = []
    for method, uri, status, body in interactions:
        items.append(
            {
                "request": {"method": method, "uri": uri, "body": None, "headers": {}},
                "response": {
                    "status": {"code": status, "message": "OK"},
                    "headers": {"Content-Type": [content_type]},
                    "body": {"string": body if isinstance(body, str) else json.dumps(body)},
                },
            }
        )
    data: dict[str, Any] = {"interactions": items, "version": 1}
    if operation:
        data["metadata"] = {"provider": "grafana", "operation": operation, "source": source}
    return data


def write_cassette(
    folder: Path,
    operation: str,
    *interactions: tuple[str, str, int, Any],
    content_type: str = "application/json",
    source: str = "test",
) -> Path:
    """Write `<folder>/<operation>.json` as a vcrpy JSON cassette."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{operation}.json"
    path.write_text(
        json.dumps(cassette_document(*interactions, content_type=content_type, operation=operation, source=source))
    )
    return path
