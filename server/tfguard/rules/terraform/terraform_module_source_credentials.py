from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.terraform._modules import module_sources
from tfguard.rules.terraform._sources import url_credentials


class ModuleSourceCredentials(Rule):
    id = "terraform-module-source-credentials"
    title = "Module source address contains credentials"
    severity = Severity.CRITICAL
    rationale = (
        "A password or token in a module source (https://user:token@host/..., a token used "
        "as the user name, or an sshkey= private key) is committed with the code, printed in "
        "init output and CI logs, and written to .terraform/modules/modules.json. It usually "
        "grants read, often write, access to the organisation's repositories."
    )
    remediation = (
        "Remove the credential from the address and revoke it. Let git authenticate on its "
        "own: an SSH key or deploy key in the agent, a credential helper, or in CI a "
        "short-lived token configured with git config url.<base>.insteadOf; for private "
        "registries use TF_TOKEN_<host>."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/modules/sources#generic-git-repository",
        "https://developer.hashicorp.com/terraform/cli/config/config-file#environment-variable-credentials",
    )
    aliases = ()
    bad_example = """
module "network" {
  source = "git::https://ci-bot:s3cr3t-t0ken@git.acme.example/platform/network.git?ref=5d4a3f0c9b8e7d6c5b4a39281706f5e4d3c2b1a0"
}
"""
    good_example = """
module "network" {
  source = "git::ssh://git@git.acme.example/platform/network.git?ref=5d4a3f0c9b8e7d6c5b4a39281706f5e4d3c2b1a0"
}
"""
    fix_description = (
        "No automatic fix: the credential must be revoked, and the source then needs another "
        "way to authenticate."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call in module_sources(ctx.module):
            credential = url_credentials(call.source)
            if credential is None:
                continue
            yield ctx.report(
                call.entity,
                call.attribute,
                f"the source of {call.entity.address} carries {credential.where}: it is "
                "committed with the code and shows in init output",
                data={"credential": credential.kind},
            )
