"""Scaffolding: a new project (`contracts init`) and a new provider from its description (`contracts provider add`)."""

from contractkit.scaffold.init import InitResult, init_project
from contractkit.scaffold.provider import AddedProvider, RequestedOperation, add_provider, parse_route
from contractkit.scaffold.skeleton import build_skeleton, matchers_for, render_skeleton

__all__ = [
    "AddedProvider",
    "InitResult",
    "RequestedOperation",
    "add_provider",
    "build_skeleton",
    "init_project",
    "matchers_for",
    "parse_route",
    "render_skeleton",
]
