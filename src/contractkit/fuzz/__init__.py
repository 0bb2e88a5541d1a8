"""Fuzzing: schemathesis over every endpoint of a provider, with our error-format and consumer-compatibility
checks, a failure corpus replayed first, and the provider's own process started for the run.

Fuzzing the consumer's side (`--messages`) stands on the consumer runner, the message descriptions and their
validation; an HTTP fuzz run needs none of it, so its names are offered here and imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit.core.faces import import_on_use
from contractkit.fuzz.checks import iter_error_format_problems, load_error_validator, load_expectations
from contractkit.fuzz.corpus import Corpus, CorpusCase, CorpusError, CorpusRequest, load_corpus, save_corpus
from contractkit.fuzz.endpoints import Endpoint, iter_endpoints, select_endpoints
from contractkit.fuzz.model import (
    ALL_CHECKS,
    ALL_PHASES,
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_PHASES,
    FuzzError,
    FuzzFailure,
    FuzzOptions,
    FuzzProgress,
    FuzzRun,
)
from contractkit.fuzz.runner import fuzz_provider

if TYPE_CHECKING:
    from contractkit.fuzz.messages import (
        MESSAGE_FUZZ_CHECK,
        MessageCorpusError,
        MessageCrash,
        MessageFuzzOptions,
        MessageFuzzRun,
        fuzz_messages,
    )

__all__ = [
    "MESSAGE_FUZZ_CHECK",
    "MessageCorpusError",
    "MessageCrash",
    "MessageFuzzOptions",
    "MessageFuzzRun",
    "fuzz_messages",
    "ALL_CHECKS",
    "ALL_PHASES",
    "Corpus",
    "CorpusCase",
    "CorpusError",
    "CorpusRequest",
    "DEFAULT_MAX_EXAMPLES",
    "DEFAULT_PHASES",
    "Endpoint",
    "FuzzError",
    "FuzzFailure",
    "FuzzOptions",
    "FuzzProgress",
    "FuzzRun",
    "fuzz_provider",
    "iter_endpoints",
    "iter_error_format_problems",
    "load_corpus",
    "load_error_validator",
    "load_expectations",
    "save_corpus",
    "select_endpoints",
]

# module -> the names it offers through this face, imported when one of them is first read
__getattr__ = import_on_use(
    __name__,
    {
        "messages": (
            "MESSAGE_FUZZ_CHECK",
            "MessageCorpusError",
            "MessageCrash",
            "MessageFuzzOptions",
            "MessageFuzzRun",
            "fuzz_messages",
        )
    },
)
