"""Account-level security services (no rules here): whether a module is an account
baseline, the module that switches on an account's security services.

A module that manages at least two of the account-wide security settings below (GuardDuty,
Security Hub, AWS Config, the IAM password policy, EBS encryption by default, the S3
account public access block, IAM Access Analyzer, Macie) is taken to be the account's baseline;
the account-level rules ask it for the services it leaves out. A module that manages a single
one of them (a GuardDuty module, a password-policy module) is not asked about the others.
"""

from __future__ import annotations

from tfguard.module import Entity, Module
from tfguard.rules.kit.resources import live

BASELINE_TYPES = (
    "aws_guardduty_detector",
    "aws_securityhub_account",
    "aws_config_configuration_recorder",
    "aws_iam_account_password_policy",
    "aws_ebs_encryption_by_default",
    "aws_s3_account_public_access_block",
    "aws_accessanalyzer_analyzer",
    "aws_macie2_account",
)


def baseline(module: Module) -> list[Entity]:
    """The account-level resources of a module that is an account baseline (see the module
    docstring), in file order; empty for any other module."""
    found = live(module, *BASELINE_TYPES)
    if len({e.type for e in found}) < 2:
        return []
    return sorted(found, key=lambda e: (e.path, e.abs(e.block.range).start))
