"""Recording events: the messages a provider sends, captured into event cassettes, scrubbed like every recording.

Three ways in:
- S3 event notifications from an AWS endpoint (a local moto server): a bucket notifies an SQS queue, an SNS topic
  (subscribed by a queue) and EventBridge (a rule on the default bus targets a queue), objects are written and
  deleted, and what the queues receive is recorded; the S3 record set (or the EventBridge event) is the body, the
  SQS message or SNS notification around it the envelope.
- A local webhook receiver on 127.0.0.1 (`contracts record --provider P --webhooks --port N`): each delivery is
  recorded under the registered message whose event its `X-<Vendor>-Event` header names.
- Files: JSON or YAML payloads (or `{body, metadata}` mappings) imported as they are.

A webhook delivery is scrubbed as the HTTP request it is (headers and JSON body through the secrets face), with
the signature headers vendors send always treated as secrets; an SNS envelope's signature likewise.
"""

from __future__ import annotations

import copy
import fnmatch
import json
import re
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence
from urllib.parse import parse_qs

from contractkit.cassettes import (
    EventCassette,
    RecordedEvent,
    RecordedInteraction,
    RecordedRequest,
    RecordedResponse,
    event_cassette_path,
    load_event_cassette,
    with_events,
    write_event_cassette,
)
from contractkit.core.auth import credentials
from contractkit.core.codes import Code
from contractkit.core.errors import CassetteError, SchemaLoadError, UsageError
from contractkit.core.loading import load_json_fast, load_source, parse_json_value
from contractkit.core.model import (
    CheckResult,
    Finding,
    MessageSpec,
    MessageTransport,
    Provider,
    Report,
    Severity,
    Status,
)
from contractkit.recording.aws import moto_server
from contractkit.recording.instances import resolve, schema_instance
from contractkit.secrets import ScrubRules, rules_for_provider, scrub_interaction

SIGNATURE_HEADERS = (
    "X-Hub-Signature",
    "X-Hub-Signature-256",
    "X-Gitea-Signature",
    "X-Gitlab-Token",
    "X-PagerDuty-Signature",
    "X-Slack-Signature",
    "X-Grafana-Signature",
    "X-Signature",
)
SIGNATURE_FIELDS = ("Signature", "SigningCertURL", "SigningCertUrl", "UnsubscribeURL", "UnsubscribeUrl")
KEEP_EVENTS = 20  # the newest events kept per message: enough variety, small diffs
_HOP_HEADERS = frozenset(("host", "content-length", "connection", "accept-encoding", "transfer-encoding"))
EventSink = Callable[[str, RecordedEvent], None]


def event_rules(provider: Provider, environ: Mapping[str, str] | None = None) -> ScrubRules:
    """The provider's scrub rules (with the values of the credentials its auth names, read from `environ`) plus
    every vendor's signature headers and an SNS envelope's signature fields."""
    secrets = credentials(provider, environ or {}, required=False)
    return rules_for_provider(provider, secrets).extended(headers=SIGNATURE_HEADERS, fields=SIGNATURE_FIELDS)


def scrub_event(event: RecordedEvent, rules: ScrubRules) -> RecordedEvent:
    """The event with secrets replaced by placeholders: metadata as request headers, body and envelope as JSON
    bodies of the delivery, through the one scrubber of the secrets face."""
    headers = {str(name): (_text(value),) for name, value in event.metadata.items()}
    delivery = RecordedInteraction(
        RecordedRequest(
            "POST",
            "http://127.0.0.1/events",
            {**headers, "Content-Type": ("application/json",)},
            json.dumps(event.body),
        ),
        RecordedResponse(200, {"Content-Type": ("application/json",)}, json.dumps(event.envelope or {})),
    )
    clean = scrub_interaction(delivery, rules)
    metadata = {name: clean.request.headers[name][0] for name in headers}
    body = parse_json_value(_as_text(clean.request.body))
    envelope = parse_json_value(_as_text(clean.response.body)) if event.envelope is not None else None
    return RecordedEvent(body, metadata, event.source, event.recorded_at, envelope, event.seeded, event.recording)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _as_text(body: str | bytes | None) -> str:
    return body.decode("utf-8") if isinstance(body, bytes) else (body or "null")


