"""A small OpenAPI description for the adoption tests, for where ../shared/specs is absent."""

from __future__ import annotations

from typing import Any

SMALL_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Widgets", "version": "1"},
    "servers": [{"url": "https://widgets.example.com/api"}],
    "components": {
        "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Widget": {
                "type": "object",
                "required": ["id", "name", "tags"],
                "properties": {
                    "id": {"type": "string", "pattern": "^wd_[a-z0-9]{4}$"},
                    "name": {"type": "string"},
                    "color": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                },
            },
            "Owner": {"type": "object", "required": ["login"], "properties": {"login": {"type": "string"}}},
        },
    },
    "paths": {
        "/widgets": {
            "get": {
                "operationId": "listWidgets",
                "responses": {
                    "200": {
                        "description": "",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["items", "total"],
                                    "properties": {
                                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Widget"}},
                                        "total": {"type": "integer"},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
        "/widgets/{widget_id}": {
            "get": {
                "operationId": "getWidget",
                "parameters": [
                    {
                        "name": "widget_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^wd_[a-z0-9]{4}$"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}},
                    }
                },
            }
        },
    },
}
