"""Look-alikes: random-looking values that are not secrets and must survive recording byte for byte.

Commit SHAs and image digests (also inside name/value lists), UUIDs, ids that follow their field's documented
pattern, dates in fields whose names contain "password", enum values, keys vendors document as public, SSH and
PEM public keys, content hashes, ETags, request ids, base64 of ordinary text. Those that rely on the description
carry the schema of their field; the corpus provider's OpenAPI description is built from it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

from shape_values import ALNUM, B64URL, BASE32, LOWER_ALNUM, UPPER_ALNUM, Rand
from shape_wire import BOUNDARY, LOOKALIKE, Case


def _uuid(r: Rand) -> str:
    return str(uuid.UUID(int=r.random.getrandbits(128), version=4))


def _ssh_key(r: Rand, kind: str, prefix: str, size: int) -> str:
    return f"{kind} {prefix}{base64.b64encode(r.random.randbytes(size)).decode()} deploy@ci"


def _pem_public(r: Rand, kind: str, size: int) -> str:
    body = base64.b64encode(r.random.randbytes(size)).decode()
    return (
        f"-----BEGIN {kind}-----\n"
        + "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
        + f"\n-----END {kind}-----"
    )


def lookalike_cases(seed: str = "contractkit-shape-lookalikes-1") -> list[Case]:
    """Every look-alike of the corpus."""
    r = Rand(seed)
    made: list[Case] = []

    def add(label: str, source: str, place: str, value: str, item: object, schema: dict | None = None) -> None:
        made.append(
            Case(
                f"lookalike-{label}",
                LOOKALIKE,
                label.replace("-", " "),
                source,
                place,
                value,
                item,
                (value,),
                schema=schema or {},
            )
        )

    def field(label: str, source: str, name: str, value: str, schema: dict | None = None, place: str = "json") -> None:
        add(label, source, place, value, {name: value}, {name: schema} if schema else None)

    sha = {"type": "string", "pattern": "^[0-9a-f]{40}$"}
    digest = {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"}
    git = "git object names (SHA-1, 40 hex)"
    oci = "OCI image spec: descriptor digest sha256:<64 hex>"
    # commit SHAs
    field("commit-sha-field", git, "sha", r.hex(40), sha)
    field("head-sha-field", git, "head_sha", r.hex(40), sha)
    field("merge-commit-sha-undescribed", git, "merge_commit_sha", r.hex(40))
    field("commit-sha-in-request", git, "after", r.hex(40), sha, place="json_req")
    for n, name in enumerate(["GIT_COMMIT", "COMMIT_SHA", "SOURCE_VERSION"]):
        v = r.hex(40)
        add(
            f"commit-sha-in-pair-list-{n}",
            git + " in a Kubernetes env list",
            "json",
            v,
            {"env": [{"name": name, "value": v}]},
        )
    v = r.hex(40)
    add(
        "commit-sha-in-ecs-pairs",
        git + " in ECS Name/Value",
        "json",
        v,
        {"environment": [{"Name": "GIT_SHA", "Value": v}]},
    )
    v = r.hex(40)
    add("commit-sha-in-text", git + " in a deploy log", "text", v, f"deployed {v} to production")
    v = r.hex(40)
    add("commit-sha-in-query", git + " as ?ref=", "query", v, ("ref", v), {"ref": sha})
    v = r.hex(40)
    add("commit-sha-in-header", git + " in X-Git-Commit", "resp_header", v, ("X-Git-Commit", v))
    v = r.hex(7)
    add("short-sha-in-version", "git describe output", "json", v + "-dirty", {"version": f"1.4.2-14-g{v}-dirty"})
    # image digests
    for n, name in enumerate(["digest", "image_digest", "configDigest"]):
        field(f"image-digest-field-{n}", oci, name, "sha256:" + r.hex(64), digest if n != 2 else None)
    v = "sha256:" + r.hex(64)
    add("image-ref-with-digest", oci + " in an image reference", "json", v, {"image": f"registry.example/app@{v}"})
    for n, name in enumerate(["IMAGE_DIGEST", "BASE_IMAGE"]):
        v = "sha256:" + r.hex(64)
        add(
            f"image-digest-in-pair-list-{n}",
            oci + " in a name/value list",
            "json",
            v,
            {"env": [{"name": name, "value": v}]},
        )
    v = "sha256:" + r.hex(64)
    add(
        "docker-content-digest-header",
        "Docker Registry HTTP API V2: Docker-Content-Digest",
        "resp_header",
        v,
        ("Docker-Content-Digest", v),
        {"Docker-Content-Digest": digest},
    )
    v = "sha256:" + r.hex(64)
    add("image-digest-gzip-body", oci + " in a gzip body", "gzip_json", v, {"digest": v}, {"digest": digest})
    # UUIDs
    for n, name in enumerate(["id", "tenant_id", "key_id", "correlation_id", "installation_uuid"]):
        field(
            f"uuid-{n}", "RFC 9562 UUIDs", name, _uuid(r), {"type": "string", "format": "uuid"} if n % 2 == 0 else None
        )
    v = _uuid(r)
    add("uuid-header", "RFC 9562 UUID in X-Correlation-Id", "resp_header", v, ("X-Correlation-Id", v))
    v = _uuid(r)
    add("uuid-query", "RFC 9562 UUID as a query id", "query", v, ("order_id", v))
    # ids that follow their documented pattern
    patterned = [
        ("customer-id", "Stripe docs: object ids (cus_)", "customer", "cus_" + r.text(14), "^cus_[A-Za-z0-9]{14}$"),
        (
            "payment-intent-id",
            "Stripe docs: object ids (pi_)",
            "payment_intent",
            "pi_3" + r.text(23),
            "^pi_[A-Za-z0-9]{24}$",
        ),
        (
            "node-id",
            "GitHub GraphQL global node ids",
            "node_id",
            "MDQ6VXNlcj" + r.text(10, ALNUM),
            "^[A-Za-z0-9+/=_-]{12,}$",
        ),
        ("job-id", "a 32-character job id documented by its pattern", "job_id", r.text(32), "^[A-Za-z0-9]{32}$"),
        (
            "upload-id",
            "S3 CreateMultipartUpload UploadId, documented pattern",
            "upload_id",
            r.text(64, B64URL),
            "^[A-Za-z0-9_-]{40,}$",
        ),
        ("trace-id", "W3C Trace Context trace-id (32 hex)", "trace_id", r.hex(32), "^[0-9a-f]{32}$"),
        ("span-id", "W3C Trace Context parent-id (16 hex)", "span_id", r.hex(16), "^[0-9a-f]{16}$"),
        (
            "cursor",
            "an opaque pagination cursor with a documented pattern",
            "cursor",
            r.text(44, B64URL),
            "^[A-Za-z0-9_-]{20,64}$",
        ),
        ("object-id", "MongoDB ObjectId (24 hex)", "_id", r.hex(24), "^[0-9a-f]{24}$"),
        (
            "ulid",
            "ULID spec: 26 Crockford base32",
            "event_id",
            "01J" + r.text(23, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"),
            "^[0-9A-HJKMNP-TV-Z]{26}$",
        ),
        ("ksuid", "Segment KSUID (27 base62)", "ksuid", "2" + r.text(26), "^[0-9A-Za-z]{27}$"),
        (
            "fingerprint",
            "SSH key fingerprint SHA256:<43 base64>",
            "fingerprint",
            "SHA256:" + r.text(43, ALNUM + "+/"),
            "^SHA256:[A-Za-z0-9+/]{43}$",
        ),
        ("place-id", "Google Places place_id", "place_id", "ChIJ" + r.text(23, B64URL), "^ChIJ[A-Za-z0-9_-]{23}$"),
        ("ipfs-cid", "IPFS CIDv1 base32", "cid", "bafybei" + r.text(52, BASE32.lower()), "^baf[a-z2-7]{56}$"),
        ("build-id", "a CI build id documented by pattern", "build_id", r.text(20, UPPER_ALNUM), "^[A-Z0-9]{20}$"),
        (
            "s3-version-id",
            "S3 VersionId, documented pattern",
            "version_id",
            r.text(32, ALNUM + "._"),
            "^[A-Za-z0-9._]{32}$",
        ),
        ("resource-version", "Kubernetes resourceVersion", "resourceVersion", r.digits(9), "^[0-9]+$"),
        (
            "slack-channel-id",
            "Slack docs: conversation ids",
            "channel",
            "C" + r.text(10, UPPER_ALNUM),
            "^C[A-Z0-9]{8,12}$",
        ),
        (
            "twilio-account-sid",
            "Twilio docs: Account SID AC + 32 hex (an identifier)",
            "account_sid",
            "AC" + r.hex(32),
            "^AC[0-9a-f]{32}$",
        ),
        ("eth-address", "Ethereum address 0x + 40 hex", "address", "0x" + r.hex(40), "^0x[0-9a-fA-F]{40}$"),
        ("tx-hash", "Ethereum transaction hash", "tx_hash", "0x" + r.hex(64), "^0x[0-9a-f]{64}$"),
        (
            "token-id-pattern",
            "an id of a token (not the token), documented pattern",
            "token_id",
            "tok_" + r.text(24),
            "^tok_[A-Za-z0-9]{24}$",
        ),
        (
            "key-fingerprint-name",
            "a key id named key_ref with a documented pattern",
            "key_ref",
            r.hex(40),
            "^[0-9a-f]{40}$",
        ),
    ]
    for label, source, name, value, pattern in patterned:
        field(f"patterned-{label}", source, name, value, {"type": "string", "pattern": pattern})
    v = "pi_3" + r.text(23)
    add("patterned-id-in-xml", "an XML id element", "xml", v, f"<PaymentId>{v}</PaymentId>")
    # dates and other values in fields whose names contain password, secret, token or key
    dated = [
        (
            "password-changed-at",
            "password_changed_at",
            "2026-03-14T09:26:53Z",
            {"type": "string", "format": "date-time"},
        ),
        (
            "password-expires-at",
            "password_expires_at",
            "2027-01-01T00:00:00Z",
            {"type": "string", "format": "date-time"},
        ),
        ("last-password-reset", "last_password_reset", "2025-11-30", {"type": "string", "format": "date"}),
        ("password-updated-on", "passwordUpdatedOn", "2026-02-02", {"type": "string", "format": "date"}),
        (
            "secret-rotated-at",
            "secret_rotated_at",
            "2026-05-05T05:05:05+02:00",
            {"type": "string", "format": "date-time"},
        ),
        ("token-expires-at", "token_expires_at", "2026-12-31T23:59:59Z", {"type": "string", "format": "date-time"}),
        ("api-key-created", "api_key_created", "2024-07-01T12:00:00.000Z", {"type": "string", "format": "date-time"}),
        (
            "password-reset-email",
            "password_reset_email",
            "ops+reset@example.test",
            {"type": "string", "format": "email"},
        ),
        ("token-url", "token_url", "https://auth.example.test/oauth/token", {"type": "string", "format": "uri"}),
        ("password-hint-len", "password_min_length", "12", {"type": "string", "pattern": "^[0-9]+$"}),
        ("password-date-undescribed", "password_last_set", "2026-04-01T08:00:00Z", None),
    ]
    for label, name, value, schema in dated:
        field(
            f"dated-{label}",
            "OpenAPI formats date, date-time, email, uri on credential-named fields",
            name,
            value,
            schema,
        )
    # enum values
    enums = [
        ("token-type", "token_type", "Bearer", ["Bearer", "MAC"]),
        ("grant-type", "grant_type", "client_credentials", ["client_credentials", "authorization_code"]),
        (
            "auth-method",
            "token_endpoint_auth_method",
            "client_secret_basic",
            ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        ),
        ("password-policy", "password_policy", "strong", ["strong", "legacy"]),
        (
            "secret-type",
            "secret_type",
            "kubernetes.io/service-account-token",
            ["Opaque", "kubernetes.io/service-account-token"],
        ),
        ("channel-code", "channel_code", (c := r.text(12, UPPER_ALNUM)), [c, r.text(12, UPPER_ALNUM)]),
        ("plan-code", "plan", (p := "pl_" + r.text(20)), [p, "pl_" + r.text(20)]),
        ("key-algorithm", "key_algorithm", "ECDSA_P256_SHA256", ["RSA_2048", "ECDSA_P256_SHA256"]),
        ("api-key-scope", "api_key_scope", (s := "scope_" + r.text(18)), [s]),
    ]
    for label, name, value, options in enums:
        field(f"enum-{label}", "OpenAPI enum", name, value, {"type": "string", "enum": options})
    # keys vendors document as public
    public = [
        (
            "stripe-publishable-live",
            "Stripe docs: publishable keys are safe to expose (pk_live_)",
            "publishable_key",
            "pk_live_" + r.text(99),
        ),
        (
            "stripe-publishable-test",
            "Stripe docs: publishable keys (pk_test_)",
            "publishableKey",
            "pk_test_" + r.text(99),
        ),
        (
            "mapbox-public-token",
            "Mapbox docs: public tokens (pk.)",
            "mapbox_token",
            "pk.eyJ1Ijoi" + r.text(40, B64URL) + "." + r.text(22, B64URL),
        ),
        (
            "adyen-client-key",
            "Adyen docs: client key is public (live_)",
            "clientKey",
            "live_" + r.text(32, UPPER_ALNUM),
        ),
        (
            "square-application-id",
            "Square docs: application id (sq0idp-) is not secret",
            "application_id",
            "sq0idp-" + r.text(22, B64URL),
        ),
        ("razorpay-key-id", "Razorpay docs: key id is public (rzp_live_)", "key_id", "rzp_live_" + r.text(14)),
        (
            "recaptcha-site-key",
            "Google reCAPTCHA docs: site key is public",
            "site_key",
            "6L" + r.text(38, ALNUM + "-_"),
        ),
        (
            "clerk-publishable",
            "Clerk docs: publishable key (pk_live_)",
            "clerk_publishable_key",
            "pk_live_" + base64.b64encode(b"clerk.example.test$").decode(),
        ),
        ("algolia-app-id", "Algolia docs: application id is public", "algolia_app_id", r.text(10, UPPER_ALNUM)),
        ("publishable-in-header", "Stripe publishable key in a response header", "", ""),
    ]
    for label, source, name, value in public:
        if not name:
            v = "pk_live_" + r.text(60)
            add(f"public-{label}", source, "resp_header", v, ("X-Publishable-Key", v))
            continue
        field(f"public-{label}", source, name, value)
    # public keys
    field(
        "ssh-ed25519-public-key",
        "RFC 8709 ssh-ed25519 public key (GitHub /user/keys: key)",
        "key",
        _ssh_key(r, "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAI", 24),
    )
    field(
        "ssh-rsa-public-key",
        "RFC 4253 ssh-rsa public key",
        "public_key",
        _ssh_key(r, "ssh-rsa", "AAAAB3NzaC1yc2EAAAADAQABAAABAQ", 256),
    )
    field(
        "ecdsa-public-key",
        "RFC 5656 ecdsa-sha2-nistp256 public key",
        "authorized_key",
        _ssh_key(r, "ecdsa-sha2-nistp256", "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAI", 72),
    )
    field("pem-public-key", "RFC 7468 BEGIN PUBLIC KEY", "verification_key", _pem_public(r, "PUBLIC KEY", 294))
    field("pem-certificate", "RFC 7468 BEGIN CERTIFICATE", "certificate", _pem_public(r, "CERTIFICATE", 600))
    field("pgp-public-key", "RFC 4880 PGP PUBLIC KEY BLOCK", "gpg_key", _pem_public(r, "PGP PUBLIC KEY BLOCK", 400))
    v = _ssh_key(r, "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAI", 24)
    add("ssh-public-key-in-text", "authorized_keys line", "text", v, v)
    jwks = {"kty": "RSA", "kid": r.hex(16), "n": r.b64url(256), "e": "AQAB"}
    jwk_schema = {
        "type": "array",
        "items": {"type": "object", "properties": {"n": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"}}},
    }
    add("jwks-modulus", "RFC 7517 JWK public key (n, e)", "json", jwks["n"], {"keys": [jwks]}, {"keys": jwk_schema})
    # content hashes
    data = r.random.randbytes(64)
    hashes = [
        ("md5", "checksum", hashlib.md5(data).hexdigest()),
        ("sha1", "sha1", hashlib.sha1(data).hexdigest()),
        ("sha256", "sha256", hashlib.sha256(data).hexdigest()),
        ("sha512", "sha512", hashlib.sha512(data).hexdigest()),
        ("sri-integrity", "integrity", "sha512-" + base64.b64encode(hashlib.sha512(data + b"1").digest()).decode()),
        ("npm-shasum", "shasum", hashlib.sha1(data + b"2").hexdigest()),
        ("blake2", "blake2b", hashlib.blake2b(data).hexdigest()),
    ]
    for label, name, value in hashes:
        field(f"hash-{label}", "content hashes (RFC 1321, FIPS 180-4, W3C SRI, npm dist)", name, value)
    md5b64 = base64.b64encode(hashlib.md5(data + b"3").digest()).decode()
    add("hash-content-md5-header", "RFC 1864 Content-MD5", "resp_header", md5b64, ("Content-MD5", md5b64))
    goog = f"crc32c={base64.b64encode(r.random.randbytes(4)).decode()},md5={base64.b64encode(r.random.randbytes(16)).decode()}"
    add("hash-x-goog-hash-header", "Google Cloud Storage x-goog-hash", "resp_header", goog, ("x-goog-hash", goog))
    dig = "sha-256=" + base64.b64encode(hashlib.sha256(data + b"4").digest()).decode()
    add("hash-digest-header", "RFC 3230 Digest header", "resp_header", dig, ("Digest", dig))
    v = hashlib.sha256(data + b"5").hexdigest()
    add("hash-checksum-header", "Artifactory X-Checksum-Sha256", "resp_header", v, ("X-Checksum-Sha256", v))
    v = hashlib.sha256(data + b"6").hexdigest()
    add("hash-in-xml", "S3 ChecksumSHA256-like element", "xml", v, f"<Checksum>{v}</Checksum>")
    v = hashlib.sha1(data + b"7").hexdigest()
    add("hash-in-html", "a hash in an HTML page", "html", v, f"<code>{v}</code>")
    # ETags
    field("etag-field", "RFC 9110 entity tag in a JSON field", "etag", '"' + r.hex(32) + '"')
    field("etag-weak-field", "RFC 9110 weak entity tag", "etag_weak", 'W/"' + r.hex(8) + "-" + r.text(27, B64URL) + '"')
    field(
        "etag-gcs",
        "Google Cloud Storage etag",
        "gcs_etag",
        "C" + r.text(14, ALNUM) + "EAE=",
        {"type": "string", "pattern": "^C[A-Za-z0-9+/]+=*$"},
    )
    field("etag-s3-multipart", "S3 multipart ETag (md5-N)", "ETag", '"' + r.hex(32) + '-12"')
    # request ids in headers that are not volatile
    tp = f"00-{r.hex(32)}-{r.hex(16)}-01"
    add("request-traceparent", "W3C Trace Context traceparent", "resp_header", tp, ("traceparent", tp))
    v = f"{r.hex(32)}/{r.digits(19)};o=1"
    add("request-cloud-trace", "Google X-Cloud-Trace-Context", "resp_header", v, ("X-Cloud-Trace-Context", v))
    v = _uuid(r)
    add("request-ms-request-id", "Azure x-ms-request-id", "resp_header", v, ("x-ms-request-id", v))
    v = r.text(32, ALNUM + "._")
    add("request-s3-version-id", "S3 x-amz-version-id", "resp_header", v, ("x-amz-version-id", v))
    v = f"Root=1-{r.hex(8)}-{r.hex(24)}"
    add("request-xray-trace", "AWS X-Amzn-Trace-Id", "resp_header", v, ("X-Amzn-Trace-Id", v))
    v = r.text(20, UPPER_ALNUM)
    add("request-id-in-body", "a request id field", "json", v, {"requestId": v})
    v = _uuid(r)
    add("request-id-request-header", "X-Request-Id the client sends", "req_header", v, ("X-Request-Id", v))
    v = r.hex(32)
    add(
        "request-idempotency-key",
        "Stripe Idempotency-Key (a client nonce, not a credential), documented by its pattern",
        "req_header",
        v,
        ("Idempotency-Key", v),
        {"Idempotency-Key": {"type": "string", "pattern": "^[0-9a-f]{32}$"}},
    )
    # base64 of ordinary text
    readme = "# Shop API\n\nRun `make test` before pushing. Issues go to the tracker.\n" * 3
    b64 = base64.b64encode(readme.encode()).decode()
    wrapped = "\n".join(b64[i : i + 60] for i in range(0, len(b64), 60)) + "\n"
    add(
        "base64-readme-content",
        "GitHub contents API of a README (base64, wrapped)",
        "json",
        wrapped.split("\n")[1],
        {"type": "file", "encoding": "base64", "content": wrapped},
    )
    cursor = base64.b64encode(json.dumps({"offset": 40, "sort": "created"}).encode()).decode()
    field(
        "base64-json-cursor",
        "base64 of a JSON pagination cursor (format: byte)",
        "next_cursor",
        cursor,
        {"type": "string", "format": "byte"},
    )
    greeting = base64.b64encode(b"Hello from the build server, all green today").decode()
    field("base64-text", "base64 of a plain sentence", "message_b64", greeting)
    config = base64.b64encode(b"log_level: info\nworkers: 4\nregion: eu-west-1\n").decode()
    add(
        "base64-configmap",
        "Kubernetes ConfigMap binaryData of a plain config",
        "json",
        config,
        {"kind": "ConfigMap", "binaryData": {"app.yaml": config}},
    )
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + r.random.randbytes(60)).decode()
    field("base64-image", "a data URI of an image", "avatar", "data:image/png;base64," + png)
    # other random-looking identifiers
    others = [
        ("aws-account-id", "account_id", r.digits(12)),
        ("aws-arn", "role_arn", f"arn:aws:iam::{r.digits(12)}:role/deploy-{r.text(8, LOWER_ALNUM)}"),
        ("s3-key", "object_key", f"uploads/2026/{r.hex(32)}.tar.gz", "^uploads/"),
        ("semver", "version", "3.14.159-rc.2+build.2653"),
        (
            "bitcoin-address",
            "btc_address",
            "bc1q" + r.text(38, "qpzry9x8gf2tvdw0s3jn54khce6mua7l"),
            "^bc1[02-9ac-hj-np-z]{39,59}$",
        ),
        ("youtube-id", "video_id", r.text(11, B64URL), "^[A-Za-z0-9_-]{11}$"),
        ("snowflake-id", "message_id", r.digits(19)),
        ("hex-color-palette", "palette", "#" + r.hex(6) + ",#" + r.hex(6)),
        ("file-name-hash", "asset", f"app.{r.hex(20)}.js"),
        ("public-url", "homepage", "https://example.test/docs/getting-started?utm_source=" + r.text(10, LOWER_ALNUM)),
        ("integrity-in-lockfile", "resolved", f"https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz#{r.hex(40)}"),
        ("random-slug", "slug", r.text(8, LOWER_ALNUM) + "-" + r.text(8, LOWER_ALNUM)),
    ]
    for label, name, value, *pattern in others:
        schema = {"type": "string", "pattern": pattern[0]} if pattern else None
        field(f"id-{label}", "identifiers of public records", name, value, schema)
    v = "AKIAIOSFODNN7EXAMPLE"
    add(
        "aws-documented-example-key-id",
        "AWS docs: the documented example access key id (gitleaks allow-list .+EXAMPLE$)",
        "json",
        v,
        {"example_access_key_id": v},
    )
    v = r.hex(40)
    add("sha-in-utf16", "a commit SHA in a UTF-16 body", "utf16_json", v, {"sha": v}, {"sha": sha})
    v = "sha256:" + r.hex(64)
    add("digest-in-deflate", "an image digest in a deflate body", "deflate_json", v, {"digest": v}, {"digest": digest})
    v = r.hex(40)
    add("sha-in-form-response", "a commit SHA in a form response", "form_resp", v, ("commit", v))
    v = r.hex(40)
    add("sha-in-form-request", "a commit SHA in a form request", "form_req", v, ("sha", v))
    v = _uuid(r)
    add("uuid-in-graphql", "a UUID in GraphQL variables", "graphql_req", v, ("var", "orderId", v))
    v = r.hex(40)
    add("sha-in-multipart", "a commit SHA in a multipart part", "multipart_req", v, ("revision", None, None, v))
    v = r.hex(40)
    add("sha-in-path", "a commit SHA in the URL path", "path", v, v)
    # the names and ordinary values of pair lists: X is never a secret, and Y is judged by X
    pair_neighbours = [
        (
            "cloudformation-name",
            {"ParameterKey": "DeployEnvironmentName", "ParameterValue": "blue"},
            "DeployEnvironmentName",
        ),
        ("cloudformation-value", {"ParameterKey": "Stage", "ParameterValue": "production-blue-7"}, "production-blue-7"),
        ("aws-tag-name", {"Key": "CostCenterCode", "Value": "cc-4411"}, "CostCenterCode"),
        ("aws-tag-value", {"Key": "Owner", "Value": "platform-team-north"}, "platform-team-north"),
        ("key-value-name", {"key": "feature.search.enabled", "value": "true"}, "feature.search.enabled"),
        ("ecs-name-value", {"Name": "LOG_LEVEL_DEFAULT", "Value": "debug-verbose"}, "debug-verbose"),
        ("k8s-name-value", {"name": "AWS_REGION_PRIMARY", "value": "eu-west-1"}, "AWS_REGION_PRIMARY"),
        (
            "gitlab-variable-name",
            {"variable_type": "env_var", "key": "KEY_ROTATION_DAYS", "value": "90"},
            "KEY_ROTATION_DAYS",
        ),
    ]
    for label, pair, core in pair_neighbours:
        add(
            f"pairs-{label}",
            "ordinary entries of name/value lists (CloudFormation, AWS tags, Consul, ECS, Kubernetes, GitLab)",
            "json",
            core,
            {"env": [pair]},
        )
    add(
        "multipart-boundary",
        "RFC 2046 multipart boundary: structure, not a credential",
        "multipart_req",
        BOUNDARY,
        None,
    )
    v = r.hex(40)
    add("sha-in-yaml", "a commit SHA in a YAML document", "yaml", v, f"build:\n  commit: {v}")
    v = "sha256:" + r.hex(64)
    add("digest-in-yaml", "an image digest in a YAML document", "yaml", v, f"image:\n  digest: '{v}'")
    v = _uuid(r)
    add("uuid-in-sse", "a UUID in a server-sent event", "sse", v, {"type": "created", "id": v})
    v = r.hex(40)
    add("sha-in-sse", "a commit SHA in a server-sent event", "sse", v, {"type": "push", "after": v})
    v = "2026-06-01T10:00:00Z"
    add(
        "password-date-in-yaml",
        "a date under a password-named YAML key",
        "yaml",
        v,
        f"account:\n  password_changed_at: '{v}'",
    )
    v = f"https://app.example/welcome?ref={r.hex(12)}"
    add("location-without-credential", "a Location header with an ordinary query", "resp_header", v, ("Location", v))
    return made
