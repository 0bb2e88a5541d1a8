"""The fuzzer's consumer check judges a body by its kind (XML, text, form, binary), not as "not JSON"; what no rule
governs is compared by shape, since a fuzzed request is not the pact's provider state."""

from __future__ import annotations

import base64
from typing import Any

from contractkit.pact import parse_pact
from contractkit.pact.expectations import expectation_from_interaction, iter_consumer_problems

XML = '<?xml version="1.0"?><order id="1"><item sku="A-1">saw</item><item sku="B-2">axe</item></order>'


def _expectations(media: str, content: str | bytes, rules: dict[str, Any] | None = None):
    body: dict[str, Any] = (
        {"content": base64.b64encode(content).decode(), "contentType": media, "encoded": "base64"}
        if isinstance(content, bytes)
        else {"content": content, "contentType": media, "encoded": False}
    )
    response: dict[str, Any] = {"status": 200, "headers": {"Content-Type": [media]}, "body": body}
    if rules:
        response["matchingRules"] = {
            "body": {path: {"combine": "AND", "matchers": [matcher]} for path, matcher in rules.items()}
        }
    pact = {
        "consumer": {"name": "shop"},
        "provider": {"name": "orders"},
        "metadata": {"pactSpecification": {"version": "4.0"}},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": "an order",
                "request": {"method": "GET", "path": "/o"},
                "response": response,
            }
        ],
    }
    return [expectation_from_interaction("shop", interaction) for interaction in parse_pact(pact).interactions]


def _details(media: str, body: bytes, expectations) -> list[str]:
    return [problem.detail for problem in iter_consumer_problems(200, media, body, expectations)]


def test_an_xml_body_like_the_pact_passes_and_a_missing_element_is_named():
    expectations = _expectations("application/xml", XML)
    assert _details("application/xml", XML.encode(), expectations) == []
    other = '<order id="9"><item sku="Z-9">hammer</item></order>'
    assert _details("application/xml", other.encode(), expectations) == []  # values compared by shape
    assert _details("application/xml", b"<order id='9'/>", expectations) == [
        "shop (an order): $.order.item is missing, the pact expects <item>"
    ]
    assert _details("application/xml", b"<order><item>saw</item></order>", expectations) == [
        "shop (an order): $.order['@id'] is missing, the pact expects it",
        "shop (an order): $.order.item['@sku'] is missing, the pact expects it",
    ]


def test_text_form_and_binary_bodies_are_judged_by_their_kind():
    assert _details("text/plain", b"any words", _expectations("text/plain", "hello")) == []
    ruled = _expectations("text/plain", "order 1", {"$": {"match": "regex", "regex": "order \\d+"}})
    assert _details("text/plain", b"order 42", ruled) == []
    assert _details("text/plain", b"order x", ruled) == [
        "shop (an order): $ is 'order x': it does not match /order \\d+/"
    ]
    form = _expectations("application/x-www-form-urlencoded", "a=1&b=x")
    assert _details("application/x-www-form-urlencoded", b"b=y&a=2&c=3", form) == []
    assert _details("application/x-www-form-urlencoded", b"a=2", form) == [
        "shop (an order): $.b is missing, the pact expects it"
    ]
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    image = _expectations("image/png", png, {"$": {"match": "contentType", "value": "image/png"}})
    assert _details("image/png", png + b"\x01", image) == []
    assert _details("image/png", b"%PDF-1.4", image) == [
        "shop (an order): $ the contents look like application/pdf, not image/png"
    ]


def test_a_json_pact_still_names_a_body_that_is_not_json():
    expectations = _expectations("application/json", '{"a": 1}')
    assert _details("application/json", b"<html/>", expectations) == ["shop (an order): the body is not JSON"]
