"""`--shard I/N`: the option that splits consumer, verify, validate and fuzz between CI runners, and the stamp every
shard's saved report carries (its index and count, the command that ran, the run) so a merge can prove the set
complete."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import click

from contractkit.core.shards import Shard, ShardStamp, parse_shard

if TYPE_CHECKING:
    from contractkit.core.model import Report

F = TypeVar("F", bound=Callable[..., object])

__all__ = ["run_id", "shard_option", "stamp_report"]

_META = "contractkit.shard"
_NOT_WORK = frozenset({"shard", "output_path"})  # what differs between the shards of one command, or is no work


def _parse(ctx: click.Context, __: click.Parameter, value: str | None) -> Shard | None:
    shard = None if value is None else parse_shard(value)
    if shard is not None:
        ctx.meta[_META] = shard
    return shard


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


def run_id(environ: Mapping[str, str], cwd: Path | None = None) -> str:
    """The run the shards belong to: CONTRACTS_RUN_ID, else the CI run (GitHub's run id and attempt), else the
    commit checked out (so shards of two commits never merge)."""
    if environ.get("CONTRACTS_RUN_ID"):
        return environ["CONTRACTS_RUN_ID"]
    if environ.get("GITHUB_RUN_ID"):
        return f"github:{environ['GITHUB_RUN_ID']}.{environ.get('GITHUB_RUN_ATTEMPT', '1')}"
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=False, cwd=cwd)
    except OSError:
        return ""
    return f"commit:{done.stdout.strip()}" if done.returncode == 0 else ""


def _words(ctx: click.Context, skip: frozenset[str]) -> list[str]:
    """The command line as click parsed it: the command's path, then every parameter not left at its default."""
    words = shlex.split(ctx.command_path)
    for param in ctx.command.params:
        name = param.name or ""
        source = ctx.get_parameter_source(name)
        if name in skip or source is None or source.name in ("DEFAULT", "DEFAULT_MAP"):
            continue
        words += _param_words(param, ctx.params.get(name))
    return words


def _param_words(param: click.Parameter, value: Any) -> list[str]:
    values = list(value) if isinstance(value, (tuple, list)) else [value]
    if isinstance(param, click.Argument):
        return [str(item) for item in values]
    flag = max(param.opts, key=len)
    if getattr(param, "is_flag", False):
        return [flag] if value else []
    return [word for item in values for word in (flag, str(item))]


def stamp_report(report: Report) -> Report:
    """The report with its shard stamp, when the command running it was given `--shard I/N`."""
    ctx = click.get_current_context(silent=True)
    shard = ctx.meta.get(_META) if ctx is not None else None
    if ctx is None or not isinstance(shard, Shard):
        return report
    work = shlex.join(_words(ctx, _NOT_WORK))
    command = shlex.join([*_words(ctx, _NOT_WORK), "--shard", str(shard)])
    return replace(report, shard=ShardStamp(shard.index, shard.count, command, work, run_id(os.environ)))
