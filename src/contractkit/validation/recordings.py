"""Recordings a team already has (vcrpy cassettes, HAR files) validated against an OpenAPI description.

`validate_recordings(spec, files)` loads the description once, matches each recorded request to its
operation (path templates, literal segments first, with the servers' base paths), validates each response
with the compiled validators of validation.py and returns a Report with one row per recorded interaction,
naming the file and the interaction's 0-based index. A request that matches no operation is a failed
row with that reason, never a crash.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from contractkit.cassettes import RecordedInteraction, RecordedRequest, RecordedResponse, load_cassette
from contractkit.core.errors import CassetteError, UsageError
from contractkit.core.model import CheckResult, Finding, Report, Severity, Status
from contractkit.openapi.documents import load_spec_document
from contractkit.validation.responses import NO_OPERATION, SpecValidator

CHECK = "response-schema"


@dataclass(frozen=True, slots=True)
class Recording:
    """The interactions of one recording file, in file order."""

    path: Path
    kind: str  # vcr | har
    interactions: tuple[RecordedInteraction, ...]


def load_recording(path: str | Path) -> Recording:
    """Read a HAR file or a vcrpy cassette (YAML or JSON); raises CassetteError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise CassetteError("recording not found" if not path.exists() else "is not a file", file=path)
    if path.suffix.lower() == ".har" or (path.suffix.lower() == ".json" and _looks_like_har(path)):
        return Recording(path, "har", tuple(_har_interactions(path)))
    return Recording(path, "vcr", load_cassette(path).interactions)


def _looks_like_har(path: Path) -> bool:
    with path.open("rb") as stream:
        head = stream.read(256).lstrip()
    return head.startswith(b"{") and b'"log"' in head


def _har_interactions(path: Path) -> Iterator[RecordedInteraction]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["log"]["entries"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CassetteError(f"not a HAR file ({exc.__class__.__name__}: {exc})", file=path,
                            hint="a HAR file is JSON with log.entries") from exc
    for index, entry in enumerate(entries):
        try:
            yield _har_entry(entry)
        except (KeyError, TypeError, ValueError) as exc:
            raise CassetteError(f"malformed HAR entry ({exc})", file=path, key_path=("log", "entries", index)) from exc


def _har_entry(entry: dict[str, Any]) -> RecordedInteraction:
    request, response = entry["request"], entry["response"]
    content = response.get("content") or {}
    body: str | bytes | None = content.get("text")
    if body is not None and content.get("encoding") == "base64":
        body = base64.b64decode(body)
    request_body = (request.get("postData") or {}).get("text")
    return RecordedInteraction(
        request=RecordedRequest(method=str(request["method"]).upper(), uri=str(request["url"]),
                                headers=_har_headers(request.get("headers")), body=request_body),
        response=RecordedResponse(status=int(response["status"]), headers=_har_headers(response.get("headers"),
                                  content.get("mimeType")), body=body, reason=str(response.get("statusText", ""))),
    )


def _har_headers(items: Any, mime_type: str | None = None) -> dict[str, tuple[str, ...]]:
    headers: dict[str, tuple[str, ...]] = {}
    for item in items or ():
        headers[item["name"]] = headers.get(item["name"], ()) + (str(item["value"]),)
    if mime_type and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = (mime_type,)
    return headers


def validate_recordings(spec: str | Path | SpecValidator, files: Sequence[str | Path], *,
                        base_paths: Iterable[str] = (), title: str = "") -> Report:
    """Validate every recorded response in `files` against one OpenAPI description (loaded once)."""
    started = time.perf_counter()
    if not files:
        raise UsageError("no recordings given", hint="pass one or more vcrpy cassettes or HAR files")
    validator = spec if isinstance(spec, SpecValidator) else load_validator(spec, base_paths=base_paths)
    recordings = [load_recording(path) for path in files]
    name = _api_name(validator)
    results = [result for recording in recordings for result in iter_recording_results(validator, recording, name)]
    return Report(title or f"validate {len(results)} recorded responses against {name}", tuple(results),
                  time.perf_counter() - started)


def load_validator(spec: str | Path, *, base_paths: Iterable[str] = ()) -> SpecValidator:
    """Load an OpenAPI or Swagger description once and wrap it in a SpecValidator."""
    document = load_spec_document(Path(spec))
    return SpecValidator(document, source=str(spec), base_paths=base_paths)


def _api_name(validator: SpecValidator) -> str:
    info = validator.document.get("info") or {}
    return str(info.get("title") or Path(validator.source).name or "the description")


def iter_recording_results(validator: SpecValidator, recording: Recording, provider: str = "") -> Iterator[CheckResult]:
    """One CheckResult per interaction of a recording, in file order."""
    file, name = str(recording.path), recording.path.name
    for index, interaction in enumerate(recording.interactions):
        yield check_interaction(validator, interaction, file=file, index=index, provider=provider, name=name)


def check_interaction(validator: SpecValidator, interaction: RecordedInteraction, *, file: str = "", index: int = 0,
                      provider: str = "", name: str | None = None) -> CheckResult:
    """Validate one recorded response against the operation its request matches."""
    started = time.perf_counter()
    label = f"{name if name is not None else Path(file).name}#{index}"
    request, response = interaction.request, interaction.response
    details = {"file": file, "index": index, "method": request.method, "path": request.path,
               "response_status": response.status}
    match = validator.match(request.method, request.path)
    if match is None:
        finding = Finding(NO_OPERATION, Severity.ERROR,
                          f"{request.method} {request.path} matches no operation of the description", "request", provider)
        return CheckResult(CHECK, provider, f"{request.method} {request.path}", label,
                           Status.FAILED, finding.message, time.perf_counter() - started, (finding,), details)
    findings = validator.validate(match.method, match.template, response.status, response.headers, response.body,
                                  provider=provider, operation_name=match.label)
    errors = [finding for finding in findings if finding.severity is Severity.ERROR]
    status = Status.FAILED if errors else Status.PASSED
    message = _summary(errors) if errors else ""
    return CheckResult(CHECK, provider, match.label, label, status, message,
                       time.perf_counter() - started, tuple(findings), {**details, "template": match.template})


def _summary(findings: list[Finding]) -> str:
    first = findings[0]
    where = f" at {first.location}" if first.location and first.location.startswith("$") else ""
    more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
    return f"{first.message}{where}{more}"


__all__ = ["Recording", "load_recording", "validate_recordings", "load_validator", "iter_recording_results",
           "check_interaction"]
