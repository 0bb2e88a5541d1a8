"""`--shard I/N`: the option that splits consumer, verify, validate and fuzz between CI runners."""

from __future__ import annotations

from typing import Callable, TypeVar

import click

from contractkit.core.shards import Shard, parse_shard

F = TypeVar("F", bound=Callable[..., object])

__all__ = ["shard_option"]


def _parse(_: click.Context, __: click.Parameter, value: str | None) -> Shard | None:
    return None if value is None else parse_shard(value)


def shard_option(unit: str) -> Callable[[F], F]:
    """`--shard I/N`: run only shard I of N of the work, split by `unit` (providers, operations, files)."""

    def decorate(function: F) -> F:
        return click.option(
            "--shard",
            "shard",
            default=None,
            metavar="I/N",
            callback=_parse,
            envvar="CONTRACTS_SHARD",
            help=f"Run shard I of N: the {unit} are split by a hash of their names; "
            "join the shards' JSON results with `contracts report merge`.",
        )(function)

    return decorate
