"""AWS answers seeded from botocore's shapes hold valid values: real dates (the period asked for), numbers
where Cost Explorer sends amounts, a currency; and a provider process that cannot start fails its rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from contractkit.cassettes import load_cassette
from contractkit.recording.seed import botocore_string

AWS_REGISTRY = """version: 1
consumer: demo
providers:
  aws:
    kind: aws
    base_url: http://127.0.0.1:5000
    auth: {scheme: aws-sigv4, env: [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY]}
    cassettes: cassettes/aws
    record:
      params:
        forecast: {TimePeriod: {Start: "2026-03-01", End: "2026-04-01"}, Granularity: MONTHLY, Metric: UNBLENDED_COST}
    operations:
      forecast: {service: ce, operation: GetCostForecast, safe: true}
"""


def test_from_spec_botocore_writes_valid_dates_amounts_and_the_period_asked_for(tmp_path: Path, run_cli) -> None:
    (tmp_path / "registry.yaml").write_text(AWS_REGISTRY)
    code, out, err = run_cli(
        "record", "--registry", str(tmp_path / "registry.yaml"), "--provider", "aws", "--from-spec", "botocore"
    )
    assert code == 0, out + err
    cassette = load_cassette(tmp_path / "cassettes" / "aws" / "forecast.yaml")
    text = (tmp_path / "cassettes" / "aws" / "forecast.yaml").read_text()
    assert "0000-00-00" not in text and '"example"' not in text
    answer = cassette.interactions[0].response.json()
    period = answer["ForecastResultsByTime"][0]["TimePeriod"]
    assert (date.fromisoformat(period["Start"]), date.fromisoformat(period["End"])) == (
        date(2026, 3, 1),
        date(2026, 4, 1),
    )
    result = answer["ForecastResultsByTime"][0]
    bounds = [
        Decimal(result[key]) for key in ("PredictionIntervalLowerBound", "MeanValue", "PredictionIntervalUpperBound")
    ]
    assert bounds == sorted(bounds)
    assert Decimal(answer["Total"]["Amount"]) >= 0 and answer["Total"]["Unit"] == "USD"
    assert cassette.metadata["source"] == "botocore-schema" and "seeded_because" not in cassette.metadata


def test_a_date_pattern_gives_a_real_date_and_other_patterns_are_kept() -> None:
    pattern = r"(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}Z)?"
    assert date.fromisoformat(botocore_string(pattern, "YearMonthDay", "Start")) == date(2026, 1, 15)
    assert botocore_string(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z") == "2026-01-15T09:30:00Z"
    assert botocore_string(r"[a-z]{3}") == "aaa"
    assert botocore_string(None, "GenericString", "MeanValue") == "1.00"


def test_rerecord_reports_a_provider_process_that_cannot_start_and_goes_on(tmp_path: Path, run_cli) -> None:
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: demo\nproviders:\n  broken:\n    base_url: http://127.0.0.1:9\n    auth: {scheme: none}\n"
        "    cassettes: cassettes/broken\n"
        '    process: {command: ["{python}", "-c", "import sys; print(\'no database\'); sys.exit(3)"], health: /health}\n'
        "    record: {requests: {ping: {}}}\n    operations:\n      ping: {method: GET, path: /ping, safe: true}\n"
        "  vendor:\n    base_url: http://127.0.0.1:9\n    auth: {scheme: bearer, env: VENDOR_TOKEN}\n"
        "    operations:\n      ping: {method: GET, path: /ping, safe: true}\n"
    )
    code, out, err = run_cli("rerecord", "--registry", str(tmp_path / "registry.yaml"), "--format", "text")
    assert code == 1, out + err
    assert "FAILED [record] broken / ping / failed: the provider process did not start: " in out
    assert "no database" in out
    assert (
        "SKIPPED [record] vendor / ping / skipped: registry.yaml:14: providers.vendor.auth.env: provider 'vendor' needs "
        "the environment variable VENDOR_TOKEN for its bearer auth, and VENDOR_TOKEN is not set. export VENDOR_TOKEN"
    ) in out
    assert not (tmp_path / "cassettes" / "broken").exists()
