"""A hand-written OpenAPI 3.1 pair that changes every JSON Schema 2020-12 keyword the diff compares."""

from __future__ import annotations

from pathlib import Path

from contractkit.diff import Level, diff_sources

DATA = Path(__file__).resolve().parent / "data"
SCHEMAS = "#/components/schemas"


def test_every_2020_12_keyword_change_is_found_in_its_direction() -> None:
    result = diff_sources(str(DATA / "openapi31-old.yaml"), str(DATA / "openapi31-new.yaml"))
    found = {(change.rule, change.origin) for change in result.changes if change.level is not Level.INFO}
    assert found == {
        ("request-body-additional-properties-restricted", f"{SCHEMAS}/NewOrder"),  # unevaluatedProperties: false
        ("request-body-constraint-tightened", f"{SCHEMAS}/NewOrder"),  # dependentRequired
        ("request-property-became-not-nullable", f"{SCHEMAS}/NewOrder/properties/tag"),  # type: [string, "null"]
        (
            "request-property-constraint-tightened",
            f"{SCHEMAS}/NewOrder/$defs/address/properties/zip",
        ),  # $defs + pattern
        ("request-property-constraint-tightened", f"{SCHEMAS}/NewOrder/properties/lines"),  # minContains
        ("request-property-constraint-tightened", f"{SCHEMAS}/NewOrder/properties/quantity"),  # exclusiveMinimum number
        ("request-property-const-changed", f"{SCHEMAS}/NewOrder/properties/currency"),  # const
        ("request-property-type-changed", f"{SCHEMAS}/NewOrder/properties/coordinates/prefixItems/1"),  # prefixItems
        ("response-property-became-nullable", f"{SCHEMAS}/Order/properties/total"),
        ("response-property-constraint-loosened", f"{SCHEMAS}/Order/properties/history"),  # items: false dropped
        ("response-property-constraint-loosened", f"{SCHEMAS}/Order/properties/id"),  # maxLength 40 -> 64
        ("response-property-constraint-loosened", f"{SCHEMAS}/Order/properties/lines"),  # maxContains
        ("response-property-type-changed", f"{SCHEMAS}/Order/properties/extra/dependentSchemas/note/properties/author"),
        ("response-property-type-changed", f"{SCHEMAS}/Order/properties/metadata/additionalProperties"),  # map values
        ("response-property-enum-value-added", f"{SCHEMAS}/Order/properties/status"),
    }
    assert result.breaking
