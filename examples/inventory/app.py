"""Inventory: a small WSGI provider of our own, described by openapi.json next to this file.

Two variants share the code. `app` is correct: every error body is an RFC 7807 problem and every
item carries the `sku` its consumer relies on. `broken_app` has two planted defects that no
schema-only check sees, because the description allows both:

- `GET /items/{item_id}` for an unknown id answers 404 with `{"error": "..."}`, not a problem body
  (the description documents the 404 without a body, so only the error-format check catches it);
- items with an odd id come without `sku`, which the description marks optional but the
  consumer's pact expects (only the consumer-compatibility check catches it).

Run it as a process: `python3 app.py --port 8000 [--variant broken]`; it serves `/health` and
`/openapi.json` besides the API. In process: `contracts fuzz --app examples.inventory.app:app`.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jsonschema

HERE = Path(__file__).resolve().parent
DESCRIPTION = json.loads((HERE / "openapi.json").read_text(encoding="utf-8"))
NEW_ITEM = jsonschema.Draft7Validator(
    {**DESCRIPTION["components"]["schemas"]["NewItem"], "definitions": DESCRIPTION["components"]["schemas"]}
)
_DIGITS = re.compile(r"^[0-9]{1,9}$")
_TAG = re.compile(r"^[a-z]{1,20}$")
_ITEM_PATH = re.compile(r"^/items/([^/]*)$")
# Bounded so a long fuzz run cannot grow the store without limit.
MAX_CREATED = 500
StartResponse = Callable[..., Any]


class Inventory:
    """The item store: twenty seeded items plus what clients create, behind a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: dict[int, dict[str, Any]] = {}
        for number in range(1, 21):
            tags = ["tools"] if number % 2 else ["garden", "tools"]
            self.items[number] = {"id": number, "name": f"item {number}", "quantity": number * 3,
                                  "sku": f"INV-{number:04d}", "tags": tags}
        self.next_id = 21

    def create(self, data: dict[str, Any]) -> dict[str, Any]:
        """Store a new item and return it with its id."""
        with self.lock:
            item = {"id": self.next_id, "tags": [], "sku": f"NEW-{self.next_id:04d}", **data}
            item["id"] = self.next_id
            self.items[self.next_id] = item
            self.next_id += 1
            created = [key for key in self.items if key > 20]
            if len(created) > MAX_CREATED:
                del self.items[created[0]]
            return item


def problem(status: int, title: str, detail: str) -> tuple[int, str, Any]:
    """An RFC 7807 problem response."""
    return status, "application/problem+json", {"type": "about:blank", "title": title, "status": status, "detail": detail}


def make_app(variant: str = "correct") -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """A WSGI application; variant is `correct` or `broken` (see the module docstring)."""
    if variant not in ("correct", "broken"):
        raise SystemExit(f"unknown variant {variant!r} (expected correct or broken)")
    inventory = Inventory()
    broken = variant == "broken"

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            status, content_type, body = route(environ, inventory, broken)
        except Exception as exc:  # noqa: BLE001 - a provider answers every request with a problem body
            status, content_type, body = problem(500, "Internal Server Error", type(exc).__name__)
        payload = json.dumps(body).encode()
        start_response(f"{status} {_REASONS.get(status, 'Status')}",
                       [("Content-Type", content_type), ("Content-Length", str(len(payload)))])
        return [payload]

    return application


_REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
            415: "Unsupported Media Type", 422: "Unprocessable Entity", 500: "Internal Server Error"}


def route(environ: dict[str, Any], inventory: Inventory, broken: bool) -> tuple[int, str, Any]:
    """Dispatch one request to its handler."""
    method = environ["REQUEST_METHOD"]
    path = environ.get("PATH_INFO", "/")
    if path == "/health" and method == "GET":
        return 200, "application/json", {"status": "ok"}
    if path == "/openapi.json" and method == "GET":
        return 200, "application/json", DESCRIPTION
    if path == "/items":
        if method == "GET":
            return list_items(environ, inventory, broken)
        if method == "POST":
            return create_item(environ, inventory, broken)
        return problem(405, "Method Not Allowed", f"{method} is not allowed on {path}")
    match = _ITEM_PATH.match(path)
    if match:
        if method != "GET":
            return problem(405, "Method Not Allowed", f"{method} is not allowed on {path}")
        return get_item(match.group(1), inventory, broken)
    return problem(404, "Not Found", f"no route for {path}")


def present(item: dict[str, Any], broken: bool) -> dict[str, Any]:
    """An item as the API shows it; the broken variant drops `sku` from odd ids."""
    if broken and item["id"] % 2:
        return {key: value for key, value in item.items() if key != "sku"}
    return dict(item)


def list_items(environ: dict[str, Any], inventory: Inventory, broken: bool) -> tuple[int, str, Any]:
    """GET /items?limit=&tag="""
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if any(len(values) > 1 for values in query.values()):
        return problem(400, "Bad Request", "a query parameter is repeated")
    limit_text = query.get("limit", ["20"])[0]
    if not _DIGITS.match(limit_text) or not 1 <= int(limit_text) <= 100:
        return problem(400, "Bad Request", "limit must be an integer from 1 to 100")
    tag = query.get("tag", [None])[0]
    if tag is not None and not _TAG.match(tag):
        return problem(400, "Bad Request", "tag must be 1 to 20 lowercase letters")
    with inventory.lock:
        items = [item for item in inventory.items.values() if tag is None or tag in item["tags"]]
    page = [present(item, broken) for item in items[: int(limit_text)]]
    return 200, "application/json", {"items": page, "total": len(items)}


def get_item(text: str, inventory: Inventory, broken: bool) -> tuple[int, str, Any]:
    """GET /items/{item_id}"""
    if not _DIGITS.match(text) or int(text) < 1:
        return problem(400, "Bad Request", "item_id must be a positive integer")
    with inventory.lock:
        item = inventory.items.get(int(text))
    if item is None:
        if broken:
            # The planted defect: an error body in a shape of its own.
            return 404, "application/json", {"error": f"item {text} not found"}
        return problem(404, "Not Found", f"no item with id {text}")
    return 200, "application/json", present(item, broken)


def create_item(environ: dict[str, Any], inventory: Inventory, broken: bool) -> tuple[int, str, Any]:
    """POST /items with a JSON body."""
    content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return problem(415, "Unsupported Media Type", "send application/json")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        data = json.loads(environ["wsgi.input"].read(length) or b"null")
    except (ValueError, UnicodeDecodeError):
        return problem(400, "Bad Request", "the body is not JSON")
    errors = sorted(NEW_ITEM.iter_errors(data), key=lambda error: list(error.path))
    if errors:
        return problem(422, "Unprocessable Entity", errors[0].message[:200])
    return 201, "application/json", present(inventory.create(data), broken)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        pass


app = make_app("correct")
broken_app = make_app("broken")


def main() -> None:
    """Serve one variant on 127.0.0.1 until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--variant", choices=("correct", "broken"), default="correct")
    arguments = parser.parse_args()
    server = make_server("127.0.0.1", arguments.port, make_app(arguments.variant),
                         server_class=_ThreadingServer, handler_class=_QuietHandler)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
