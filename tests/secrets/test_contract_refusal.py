"""A contract example carrying a credential-looking value is refused, with file and key path, whatever the token's
format: a known format, or a random-looking token under a credential name. Placeholders and identifiers pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REGISTRY = (
    "version: 1\nconsumer: shop\nproviders:\n  pay:\n    base_url: http://127.0.0.1:9/v1\n"
    "    auth: {scheme: none}\n    contract: contracts/pay.{ext}\n"
    "    operations:\n      charge: {method: GET, path: /charges, safe: true}\n"
)
TOKEN = "q8Zr3LxT0vNw5KpYc7HdJ2mF9sBa4Ge1"  # random, of no vendor's format


def _contract(request: dict, response_body: object = ()) -> dict:
    return {
        "provider": "pay",
        "interactions": [
            {
                "operation": "charge",
                "description": "charges",
                "request": request,
                "response": {"status": 200, "body": list(response_body) if response_body == () else response_body},
            }
        ],
    }


def _write(tmp_path: Path, contract: dict, ext: str = "yaml") -> Path:
    import yaml

    (tmp_path / "contracts").mkdir(exist_ok=True)
    (tmp_path / "registry.yaml").write_text(REGISTRY.replace("{ext}", ext), encoding="utf-8")
    text = json.dumps(contract, indent=2) if ext == "json" else yaml.safe_dump(contract, sort_keys=False)
    (tmp_path / "contracts" / f"pay.{ext}").write_text(text, encoding="utf-8")
    return tmp_path / "registry.yaml"


REFUSED = {
    "token scheme": ({"headers": {"Authorization": f"Token token={TOKEN}"}}, "request.headers.Authorization"),
    "okta scheme": ({"headers": {"Authorization": f"SSWS {TOKEN}"}}, "request.headers.Authorization"),
    "bot scheme": ({"headers": {"Authorization": f"Bot {TOKEN}"}}, "request.headers.Authorization"),
    "api key header": ({"headers": {"X-Api-Key": TOKEN}}, "request.headers.X-Api-Key"),
    "auth token header": ({"headers": {"X-Auth-Token": {"$like": TOKEN}}}, "request.headers.X-Auth-Token.$like"),
    "query apikey": ({"query": {"apikey": TOKEN}}, "request.query.apikey"),
    "regex example": (
        {"headers": {"Authorization": {"$regex": "^Bearer .+$", "example": f"Bearer {TOKEN}"}}},
        "request.headers.Authorization.example",
    ),
    "body secret": ({"body": {"client_secret": TOKEN}}, "request.body.client_secret"),
}


@pytest.mark.parametrize("ext", ["yaml", "json"])
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_random_token_under_a_credential_name_is_refused(tmp_path: Path, run_cli, case: str, ext: str) -> None:
    request, where = REFUSED[case]
    registry = _write(tmp_path, _contract(request), ext)
    code, out, err = run_cli("consumer", "--registry", str(registry))
    assert code == 2 and "Traceback" not in err, err
    assert f"pay.{ext}" in err and f"interactions[0].{where}" in err and "which would reach the pact" in err
    assert TOKEN not in out + err and not (tmp_path / "pacts").exists()


PASSES = {
    "bearer placeholder": {"headers": {"Authorization": "Bearer <token>"}},
    "vendor example word": {"headers": {"Authorization": "Bearer glsa_example"}},
    "request id": {"headers": {"X-Request-Id": "4f1c2b9a8e7d6c5b4a39281706f5e4d3"}},
    "commit sha in body": {"body": {"sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e", "ref": "refs/heads/main"}},
    "uuid key id": {"query": {"key_id": "0b7c3f52-9f1e-4c3e-8d2a-6a1f0e9b5c47"}},
    "short token word": {"headers": {"X-Api-Key": "example-key"}},
}


@pytest.mark.parametrize("case", sorted(PASSES))
def test_placeholders_and_identifiers_pass(tmp_path: Path, run_cli, case: str) -> None:
    registry = _write(tmp_path, _contract(PASSES[case]))
    code, out, err = run_cli("consumer", "--registry", str(registry))
    assert "which would reach the pact" not in err, err