def now_text() -> str:
    """The current time as the cassettes write it (UTC, seconds)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- writing


def append_events(
    provider: Provider,
    spec: MessageSpec,
    events: Sequence[RecordedEvent],
    rules: ScrubRules,
    *,
    keep: int = KEEP_EVENTS,
    recording: str = "",
) -> Path:
    """Scrub events and append them to the message's event cassette (the newest `keep` kept), each marked with
    the recording run it arrived in; returns the cassette's path."""
    if provider.cassettes is None:
        raise UsageError(f"provider {provider.name!r} has no cassettes folder")
    path = event_cassette_path(provider.cassettes, spec.name)
    current = load_event_cassette(path) if path.exists() else EventCassette(path, provider.name, spec.name)
    clean = [scrub_event(replace(event, recording=event.recording or recording), rules) for event in events]
    return write_event_cassette(with_events(current, clean, keep=keep))


def _result(provider: Provider, message: str, status: Status, text: str, **details: Any) -> CheckResult:
    findings: tuple[Finding, ...] = ()
    if status is Status.FAILED:
        findings = (Finding(Code.RECORD_FAILED, Severity.ERROR, text, message, provider.name, message),)
    return CheckResult(
        "record-events", provider.name, message, message, status, text, findings=findings, details=details
    )


def _written_report(provider: Provider, title: str, written: Mapping[str, int], wanted: Iterable[str]) -> Report:
    results = []
    for name in wanted:
        count = written.get(name, 0)
        where = event_cassette_path(provider.cassettes or Path("."), name)
        if count:
            results.append(
                _result(provider, name, Status.PASSED, f"{count} events recorded into {where}", events=count)
            )
        else:
            results.append(_result(provider, name, Status.FAILED, f"no event of {name!r} arrived", events=0))
    return Report(title, tuple(results))


# ---------------------------------------------------------------- files


def import_event_files(
    provider: Provider, message: str, files: Sequence[Path], *, environ: Mapping[str, str] | None = None
) -> Report:
    """Import JSON or YAML payloads (or `{body, metadata}` mappings) as recorded events of one message."""
    spec = provider.message_spec(message)
    events = [_file_event(path) for path in files]
    rules = event_rules(provider, environ)
    append_events(provider, spec, events, rules, keep=max(KEEP_EVENTS, len(events)), recording=now_text())
    return _written_report(
        provider, f"contracts record {provider.name}: events from files", {message: len(events)}, [message]
    )


def _file_event(path: Path) -> RecordedEvent:
    data = load_source(path, CassetteError).data
    if isinstance(data, dict) and "body" in data and set(data) <= {"body", "metadata", "envelope", "source"}:
        metadata = data.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise CassetteError("expected a mapping of metadata", file=str(path), key_path=("metadata",))
        return RecordedEvent(data["body"], metadata, "file", now_text(), data.get("envelope"))
    return RecordedEvent(data, {}, "file", now_text())


# ---------------------------------------------------------------- webhooks


def webhook_message(provider: Provider, headers: Mapping[str, str], body: Any) -> MessageSpec | None:
    """The registered webhook message a delivery is: the one whose event its `X-...-Event` header names (with
    `event.action` matching the body's action), or the only webhook message."""
    webhooks = [spec for spec in provider.messages.values() if spec.transport is MessageTransport.WEBHOOK]
    kind = next((value for name, value in headers.items() if name.lower().endswith("-event")), None)
    if kind is None:
        return webhooks[0] if len(webhooks) == 1 else None
    action = body.get("action") if isinstance(body, dict) else None
    exact = [spec for spec in webhooks if spec.event == f"{kind}.{action}"]
    return exact[0] if exact else next((spec for spec in webhooks if spec.event == kind), None)


@dataclass
class WebhookReceiver:
    """A webhook receiver on 127.0.0.1: every POST is parsed and handed to `sink` with the message it is."""

    provider: Provider
    sink: EventSink
    port: int = 0
    received: int = 0
    ignored: int = 0
    _server: ThreadingHTTPServer | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def url(self) -> str:
        """The URL deliveries go to."""
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> WebhookReceiver:
        """Listen (port 0 picks a free port)."""
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler_for(self))
        self._server.daemon_threads = False  # stopping waits for deliveries being answered
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-receiver", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def deliver(self, headers: Mapping[str, str], raw: bytes) -> int:
        """Handle one delivery; the HTTP status to answer with (204 recorded, 202 not a registered message)."""
        body = _delivery_body(headers, raw)
        spec = webhook_message(self.provider, headers, body)
        with self._lock:
            if spec is None or body is None:
                self.ignored += 1
                return 202
            kept = {name: value for name, value in headers.items() if name.lower() not in _HOP_HEADERS}
            self.sink(spec.name, RecordedEvent(body, kept, "webhook", now_text()))
            self.received += 1
        return 204


