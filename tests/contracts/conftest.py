"""The contract suite of devctl: its client code against the Pact mock server of each provider."""

from __future__ import annotations

import os

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
