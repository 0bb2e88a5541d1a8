"""Secrets: the one detector (names, known credential formats, randomness, a run's own credentials) and the
scrubbing that keeps them out of cassettes, pacts, reports and logs: recorded interactions redacted in place,
reports masked, and the values that change on every run normalised."""

from contractkit.secrets.batch import batch_secrets, scrub_batch
from contractkit.secrets.detector import DOCUMENTED_EXAMPLES, Detector, is_secret_name, looks_random
from contractkit.secrets.masking import credential_environ, mask_text, mask_values
from contractkit.secrets.rules import KEEP_PATH
from contractkit.secrets.scrub import (
    ScrubRules,
    description_hints,
    dump_json,
    find_secrets,
    find_value_secrets,
    iter_interaction_secrets,
    mask_volatile,
    normalise_volatile,
    rules_for,
    rules_for_provider,
    scrub_check_result,
    scrub_interaction,
    scrub_text,
)

__all__ = [
    "DOCUMENTED_EXAMPLES",
    "Detector",
    "KEEP_PATH",
    "ScrubRules",
    "batch_secrets",
    "credential_environ",
    "description_hints",
    "dump_json",
    "find_secrets",
    "find_value_secrets",
    "is_secret_name",
    "iter_interaction_secrets",
    "looks_random",
    "mask_text",
    "mask_values",
    "mask_volatile",
    "normalise_volatile",
    "rules_for",
    "rules_for_provider",
    "scrub_batch",
    "scrub_check_result",
    "scrub_interaction",
    "scrub_text",
]