def _delivery_body(headers: Mapping[str, str], raw: bytes) -> Any:
    """The JSON payload of a delivery (GitHub may send it form-encoded as `payload=`); None when not JSON."""
    media = next((value for name, value in headers.items() if name.lower() == "content-type"), "")
    try:
        if "x-www-form-urlencoded" in media:
            return parse_json_value(parse_qs(raw.decode("utf-8")).get("payload", ["null"])[0])
        return parse_json_value(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        return None


def _handler_for(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server protocol
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(min(length, 25 << 20))
            status = receiver.deliver(dict(self.headers.items()), raw)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            return

    return Handler


def receive_webhooks(
    provider: Provider,
    *,
    port: int,
    count: int | None = None,
    timeout: float | None = None,
    environ: Mapping[str, str] | None = None,
    say: Callable[[str], None] = lambda text: None,
) -> Report:
    """Listen on 127.0.0.1:port and record what arrives until `count` deliveries were recorded, `timeout` seconds
    passed, or the process is interrupted; each delivery is written at once (scrubbed), so nothing is lost."""
    rules = event_rules(provider, environ)
    written: dict[str, int] = {}
    run = now_text()

    def sink(message: str, event: RecordedEvent) -> None:
        append_events(provider, provider.messages[message], [event], rules, recording=run)
        written[message] = written.get(message, 0) + 1

    deadline = time.monotonic() + timeout if timeout else None
    with WebhookReceiver(provider, sink, port) as receiver:
        say(f"listening for {provider.name} webhooks at {receiver.url}")
        try:
            while (count is None or receiver.received < count) and (deadline is None or time.monotonic() < deadline):
                time.sleep(0.05)
        except KeyboardInterrupt:
            say("stopped")
    return _written_report(provider, f"contracts record {provider.name}: webhooks", written, sorted(written))


# ---------------------------------------------------------------- S3 notifications from an AWS endpoint (moto)


_S3_ACTIONS = {
    "s3:ObjectCreated": "put",
    "s3:ObjectRemoved": "delete",
    "Object Created": "put",
    "Object Deleted": "delete",
}


def s3_message(provider: Provider, event_name: str, transport: MessageTransport) -> MessageSpec | None:
    """The registered message an S3 record is (`ObjectCreated:Put` against `s3:ObjectCreated:*`) on a transport, or
    an EventBridge event by its detail type (`Object Created`)."""
    prefixed = transport is not MessageTransport.EVENTBRIDGE and not event_name.startswith("s3:")
    name = f"s3:{event_name}" if prefixed else event_name
    for spec in provider.messages.values():
        if spec.transport is transport and fnmatch.fnmatchcase(name, spec.event):
            return spec
    return None


def record_s3_events(
    provider: Provider,
    endpoint_url: str | None = None,
    *,
    prefix: str = "ck-events-",
    environ: Mapping[str, str] | None = None,
    wait: float = 10.0,
) -> Report:
    """Record the provider's S3 notification messages from an AWS endpoint (a local moto server): a bucket
    notifies a queue (sqs messages) and a topic subscribed by a queue (sns messages) of the registered events,
    objects are written and deleted, and what arrives is recorded. What was created is removed afterwards.
    Without an endpoint, a moto server is started on 127.0.0.1 for the run."""
    if endpoint_url is None:
        with moto_server() as url:
            return record_s3_events(provider, url, prefix=prefix, environ=environ, wait=wait)
    import boto3

    run = now_text()

    wanted = [spec for spec in provider.messages.values() if spec.transport is not MessageTransport.WEBHOOK]
    if not wanted:
        raise UsageError(f"provider {provider.name!r} registers no message delivered through SQS, SNS or EventBridge")
    env = dict(environ or {})
    session = boto3.session.Session(
        aws_access_key_id=env.get("AWS_ACCESS_KEY_ID", "testing"),
        aws_secret_access_key=env.get("AWS_SECRET_ACCESS_KEY", "testing"),
        region_name=provider.region,
    )
    clients = {name: session.client(name, endpoint_url=endpoint_url) for name in ("s3", "sqs", "sns", "events")}
    fixture = _S3Fixture(clients, prefix, provider.region)
    try:
        fixture.create(wanted)
        fixture.trigger(wanted)
        events = fixture.collect(provider, wanted, wait)
    finally:
        fixture.remove()
    rules = event_rules(provider, env)
    written = {}
    for spec in wanted:
        found = [_completed(spec, event) for event in events.get(spec.name, [])]
        if found:
            append_events(provider, spec, found, rules, recording=run)
        written[spec.name] = len(found)
    return _written_report(
        provider, f"contracts record {provider.name}: S3 notifications", written, [s.name for s in wanted]
    )


@dataclass
class _S3Fixture:
    """The bucket, queues and topic a recording creates, and removes again."""

    clients: Mapping[str, Any]
    prefix: str
    region: str
    queues: dict[str, str] = field(default_factory=dict)  # transport -> queue URL
    topic: str = ""
    rule: str = ""  # the EventBridge rule on the default bus that sends the bucket's events to a queue

    @property
    def bucket(self) -> str:
        return f"{self.prefix}bucket"

    def create(self, wanted: Sequence[MessageSpec]) -> None:
        s3, sqs, sns = self.clients["s3"], self.clients["sqs"], self.clients["sns"]
        s3.create_bucket(Bucket=self.bucket)
        config: dict[str, Any] = {}
        for transport in {spec.transport for spec in wanted}:
            url = sqs.create_queue(QueueName=f"{self.prefix}{transport.value}")["QueueUrl"]
            self.queues[transport.value] = url
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            events = [spec.event for spec in wanted if spec.transport is transport]
            if transport is MessageTransport.SNS:
                self.topic = sns.create_topic(Name=f"{self.prefix}topic")["TopicArn"]
                sns.subscribe(TopicArn=self.topic, Protocol="sqs", Endpoint=arn)
                config.setdefault("TopicConfigurations", []).append({"TopicArn": self.topic, "Events": events})
            elif transport is MessageTransport.EVENTBRIDGE:
                self._route_events(arn, events)
                config["EventBridgeConfiguration"] = {}
            else:
                config.setdefault("QueueConfigurations", []).append({"QueueArn": arn, "Events": events})
        s3.put_bucket_notification_configuration(Bucket=self.bucket, NotificationConfiguration=config)

    def _route_events(self, queue_arn: str, detail_types: list[str]) -> None:
        """An EventBridge rule on the default bus sending the bucket's events of these detail types to the queue."""
        events = self.clients["events"]
        self.rule = f"{self.prefix}rule"
        pattern = {"source": ["aws.s3"], "detail-type": detail_types, "detail": {"bucket": {"name": [self.bucket]}}}
        events.put_rule(Name=self.rule, EventPattern=json.dumps(pattern))
        events.put_targets(Rule=self.rule, Targets=[{"Id": "queue", "Arn": queue_arn}])

    def trigger(self, wanted: Sequence[MessageSpec]) -> None:
        """Cause each registered event: write an object, and delete it when removals are wanted."""
        s3 = self.clients["s3"]
        key = f"{self.prefix}reports/2026-12.csv"
        s3.put_object(Bucket=self.bucket, Key=key, Body=b"service,cost\ns3,12.5\n", ContentType="text/csv")
        if any(
            "delete" in (_S3_ACTIONS.get(spec.event.rsplit(":", 1)[0]), _S3_ACTIONS.get(spec.event)) for spec in wanted
        ):
            s3.delete_object(Bucket=self.bucket, Key=key)

    def collect(self, provider: Provider, wanted: Sequence[MessageSpec], wait: float) -> dict[str, list[RecordedEvent]]:
        """Read the queues until every wanted message has an event or `wait` seconds passed."""
        found: dict[str, list[RecordedEvent]] = {}
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(spec.name not in found for spec in wanted):
            for transport, url in self.queues.items():
                answer = self.clients["sqs"].receive_message(
                    QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, MessageAttributeNames=["All"]
                )
                for raw in answer.get("Messages", []):
                    event = _queued_event(raw, MessageTransport(transport))
                    if event is None:
                        continue
                    spec = s3_message(provider, _event_name(event.body), MessageTransport(transport))
                    if spec is not None:
                        found.setdefault(spec.name, []).append(event)
        return found

    def remove(self) -> None:
        s3, sqs, sns = self.clients["s3"], self.clients["sqs"], self.clients["sns"]
        steps: list[Callable[[], Any]] = [
            lambda: [
                s3.delete_object(Bucket=self.bucket, Key=item["Key"])
                for item in s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])
            ],
            lambda: s3.delete_bucket(Bucket=self.bucket),
            *[(lambda url=url: sqs.delete_queue(QueueUrl=url)) for url in self.queues.values()],
            *([lambda: sns.delete_topic(TopicArn=self.topic)] if self.topic else []),
            *([lambda: self.clients["events"].remove_targets(Rule=self.rule, Ids=["queue"])] if self.rule else []),
            *([lambda: self.clients["events"].delete_rule(Name=self.rule)] if self.rule else []),
        ]
        for step in steps:
            try:
                step()
            except Exception:  # noqa: BLE001,S110 - the endpoint may already be gone; nothing to clean then
                pass


