"""A credential written into a provider block is one finding: the provider's own
static-credentials rule reports it, the generic literal-secret rule leaves it alone."""

from __future__ import annotations

import pytest
from tests.conftest import ScanFiles


@pytest.mark.parametrize(
    ("provider", "argument", "rule"),
    [
        (
            "aws",
            'secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"',
            "aws-provider-static-credentials",
        ),
        (
            "azurerm",
            'client_secret = "Qm9vdHN0cmFwLXNlY3JldC0xMjM0NTY3ODkw"',
            "azure-provider-static-credentials",
        ),
    ],
)
def test_a_provider_credential_is_reported_once(
    scan_files: ScanFiles, provider: str, argument: str, rule: str
) -> None:
    result = scan_files({"main.tf": f'provider "{provider}" {{\n  {argument}\n}}\n'})
    found = [f.rule_id for f in result.all_findings() if f.range.start.line == 1]
    assert found == [rule]
