"""The Pact Broker, and can-i-deploy without one: publishing pacts, pacts for verification with consumer version
selectors (pending and work-in-progress included), verification results, can-i-deploy, deployments, releases and
environments, all by the broker's HAL relations; and the same matrix computed offline from git."""

from contractkit.broker.client import CREDENTIAL_VARIABLES, BrokerClient, BrokerError, BrokerSettings, HalResource
from contractkit.broker.deploy import (
    DeployAnswer,
    Environment,
    MatrixRow,
    VersionSelector,
    can_i_deploy,
    create_environment,
    list_environments,
    record_deployment,
    record_release,
)
from contractkit.broker.gitrepo import current_branch, current_commit
from contractkit.broker.offline import (
    PactOutcome,
    ResultsStore,
    can_i_deploy_offline,
    pact_digest,
    pact_outcomes,
    record_deployment_offline,
    record_verification,
)
from contractkit.broker.publish import PactToPublish, PublishOutcome, publish_pacts, read_pact_to_publish
from contractkit.broker.verification import (
    DEFAULT_SELECTORS,
    BrokerPact,
    InteractionResult,
    fetch_pacts_for_verification,
    pact_text,
    parse_selector,
    publish_verification_result,
)

__all__ = [
    "CREDENTIAL_VARIABLES",
    "DEFAULT_SELECTORS",
    "BrokerClient",
    "BrokerError",
    "BrokerPact",
    "BrokerSettings",
    "DeployAnswer",
    "Environment",
    "HalResource",
    "InteractionResult",
    "MatrixRow",
    "PactOutcome",
    "PactToPublish",
    "PublishOutcome",
    "ResultsStore",
    "VersionSelector",
    "can_i_deploy",
    "can_i_deploy_offline",
    "create_environment",
    "current_branch",
    "current_commit",
    "fetch_pacts_for_verification",
    "list_environments",
    "pact_digest",
    "pact_outcomes",
    "pact_text",
    "parse_selector",
    "publish_pacts",
    "publish_verification_result",
    "read_pact_to_publish",
    "record_deployment",
    "record_deployment_offline",
    "record_release",
    "record_verification",
]