def _completed(spec: MessageSpec, event: RecordedEvent) -> RecordedEvent:
    """The event with moto's gaps corrected from the message's JSON Schema (noted in `seeded`)."""
    if spec.schema is None:
        return event
    document = load_json_fast(spec.schema, SchemaLoadError)
    body, seeded = complete_from_description(event.body, document)
    return RecordedEvent(body, event.metadata, event.source, event.recorded_at, event.envelope, seeded, event.recording)


def complete_from_description(body: Any, document: Mapping[str, Any]) -> tuple[Any, tuple[str, ...]]:
    """Correct what moto leaves out of an S3 notification, from the message's description, as recording AWS
    seeds the actions moto lacks: a required property moto omits (AWS sends `userIdentity`,
    `requestParameters`, `responseElements`, the bucket's `ownerIdentity`) gets the description's example, and a
    date-time without a zone (moto writes `2026-12-07T10:00:00.123456`) is read as UTC. The JSON paths corrected
    are returned, and the recorder notes them in the event (`seeded`)."""
    value = copy.deepcopy(body)
    corrected: list[str] = []
    value = _complete(document, document, value, "$", corrected, 0)
    return value, tuple(corrected)


def _complete(document: Mapping[str, Any], schema: Any, value: Any, path: str, corrected: list[str], depth: int) -> Any:
    schema = resolve(document, schema)
    if not isinstance(schema, dict) or depth > 32:
        return value
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            kinds = [resolve(document, part) for part in schema[key]]
            schema = next((part for part in kinds if isinstance(part, dict) and "properties" in part), schema)
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        properties = schema["properties"]
        for name in schema.get("required") or ():
            if name not in value and name in properties:
                value[name] = _example(document, properties[name])
                corrected.append(f"{path}.{name}")
        for name, sub in properties.items():
            if name in value:
                value[name] = _complete(document, sub, value[name], f"{path}.{name}", corrected, depth + 1)
    elif isinstance(value, list) and isinstance(schema.get("items"), (dict, bool)):
        value = [
            _complete(document, schema["items"], item, f"{path}[{i}]", corrected, depth + 1)
            for i, item in enumerate(value)
        ]
    elif isinstance(value, str) and schema.get("format") == "date-time" and _NAIVE_TIME.fullmatch(value):
        corrected.append(path)
        return value + "Z"
    return value


