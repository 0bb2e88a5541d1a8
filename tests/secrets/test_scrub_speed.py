"""The shortcuts that make scrubbing fast give the verdicts of the slow path: slug runs passed over by a bytes
regex, decoded node ids judged together, values remembered as clean within a run, and a batch shared among worker
processes giving the interactions of a serial pass, in order."""

from __future__ import annotations

import base64
import gzip
import json
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.cassettes import RecordedInteraction, RecordedRequest, RecordedResponse
from contractkit.secrets import batch, quick
from contractkit.secrets.formats import is_slug
from contractkit.secrets.scrub import (
    forget_verdicts,
    iter_interaction_secrets,
    rules_for,
    scrub_body,
    scrub_interaction,
)
from contractkit.secrets.walk import Scrubber

GITHUB = "ghp_" + "Zq8Xv2Lm9Nb4Kt7Rw3Yc6Hd1Jf5Gs0Pa2Qe7T"
CREDENTIAL = "shop-Zq8Xv2Lm9Nb4Kt7Rw3Yc"
RUN_CHARACTERS = string.ascii_letters + string.digits + "+_=~-/"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=RUN_CHARACTERS, min_size=1, max_size=40))
def test_the_bytes_slug_test_is_is_slug(run: str) -> None:
    assert (quick._SLUG.fullmatch(run.encode()) is not None) == is_slug(run)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='a: "=x', max_size=30))
def test_marks_found_from_the_rare_byte_are_those_a_search_finds(text: str) -> None:
    data = text.encode()
    for lead in (b"a", b'a"'):
        assert quick._after(data, b"=", (lead,)) == quick._finds(data, lead + b"=", 0)


_CREDENTIAL_RULES = rules_for(None, {"SHOP_TOKEN": CREDENTIAL})
_FORMS = sorted({value for _, value in _CREDENTIAL_RULES.literals})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_FORMS), st.text(max_size=12)), max_size=6))
def test_the_credentials_found_by_substring_first_are_those_the_regex_finds(pieces: list[str]) -> None:
    text = " ".join(pieces)
    data = text.encode("utf-8", "surrogatepass")
    assert _CREDENTIAL_RULES.literal_spans(text, data) == _CREDENTIAL_RULES.detector.literal_spans(text, data)


_INNER_TEXTS = st.sampled_from(
    [
        "010:Repository1296269",
        "010:Repository{n}",
        f"token: {GITHUB}",
        GITHUB,
        "AKIAZ7QX4LM2NB8KT3RW",
        "see AKIAZ7QX4LM2NB8KT3RW",
        f"password={CREDENTIAL}",
        "https://h.test/a?sig=Xq9Zr2Lm8Np4Kt7Vw3Yb",
        '{"password": "hunter22"}',
        "<a>plain</a>",
        "a=1&b=2",
        "plain words only",
        "04:User583231",
        CREDENTIAL,
        "x" * 40,
        "<scrubbed:token> and Xq9Zr2Lm8Np4Kt7Vw3Yb6Hc1Jd5Fg0Ps",
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_INNER_TEXTS, st.integers(0, 10**9), st.booleans()), min_size=1, max_size=8))
def test_decoded_tokens_judged_together_as_one_by_one(items: list[tuple[str, int, bool]]) -> None:
    rules = rules_for(None, {"SHOP_TOKEN": CREDENTIAL})
    encode = (base64.urlsafe_b64encode, base64.b64encode)
    tokens = [encode[plain](text.replace("{n}", str(n)).encode()).decode() for text, n, plain in items]
    together = Scrubber(rules)._clean_tokens(tokens)
    alone = Scrubber(rules)
    one_by_one = not any(True for _ in alone.detector.iter_matches("\n".join(tokens))) and all(
        alone.layered(token) == token for token in tokens
    )
    assert together == one_by_one


def test_a_value_remembered_as_clean_is_still_judged_by_its_name() -> None:
    rules = rules_for(None, {})
    node_id = base64.b64encode(b"010:Repository1296269").decode()
    assert json.loads(str(scrub_body(json.dumps({"note": node_id}), "application/json", rules))) == {"note": node_id}
    for key in ("password", "api_key"):
        body = json.loads(str(scrub_body(json.dumps({key: node_id}), "application/json", rules)))
        assert body == {key: f"<scrubbed:{key}>"}
    pair = [{"name": "API_TOKEN", "value": node_id}]
    assert json.loads(str(scrub_body(json.dumps(pair), "application/json", rules))) == [
        {"name": "API_TOKEN", "value": "<scrubbed:api_token>"}
    ]
    # a secret is never remembered as clean: met twice, it goes twice
    for _ in range(2):
        assert GITHUB[4:] not in str(scrub_body(json.dumps({"note": f"x {GITHUB}"}), "application/json", rules))
    assert node_id in rules.clean_values(True)
    forget_verdicts(rules)
    assert not rules.clean_values(True)


@pytest.mark.parametrize(
    "value",
    ['password"=hunter22xx', "password'=hunter22xx", 'password": hunter22xx', "password': hunter22xx"],
)
def test_a_quoted_secret_name_inside_a_json_string_is_seen_by_the_quick_look(value: str) -> None:
    body = json.loads(str(scrub_body(json.dumps({"note": value, "id": 1}), "application/json", rules_for(None, {}))))
    assert "hunter22xx" not in body["note"]


def _interactions(count: int) -> list[RecordedInteraction]:
    made = []
    for index in range(count):
        secret = (GITHUB, CREDENTIAL, None)[index % 3]
        items = [{"id": index, "node_id": base64.b64encode(f"010:Repository{index}".encode()).decode()}]
        if secret:
            items[0]["note"] = secret
        body: str | bytes = json.dumps(items)
        headers = {"Content-Type": ("application/json",)}
        if index % 2:
            body, headers = gzip.compress(body.encode(), mtime=0), {**headers, "Content-Encoding": ("gzip",)}
        request = RecordedRequest("GET", f"https://api.test/r?page={index}", {"Authorization": (f"token {GITHUB}",)})
        made.append(RecordedInteraction(request, RecordedResponse(200, headers, body, "OK")))
    return made


def test_a_batch_shared_among_processes_is_the_serial_pass_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "MIN_BATCH_BYTES", 1)  # a small batch, shared all the same
    rules = rules_for(None, {"SHOP_TOKEN": CREDENTIAL})
    interactions = _interactions(24)
    serial = [scrub_interaction(interaction, rules) for interaction in interactions]
    assert batch._workers(interactions, 2) == 2  # shared indeed
    assert batch.scrub_batch(interactions, rules, processes=2) == serial
    found = batch.batch_secrets(interactions, rules, processes=2)
    assert found == [list(iter_interaction_secrets(interaction, rules)) for interaction in interactions]
    assert [kind for _, kind in found[0]] and not any(GITHUB in str(item) for item in serial)


def test_a_small_batch_is_scrubbed_in_this_process() -> None:
    interactions = _interactions(3)
    assert batch._workers(interactions, 2) == 1
    assert batch.scrub_batch(interactions, rules_for(None, {}), processes=2) == [
        scrub_interaction(interaction, rules_for(None, {})) for interaction in interactions
    ]
