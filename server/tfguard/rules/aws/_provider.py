"""The AWS provider release a module uses: its version constraint and the lock file's pin
(read by :mod:`tfguard.rules.kit.providers`)."""

from __future__ import annotations

from tfguard.module import Module
from tfguard.rules.kit.providers import provider_versions


def locked_aws_version(module: Module) -> str | None:
    """The AWS provider release recorded in the module's dependency lock file."""
    return provider_versions(module, "aws").locked


def aws_constraint(module: Module) -> str | None:
    """The constraints written for hashicorp/aws, as one (None when there is none)."""
    return provider_versions(module, "aws").constraint