_NAIVE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?")


def _example(document: Mapping[str, Any], schema: Any) -> Any:
    """The first example a property's schema gives, or a value built from the schema."""
    if isinstance(schema, dict) and isinstance(schema.get("examples"), list) and schema["examples"]:
        return copy.deepcopy(schema["examples"][0])
    return schema_instance(document, schema)


def _queued_event(raw: Mapping[str, Any], transport: MessageTransport) -> RecordedEvent | None:
    """The event an SQS message carries: the S3 record set, with the SQS message (or SNS notification) around it
    as the envelope; None for S3's test event and anything that is not JSON."""
    try:
        outer = parse_json_value(raw.get("Body") or "null")
        envelope: dict[str, Any] = {key: value for key, value in raw.items() if key not in ("Body", "ReceiptHandle")}
        body = outer
        if transport is MessageTransport.SNS and isinstance(outer, dict) and "Message" in outer:
            envelope = {key: value for key, value in outer.items() if key != "Message"}
            body = parse_json_value(outer["Message"])
    except ValueError:
        return None
    if transport is MessageTransport.EVENTBRIDGE:
        return RecordedEvent(body, {}, transport.value, now_text(), envelope) if isinstance(body, dict) else None
    if not isinstance(body, dict) or not isinstance(body.get("Records"), list):
        return None  # s3:TestEvent, sent when the notification is configured
    attributes = {name: value.get("StringValue", "") for name, value in (raw.get("MessageAttributes") or {}).items()}
    return RecordedEvent(body, attributes, transport.value, now_text(), envelope)


def _event_name(body: Any) -> str:
    if isinstance(body, dict) and "detail-type" in body:  # an EventBridge event
        return str(body["detail-type"])
    records = body.get("Records") if isinstance(body, dict) else None
    first = records[0] if isinstance(records, list) and records and isinstance(records[0], dict) else {}
    return str(first.get("eventName", ""))


__all__ = [
    "KEEP_EVENTS",
    "SIGNATURE_HEADERS",
    "WebhookReceiver",
    "append_events",
    "event_rules",
    "import_event_files",
    "now_text",
    "receive_webhooks",
    "record_s3_events",
    "s3_message",
    "scrub_event",
    "webhook_message",
]
