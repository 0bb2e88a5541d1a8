"""The scrubbing engine piece by piece: layers decoded and put back, structure read, the description and the
registry's allow-list used, the quick look giving the verdicts of the full walk, and the repository's own
cassettes left byte for byte as they are."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.cassettes import RecordedInteraction, RecordedRequest, RecordedResponse, load_cassette
from contractkit.registry import load_registry
from contractkit.secrets.description import hints_from_document
from contractkit.secrets.formats import library_formats
from contractkit.secrets.scrub import ScrubRules, rules_for, rules_for_provider, scrub_body, scrub_interaction
from contractkit.secrets.walk import Scrubber

ROOT = Path(__file__).resolve().parents[2]
GITHUB = "ghp_" + "Zq8Xv2Lm9Nb4Kt7Rw3Yc6Hd1Jf5Gs0Pa2Qe7T"
RANDOM = "Xq9Zr2Lm8Np4Kt7Vw3Yb6Hc1Jd5Fg0Ps"  # an unknown format: random, no prefix


def _json(rules: ScrubRules, data: object) -> object:
    scrubbed = scrub_body(json.dumps(data), "application/json", rules)
    assert isinstance(scrubbed, str)
    return json.loads(scrubbed)


def test_the_formats_come_from_detect_secrets() -> None:
    kinds = {kind for kind, _ in library_formats()}
    assert {"github-token", "slack-token", "telegram-bot-token", "discord-bot-token", "openai-token"} <= kinds
    assert "public-ip-ipv4" not in kinds  # an address is not a credential


def test_a_secret_in_every_layer_is_scrubbed_where_it_lives() -> None:
    rules = rules_for(None, {})
    document = json.dumps({"config": {"note": GITHUB}})
    wrapped = base64.encodebytes(base64.b64encode(document.encode())).decode()  # base64 twice, MIME-wrapped
    body = _json(
        rules, {"content": wrapped, "html": f"&lt;b&gt;{GITHUB}&lt;/b&gt;", "escaped": GITHUB.replace("_", "%5f")}
    )
    assert isinstance(body, dict)
    inner = json.loads(base64.b64decode(base64.b64decode(body["content"])))
    assert inner == {"config": {"note": "<scrubbed:github-token>"}}
    assert body["content"].count("\n") == wrapped.count("\n")  # wrapped as it was
    assert body["html"] == "&lt;b&gt;&lt;scrubbed:github-token&gt;&lt;/b&gt;"
    assert GITHUB[4:] not in json.dumps(body)


def test_compressed_and_utf16_bodies_are_scrubbed_and_encoded_back() -> None:
    rules = rules_for(None, {})
    for encode, decode, encoding in (
        (lambda text: gzip.compress(text.encode(), mtime=0), lambda raw: gzip.decompress(raw).decode(), "gzip"),
        (lambda text: text.encode("utf-16"), lambda raw: raw.decode("utf-16"), ""),
    ):
        raw = encode(json.dumps({"token_value": GITHUB, "id": 7}))
        interaction = RecordedInteraction(
            RecordedRequest("GET", "https://api.example.test/x", {}, None),
            RecordedResponse(200, {"Content-Type": ("application/json",), "Content-Encoding": (encoding,)}, raw, "OK"),
        )
        body = scrub_interaction(interaction, rules).response.body
        assert isinstance(body, bytes)
        assert json.loads(decode(body)) == {"token_value": "<scrubbed:token_value>", "id": 7}


def test_pair_lists_are_judged_by_their_name() -> None:
    rules = rules_for(None, {})
    sha = "0123456789abcdef0123456789abcdef01234567"
    pairs = [
        {"name": "GIT_COMMIT", "value": sha},
        {"name": "IMAGE", "value": "repo@sha256:" + "ab" * 32},
        {"name": "DB_PASSWORD", "value": "hunter2"},
        {"name": "EXTRA", "value": RANDOM},
    ]
    assert _json(rules, pairs) == [
        {"name": "GIT_COMMIT", "value": sha},
        {"name": "IMAGE", "value": "repo@sha256:" + "ab" * 32},
        {"name": "DB_PASSWORD", "value": "<scrubbed:db_password>"},
        {"name": "EXTRA", "value": "<scrubbed:extra>"},
    ]


def test_headers_are_read_by_structure() -> None:
    scrubber = Scrubber(rules_for(None, {}))
    assert scrubber.header("Authorization", "Digest username=app, response=abc123") == "<scrubbed:authorization>"
    assert scrubber.header("X-AppId", "a1b2c3") == "<scrubbed:x-appid>"
    folded = "sid=abc123; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT, csrf=def456; Path=/"
    assert scrubber.header("Set-Cookie", folded) == (
        "sid=<scrubbed:sid>; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT, csrf=<scrubbed:csrf>; Path=/"
    )
    assert scrubber.text(f"see https://hooks.example.test/services/T01/B02/{RANDOM}") == (
        "see https://hooks.example.test/services/T01/B02/<scrubbed:path-token>"
    )
    assert scrubber.text("avatar https://cdn.example.test/a/e3b51ca72dee4ef87916ae2b9240df50.jpg") == (
        "avatar https://cdn.example.test/a/e3b51ca72dee4ef87916ae2b9240df50.jpg"
    )


DESCRIPTION = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {},
    "components": {
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Shop-Key"}},
        "schemas": {
            "Build": {
                "type": "object",
                "properties": {
                    "build_id": {"type": "string", "pattern": "^bld_[A-Za-z0-9]{30,40}$"},
                    "password_changed_at": {"type": "string", "format": "date-time"},
                    "pin": {"type": "string", "format": "password"},
                    "state": {"type": "string", "enum": ["ok", "failed"]},
                },
            }
        },
    },
}


def test_the_description_decides_what_is_data_and_what_is_secret() -> None:
    rules = rules_for(None, {}).extended(hints=hints_from_document(DESCRIPTION))
    build = {
        "build_id": "bld_" + RANDOM,
        "password_changed_at": "2026-12-01T10:00:00Z",
        "pin": "1234",
        "state": "ok",
        "undocumented": RANDOM,
    }
    assert _json(rules, build) == {
        "build_id": "bld_" + RANDOM,
        "password_changed_at": "2026-12-01T10:00:00Z",
        "pin": "<scrubbed:pin>",
        "state": "ok",
        "undocumented": "<scrubbed:unexplained-undocumented>",
    }
    assert Scrubber(rules).header("X-Shop-Key", "abc") == "<scrubbed:x-shop-key>"


def test_the_allow_list_keeps_fields_and_paths() -> None:
    rules = rules_for(None, {}).extended(keep=["publishable_key", "$.items[*].token"])
    data = {"publishable_key": "pk_live_" + RANDOM, "items": [{"token": "tok"}], "token": "tok"}
    assert _json(rules, data) == {
        "publishable_key": "pk_live_" + RANDOM,
        "items": [{"token": "tok"}],
        "token": "<scrubbed:token>",
    }


def test_lint_checks_the_allow_list(tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]) -> None:
    (tmp_path / "spec.json").write_text(json.dumps(DESCRIPTION), encoding="utf-8")
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: shop\nproviders:\n  pay:\n    base_url: http://127.0.0.1:9/v1\n"
        "    auth: {scheme: none}\n    spec: spec.json\n"
        "    operations:\n      build: {method: GET, path: /builds, safe: true}\n"
        "    scrub:\n      keep: [pin, '$.items[', build_id]\n",
        encoding="utf-8",
    )
    code, out, err = run_cli("lint", "--registry", str(tmp_path / "registry.yaml"))
    assert code == 2, out + err
    assert "providers.pay.scrub.keep[0]: 'pin' is a secret by the provider's description" in out + err
    assert "providers.pay.scrub.keep[1]: expected a JSON path" in out + err
    assert "keep[2]" not in out + err


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["id", "name", "note", "sha", "url", "token", "env"]), min_size=1, max_size=6))
def test_the_quick_look_gives_the_verdicts_of_the_full_walk(keys: list[str]) -> None:
    values = [GITHUB, RANDOM, "0123456789abcdef0123456789abcdef01234567", "https://h.test/x?sig=abc", "plain words"]
    data = {key: values[index % len(values)] for index, key in enumerate(keys)}
    data["env"] = [{"name": "API_TOKEN", "value": "short"}]  # type: ignore[assignment]
    rules = rules_for(None, {})
    text = json.dumps(data)
    quick = Scrubber(rules).body(text, "application/json")
    full = Scrubber(rules)
    full.suspects_of = lambda _text: None  # type: ignore[method-assign]
    assert quick == full.body(text, "application/json")
    assert GITHUB[4:] not in quick and "short" not in quick


def test_scrubbing_twice_equals_scrubbing_once() -> None:
    rules = rules_for(None, {"SHOP_TOKEN": "shop-Zq8Xv2Lm9Nb4Kt7Rw3Yc"})
    body = json.dumps(
        {"a": GITHUB, "b": base64.b64encode(b"password: hunter2\n").decode(), "c": "x?token=shop-Zq8Xv2Lm9Nb4Kt7Rw3Yc"}
    )
    once = scrub_body(body, "application/json", rules)
    assert scrub_body(once, "application/json", rules) == once


def _repository_cassettes() -> list[tuple[Path, ScrubRules]]:
    registry = load_registry(ROOT / "registry.yaml")
    found = []
    for provider in registry.providers.values():
        folder = provider.cassettes
        if folder and folder.is_dir():
            rules = rules_for_provider(provider, {})
            found += [(path, rules) for path in sorted(folder.rglob("*.yaml")) if "events" not in path.parts]
    return found


def _repository_event_cassettes() -> list[tuple[Path, ScrubRules]]:
    from contractkit.recording.events import event_rules

    registry = load_registry(ROOT / "registry.yaml")
    found = []
    for provider in registry.providers.values():
        folder = provider.cassettes
        if folder and (folder / "events").is_dir():
            found += [(path, event_rules(provider, {})) for path in sorted((folder / "events").glob("*.yaml"))]
    return found


@pytest.mark.parametrize(("path", "rules"), _repository_cassettes(), ids=lambda item: getattr(item, "name", ""))
def test_the_repository_cassettes_do_not_change_when_scrubbed_again(path: Path, rules: ScrubRules) -> None:
    for interaction in load_cassette(path).interactions:
        assert scrub_interaction(interaction, rules) == interaction


@pytest.mark.parametrize(("path", "rules"), _repository_event_cassettes(), ids=lambda item: getattr(item, "name", ""))
def test_the_repository_event_cassettes_do_not_change_when_scrubbed_again(path: Path, rules: ScrubRules) -> None:
    from contractkit.cassettes import load_event_cassette
    from contractkit.recording.events import scrub_event

    events = load_event_cassette(path).events
    assert events
    for event in events:
        assert scrub_event(event, rules) == event


def test_scan_reads_compressed_bodies_and_flags_what_the_recorder_scrubs(
    tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    from contractkit.cassettes import Cassette, write_cassette

    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: shop\nproviders:\n  pay:\n    base_url: http://127.0.0.1:9/v1\n"
        "    auth: {scheme: none}\n    cassettes: cassettes/pay\n"
        "    operations:\n      list: {method: GET, path: /items, safe: true}\n",
        encoding="utf-8",
    )
    body = gzip.compress(
        json.dumps({"items": [{"note": "rotated: hf_" + "BAbsWIiHddjXHApSXpfkmRIPgsMJQJDvis"}]}).encode()
    )
    interaction = RecordedInteraction(
        RecordedRequest("GET", "http://127.0.0.1:9/v1/items", {}, None),
        RecordedResponse(200, {"Content-Type": ("application/json",), "Content-Encoding": ("gzip",)}, body, "OK"),
    )
    path = tmp_path / "cassettes" / "pay" / "list.yaml"
    write_cassette(Cassette(path, (interaction,), {"operation": "list", "provider": "pay"}))
    code, out, err = run_cli("scan", "--registry", str(tmp_path / "registry.yaml"))
    assert code == 1 and "secret in cassette: prefixed-token" in out + err, out + err
    rules = rules_for(None, {})
    scrubbed = scrub_interaction(load_cassette(path).interactions[0], rules)
    write_cassette(Cassette(path, (scrubbed,), {"operation": "list", "provider": "pay"}))
    assert run_cli("scan", "--registry", str(tmp_path / "registry.yaml"))[0] == 0
    assert isinstance(scrubbed.response.body, bytes) and b"BAbsWI" not in gzip.decompress(scrubbed.response.body)


@pytest.mark.parametrize(
    "note",
    [
        "key-fd6f22fff6d16b8d9881ca46fb2ad8f8",
        "send with key-fd6f22fff6d16b8d9881ca46fb2ad8f8 now",
        'mutation { addNote(text: "key-fd6f22fff6d16b8d9881ca46fb2ad8f8") { id } }',
    ],
)
def test_a_vendor_format_with_a_hex_body_is_scrubbed_inside_a_json_value(note: str) -> None:
    """A fixed literal and a hex body (`key-` and 32 hex) has no random run: the quick look must not call it plain."""
    cleaned = scrub_body(json.dumps({"note": note}), "application/json", ScrubRules())
    assert "fd6f22fff6d16b8d9881ca46fb2ad8f8" not in cleaned and "<scrubbed:mailgun-key>" in cleaned
