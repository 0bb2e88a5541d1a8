"""The failure corpus replayed first: every saved case is sent again and re-checked (beside the engine's run when
both send only GET and HEAD over HTTP, so neither can change what the provider answers the other)."""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from contractkit.core.codes import Code
from contractkit.fuzz.corpus import Corpus, CorpusCase
from contractkit.fuzz.endpoints import Credentials, mask_credentials
from contractkit.fuzz.model import CODES, SAFE_METHODS, FuzzFailure, failure_signature

if TYPE_CHECKING:
    from schemathesis.schemas import BaseSchema


def replay_corpus(
    schema: BaseSchema,
    corpus: Corpus,
    labels: set[str],
    *,
    base_url: str | None,
    credentials: Credentials,
    checks: Sequence[str],
    seed: int,
    timeout: float = 10.0,
) -> Iterator[FuzzFailure]:
    """Send every saved case of a chosen endpoint again and yield the failures it still shows.

    Over HTTP the cases share one keep-alive session that keeps no cookies, so no case sees another's."""
    chosen = [saved for saved in corpus.cases if saved.operation in labels and saved.check in checks]
    if not chosen:
        return
    with contextlib.ExitStack() as stack:
        session = stack.enter_context(_cookieless_session()) if base_url is not None else None
        for saved in chosen:
            yield from _replay_case(
                schema, saved, base_url=base_url, credentials=credentials, seed=seed, timeout=timeout, session=session
            )


def start_replay(
    schema: BaseSchema,
    corpus: Corpus,
    labels: set[str],
    *,
    base_url: str | None,
    credentials: Credentials,
    checks: Sequence[str],
    seed: int,
    timeout: float = 10.0,
    engine_reads_only: bool = False,
) -> Callable[[], list[FuzzFailure]]:
    """Start replaying the corpus; the returned function gives its failures, in corpus order, once it is done.

    When the engine sends only GET and HEAD (`engine_reads_only`) and so does every case to replay, over HTTP,
    neither side can change what the provider answers the other, so the replay runs in a thread beside the
    engine's own run: its requests wait on the provider while schemathesis generates. Otherwise (a POST, PUT,
    PATCH or DELETE on either side, or an app in process) it runs to the end first, and the engine starts on
    the state it left.
    """

    def replay() -> list[FuzzFailure]:
        return list(
            replay_corpus(
                schema,
                corpus,
                labels,
                base_url=base_url,
                credentials=credentials,
                checks=checks,
                seed=seed,
                timeout=timeout,
            )
        )

    if base_url is None or not engine_reads_only or not is_side_effect_free(corpus, labels, checks):
        done = replay()
        return lambda: done
    return _in_thread(replay)


def is_side_effect_free(corpus: Corpus, labels: set[str], checks: Sequence[str]) -> bool:
    """Whether every case the replay would send uses a safe method (GET or HEAD)."""
    return all(
        saved.request.method.upper() in SAFE_METHODS
        for saved in corpus.cases
        if saved.operation in labels and saved.check in checks
    )


def _in_thread(work: Callable[[], list[FuzzFailure]]) -> Callable[[], list[FuzzFailure]]:
    """Run `work` in a daemon thread (an interrupted run does not wait for it); the result re-raises its error."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["failures"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, who raises it
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="contractkit-corpus-replay", daemon=True)
    thread.start()

    def result() -> list[FuzzFailure]:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["failures"]

    return result


def _cookieless_session() -> Any:
    """The session schemathesis makes for a single call (redirects followed on the same host only), kept for all
    of them, refusing every cookie."""
    import http.cookiejar

    from schemathesis.transport.requests import SameHostRedirectsSession

    session = SameHostRedirectsSession()
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    return session


def _replay_case(
    schema: BaseSchema,
    saved: CorpusCase,
    *,
    base_url: str | None,
    credentials: Credentials,
    seed: int,
    timeout: float,
    session: Any = None,
) -> Iterator[FuzzFailure]:
    from schemathesis.core.failures import Failure

    operation = schema.find_operation_by_label(saved.operation)
    if operation is None:
        return
    request = saved.request
    kwargs: dict[str, Any] = {
        "path_parameters": dict(request.path_parameters),
        "query": dict(request.query),
        "headers": dict(request.headers),
        "cookies": dict(request.cookies),
        "media_type": request.media_type,
    }
    if request.has_body:
        kwargs["body"] = request.body
    case = operation.Case(**kwargs)
    curl = mask_credentials(case.as_curl_command(headers=dict(credentials.headers), base_url=base_url), credentials)
    try:
        response = case.call(base_url=base_url, session=session, headers=dict(credentials.headers), timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - requests' and the app transports' errors share no base class
        # Unanswered is not fixed: the saved problem counts until a response shows otherwise.
        yield FuzzFailure(
            operation=saved.operation,
            check=saved.check,
            code=saved.code,
            title=saved.title,
            message=mask_credentials(f"the replayed request failed: {exc}", credentials),
            curl=curl,
            seed=saved.seed or seed,
            source="corpus",
            request=request,
            signature=saved.signature,
        )
        return
    failures: list[Any] = []
    if saved.check == "negative_data_rejection":
        # A replayed case carries no generation metadata, so the rejection rule is applied directly.
        if not 400 <= response.status_code < 500:
            failures.append(
                ("negative_data_rejection", saved.title, f"expected a 4xx, got {response.status_code}", saved.signature)
            )
    else:
        try:
            case.validate_response(response, headers=dict(credentials.headers))
        except BaseException as group:  # noqa: BLE001 - schemathesis raises a BaseExceptionGroup of failures
            if not isinstance(group, BaseExceptionGroup):
                raise
            for failure in group.exceptions:
                if isinstance(failure, Failure):
                    # A failure class can serve several checks; keep the one the case was saved for.
                    check = saved.check if saved.check in (failure.checks or ()) else _check_name(failure)
                    failures.append((check, failure.title, failure.message, failure_signature(failure)))
    for check, title, message, signature in failures:
        yield FuzzFailure(
            operation=saved.operation,
            check=check,
            code=CODES.get(check, Code.OTHER_CHECK),
            title=title,
            message=mask_credentials(message, credentials),
            curl=curl,
            seed=saved.seed or seed,
            status_code=response.status_code,
            source="corpus",
            request=request,
            signature=signature,
        )


def _check_name(failure: Any) -> str:
    names = getattr(failure, "checks", ()) or ()
    return names[0] if names else type(failure).__name__
