"""devctl's S3 event handler: artifacts uploaded or removed, from S3 event notifications (through SQS or SNS)."""

from __future__ import annotations

from typing import Any, Mapping


def handle(event: Mapping[str, Any], metadata: Mapping[str, Any]) -> list[tuple[str, str, str, int]]:
    """Each record -> (created | removed, bucket, key, size in bytes; 0 when the notification gives none).
    An EventBridge event (`detail-type: Object Created`) is one upload."""
    if "detail" in event:
        return _eventbridge(event)
    changes = []
    for record in event["Records"]:
        name = record["eventName"]
        kind = (
            "created" if name.startswith("ObjectCreated:") else "removed" if name.startswith("ObjectRemoved:") else ""
        )
        if not kind:
            continue
        s3 = record["s3"]
        found = s3["object"]
        if found is None:  # S3's model allows a record without its object
            continue
        size = found["size"] if kind == "created" else None
        changes.append((kind, s3["bucket"]["name"], found["key"], int(size or 0)))
    return changes


def _eventbridge(event: Mapping[str, Any]) -> list[tuple[str, str, str, int]]:
    if event["detail-type"] != "Object Created":
        return []
    detail = event["detail"]
    return [("created", detail["bucket"]["name"], detail["object"]["key"], int(detail["object"]["size"] or 0))]
