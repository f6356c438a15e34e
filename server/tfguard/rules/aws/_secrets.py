"""Secret detection for the AWS rules (no rules here): the shared name matcher and secret
sources of :mod:`tfguard.secrets`, read through one place."""

from __future__ import annotations

from tfguard.module import Module
from tfguard.secrets import is_secret_name, secret_sources
from tfguard.syntax import Expr


def names_a_secret(name: str) -> bool:
    """A parameter or secret name whose last path segment names a secret
    (``/app/db/password``, ``prod-api-token``)."""
    last = name.strip("/").rsplit("/", 1)[-1]
    return bool(last) and is_secret_name(last)


def holds_secret(module: Module, expr: Expr) -> str | None:
    """What secret an expression passes on (``random_password.db.result``, a sensitive
    variable), or None."""
    found = secret_sources(module, expr)
    return found[0].description if found else None
