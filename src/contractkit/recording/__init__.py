"""Recording cassettes: planning the calls, sending them through vcrpy (HTTP providers, AWS through boto3 and a
moto server), seeding from a description where nothing can be recorded, re-recording on a schedule with a
drift report, and scanning what was written for secrets."""

from contractkit.recording.drift import compare_cassettes
from contractkit.recording.events import (
    KEEP_EVENTS,
    SIGNATURE_HEADERS,
    WebhookReceiver,
    append_events,
    event_rules,
    import_event_files,
    receive_webhooks,
    record_s3_events,
    s3_message,
    scrub_event,
    webhook_message,
)
from contractkit.recording.instances import json_media, minimal_instance, parameter_value, resolve, success_response
from contractkit.recording.jobs import drift_report, record_aws, record_cassettes, rerecord
from contractkit.recording.plan import (
    DEFAULT_BUDGET,
    DEFAULT_PREFIX,
    OperationOutcome,
    PlannedCall,
    RecordOptions,
    RecordRun,
    plan_recording,
    run_report,
)
from contractkit.recording.record import record_provider
from contractkit.recording.scan import scan_cassettes
from contractkit.recording.seed import SeedState, seed_provider

__all__ = [
    "KEEP_EVENTS",
    "SIGNATURE_HEADERS",
    "WebhookReceiver",
    "append_events",
    "event_rules",
    "import_event_files",
    "receive_webhooks",
    "record_s3_events",
    "s3_message",
    "scrub_event",
    "webhook_message",
    "DEFAULT_BUDGET",
    "DEFAULT_PREFIX",
    "OperationOutcome",
    "PlannedCall",
    "RecordOptions",
    "RecordRun",
    "SeedState",
    "compare_cassettes",
    "drift_report",
    "json_media",
    "minimal_instance",
    "parameter_value",
    "plan_recording",
    "record_aws",
    "record_cassettes",
    "record_provider",
    "rerecord",
    "resolve",
    "run_report",
    "scan_cassettes",
    "seed_provider",
    "success_response",
]
