"""`contracts fuzz --provider P --messages`: legal messages generated from the description (schemathesis and
hypothesis) delivered to the consumer's handler; a handler that crashes on one is found within the default number
of examples, the message is kept in the failure corpus and replayed first on the next run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from contractkit.cli import main
from contractkit.fuzz import DEFAULT_MAX_EXAMPLES, MessageFuzzOptions, fuzz_messages
from contractkit.registry import load_registry

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
ROOT = Path(__file__).resolve().parents[2]

# Reads the object's size as if S3 always sent one: the description (aws-lambda-powertools' S3Model) lets a record
# come without its object, and an object without its size.
NAIVE = """
def handle(event, metadata):
    return sum(record["s3"]["object"]["size"] for record in event["Records"])
"""


@pytest.fixture()
def naive_handler(tmp_path, monkeypatch):
    (tmp_path / "naive_s3.py").write_text(NAIVE)
    monkeypatch.syspath_prepend(str(tmp_path))
    return "naive_s3:handle"


def test_a_handler_crashing_on_a_legal_message_is_found_within_the_default_examples(tmp_path, naive_handler):
    registry = load_registry(ROOT / "registry.yaml")
    corpus = tmp_path / "corpus.json"
    options = MessageFuzzOptions(seed=1, corpus_path=corpus, handler=naive_handler)
    run = fuzz_messages(registry, "s3-events", options)
    assert run.crashes, "the naive handler was not found"
    assert all(0 < count <= DEFAULT_MAX_EXAMPLES for count in run.examples.values())
    crash = run.crashes[0]
    assert crash.handler == "naive_s3:handle" and "naive_s3.py:3" in crash.error
    assert crash.error.startswith(("TypeError", "KeyError"))  # no object, no size, or a null one: all legal
    kept = json.loads(corpus.read_text())
    assert kept["provider"] == "s3-events" and kept["cases"][0]["body"] == crash.body
    (failed, *_) = [result for result in run.to_report().results if result.findings]
    assert failed.findings[0].code == "CK812" and str(corpus) in failed.findings[0].message


def test_the_corpus_is_replayed_first_and_a_fixed_handler_passes(tmp_path, naive_handler, monkeypatch):
    registry = load_registry(ROOT / "registry.yaml")
    corpus = tmp_path / "corpus.json"
    first = fuzz_messages(registry, "s3-events", MessageFuzzOptions(seed=1, corpus_path=corpus, handler=naive_handler))
    again = fuzz_messages(registry, "s3-events", MessageFuzzOptions(seed=2, corpus_path=corpus, handler=naive_handler))
    assert [crash.source for crash in again.crashes][:1] == ["corpus"]
    assert again.crashes[0].body == first.crashes[0].body
    fixed = fuzz_messages(  # devctl's own handler, from the contract, skips a record without its object
        registry, "s3-events", MessageFuzzOptions(seed=1, corpus_path=corpus)
    )
    assert fixed.crashes == () and not fixed.to_report().failed


def test_the_command_exits_1_naming_the_handler_and_the_message(tmp_path, naive_handler, capsys):
    code = main(
        [
            "fuzz",
            "--registry",
            str(ROOT / "registry.yaml"),
            "--provider",
            "s3-events",
            "--messages",
            "--handler",
            naive_handler,
            "--seed",
            "3",
            "--corpus",
            str(tmp_path / "corpus.json"),
            "--format",
            "json",
        ]
    )
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    text = json.dumps(report)
    assert "naive_s3:handle crashes on a object_created message the description allows" in text


def test_a_provider_without_messages_is_a_usage_error(capsys):
    code = main(["fuzz", "--registry", str(ROOT / "registry.yaml"), "--provider", "grafana", "--messages"])
    assert code == 2 and "declares no messages to fuzz" in capsys.readouterr().err
