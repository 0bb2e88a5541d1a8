"""The consumer's side: contract files (contracts/<provider>.yaml) through the Pact mock server into pacts/."""

from contractkit.consumer.contractfile import (
    MATCHER_OPTIONS,
    AwsCall,
    ContractFile,
    ContractInteraction,
    HttpRequest,
    HttpResponse,
    Matcher,
    child_path,
    example_of,
    load_contract_file,
    to_pact_value,
)
from contractkit.consumer.run import (
    MockService,
    ShapedInteraction,
    apply_null_or,
    build_pact,
    check_contract_interaction,
    describe_mismatch,
    iter_schema_findings,
    load_shaped,
    merge_fragments,
    merge_pacts,
    replay_request,
    run_consumer,
    run_provider,
    select_interactions,
    serve,
    shape_interaction,
    write_fragment,
    write_pact,
    write_pacts_from_fragments,
)

__all__ = [
    "AwsCall", "ContractFile", "ContractInteraction", "HttpRequest", "HttpResponse", "MATCHER_OPTIONS", "Matcher",
    "MockService", "ShapedInteraction", "apply_null_or", "build_pact", "check_contract_interaction", "child_path",
    "describe_mismatch", "example_of", "iter_schema_findings", "load_contract_file", "load_shaped",
    "merge_fragments", "merge_pacts", "replay_request", "run_consumer", "run_provider", "select_interactions",
    "serve", "shape_interaction", "to_pact_value", "write_fragment", "write_pact", "write_pacts_from_fragments",
]
