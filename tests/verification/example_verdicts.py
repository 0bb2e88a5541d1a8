"""What an independent validator says of each published response example of an OpenAPI 3.0 description, and the
explained cases where our validator says otherwise.

The test data built from the GitHub description (github_examples.py, ../validation/traffic.py) must not be
chosen by the code it tests: an example our validator wrongly rejected would silently drop out of every test.
So an example is judged by openapi-schema-validator instead: the OpenAPI 3.0 dialect of `jsonschema`
(`nullable`, `discriminator`, read-only semantics), the library openapi-core validates with, run directly on
the description's own schema with every `$ref` resolved by `referencing`. It is a runtime dependency of
contractkit through openapi-spec-validator.

Where the two validators disagree on a published example, DISAGREEMENTS says why and which one is right;
test_github_examples.py asserts that these are the only disagreements, in both directions. Formats are checked
(date-time, date, uri, email, uuid, ipv4, hostname ...); `iri` is not in the test process (tests/conftest.py turns
its optional grammar off), which could hide a wrong acceptance by ours, never a wrong rejection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from github_examples import Example

URI = "urn:contractkit-tests:description"

OURS, INDEPENDENT = "ours", "independent"


@dataclass(frozen=True)
class Disagreement:
    """Why the two validators judge one published example differently, and which of them is right."""

    why: str
    right: str  # OURS | INDEPENDENT
    note: str = ""


# Independent rejects, ours accepts: `nullable: true` next to an `enum` that does not list null. OAS 3.0.3 (Schema
# Object, `nullable`): "Other Schema Object constraints retain their defined behavior, and therefore may disallow
# the use of null as a value" -- by the letter the enum forbids the published null. Ours reads `nullable` as 3.0.0-3.0.2
# did (null is allowed, schemas.py `_allow_null` adds it to the enum), on purpose: it is what the description's
# authors mean (their own example sends null, and so does the API).
NULLABLE_ENUM = Disagreement(
    "null for a `nullable: true` schema whose `enum` does not list null",
    INDEPENDENT,
    "ours is lenient on purpose (3.0.0-3.0.2 reading of nullable)",
)
# Independent rejects, ours accepts: `nullable: true` next to `oneOf` and no `type`. OAS 3.0.3: "A true value adds
# "null" to the allowed types specified by the type keyword, only if type is explicitly defined within the same
# Schema Object": no type, so null must match a branch, and none of them (string/number/boolean/array) allows it.
NULLABLE_ONE_OF = Disagreement(
    "null for a `nullable: true` schema with `oneOf` and no `type`",
    INDEPENDENT,
    "ours is lenient on purpose (3.0.0-3.0.2 reading of nullable)",
)
# Independent rejects, ours accepts: `oneOf` of private-user/public-user with `discriminator: user_view_type`, and the
# example has no `user_view_type` (an example older than the property). OAS 3.0.3 (Discriminator Object): "a
# property with name petType MUST be present in the response payload". Ours drops `discriminator` (an OpenAPI-only
# keyword, schemas.py `_DROPPED`) and checks `oneOf` alone, which exactly one branch passes.
DISCRIMINATOR_ABSENT = Disagreement(
    "the `discriminator` property `user_view_type` is absent from the example",
    INDEPENDENT,
    "ours does not check `discriminator` (a known gap, reported)",
)
# Independent rejects, ours accepts: a directory listing is a JSON array; the schema is `oneOf` of content-directory
# (an array) and three object schemas, with a `discriminator` on `type`. A discriminator names a property of an
# object; for an array there is none to read, so it cannot apply, and `oneOf` decides: exactly one branch (the array)
# matches. openapi-schema-validator insists on an object before looking at the branches.
DISCRIMINATOR_ON_ARRAY = Disagreement(
    "a `discriminator` (on `type`) next to `oneOf` whose matching branch is an array",
    OURS,
    "a discriminator cannot apply to an array; `oneOf` alone accepts it",
)

DISAGREEMENTS: dict[str, Disagreement] = {
    "GET /orgs/{org}/code-scanning/alerts 200 default": NULLABLE_ENUM,
    "GET /repos/{owner}/{repo}/code-scanning/alerts 200 default": NULLABLE_ENUM,
    "POST /repos/{owner}/{repo}/check-runs 201 example-of-in-progress-conclusion": NULLABLE_ENUM,
    "GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number} 200 default": NULLABLE_ENUM,
    "GET /repos/{owner}/{repo}/issues/{issue_number}/suggestions 200 default": NULLABLE_ONE_OF,
    "POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/approve 200 default": NULLABLE_ONE_OF,
    "POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/dismiss 200 default": NULLABLE_ONE_OF,
    "GET /user 200 response-with-public-and-private-profile-information": DISCRIMINATOR_ABSENT,
    "GET /user 200 response-with-public-profile-information": DISCRIMINATOR_ABSENT,
    "GET /user/{account_id} 200 default-response": DISCRIMINATOR_ABSENT,
    "GET /user/{account_id} 200 response-with-git-hub-plan-information": DISCRIMINATOR_ABSENT,
    "GET /users/{username} 200 default-response": DISCRIMINATOR_ABSENT,
    "GET /users/{username} 200 response-with-git-hub-plan-information": DISCRIMINATOR_ABSENT,
    "GET /repos/{owner}/{repo}/contents/{path} 200 response-if-content-is-a-directory": DISCRIMINATOR_ON_ARRAY,
}


class IndependentValidator:
    """Judges a response body against the description's own schema with openapi-schema-validator (formats checked)."""

    def __init__(self, document: dict[str, Any]) -> None:
        from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4

        self._cls, self._formats = OAS30ReadValidator, oas30_format_checker
        self._registry = Registry().with_resource(URI, Resource(contents=document, specification=DRAFT4))
        self._validators: dict[str, Any] = {}

    def errors(self, example: Example, body: Any = None) -> list[str]:
        """The messages of every error of `body` (the example's own by default); empty when it conforms."""
        validator = self._validators.get(example.schema_pointer)
        if validator is None:
            schema = {"$ref": f"{URI}#{example.schema_pointer}"}
            validator = self._validators[example.schema_pointer] = self._cls(
                schema, registry=self._registry, format_checker=self._formats
            )
        return [error.message for error in validator.iter_errors(example.body if body is None else body)]

    def is_usable(self, example: Example, body: Any = None) -> bool:
        """True when the independent validator accepts the body and the example is not a listed disagreement."""
        return example.id not in DISAGREEMENTS and not self.errors(example, body)


__all__ = ["DISAGREEMENTS", "Disagreement", "INDEPENDENT", "IndependentValidator", "OURS"]
