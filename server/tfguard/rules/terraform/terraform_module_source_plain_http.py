from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix, TextEdit, entity_for
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.terraform._common import https_literal, plain_text_url
from tfguard.rules.terraform._modules import module_sources


class ModuleSourcePlainHttp(Rule):
    id = "terraform-module-source-plain-http"
    title = "Module is downloaded over an unencrypted connection"
    severity = Severity.HIGH
    rationale = (
        "A module fetched over http:// or the git:// protocol is neither encrypted nor "
        "authenticated: anyone on the network path (a hotel Wi-Fi, a compromised proxy, a "
        "CI runner's network) can substitute code that terraform will run with your cloud "
        "credentials."
    )
    remediation = (
        "Use https:// (or git::https:// / git::ssh://) for the module source, and pin it to a "
        "version or commit. Sources on loopback addresses are not reported."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/modules/sources#http-urls",
        "https://developer.hashicorp.com/terraform/language/modules/sources#generic-git-repository",
    )
    aliases = ()
    bad_example = """
module "baseline" {
  source = "http://modules.acme.example/baseline-1.4.0.zip"
}
"""
    good_example = """
module "baseline" {
  source = "https://modules.acme.example/baseline-1.4.0.zip"
}
"""
    fix_description = (
        "Replaces http:// with https:// in a literal source (git:// sources need another URL "
        "and are not rewritten). Unsafe: the server must offer "
        "TLS, or terraform init fails."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call in module_sources(ctx.module):
            if call.source.kind == "local":
                continue
            scheme = plain_text_url(call.source.text)
            if scheme is None:
                continue
            yield ctx.report(
                call.entity,
                call.attribute,
                f"{call.entity.address} downloads its source over unencrypted {scheme}://: "
                "anyone on the network path can replace the module's code",
                data={"source": call.source.text, "scheme": scheme},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        entity = entity_for(module, finding)
        attr = entity.attr("source") if entity is not None else None
        if entity is None or attr is None or entity.abs(attr.range) != finding.range:
            return []
        new_text = https_literal(attr.value)
        if new_text is None:
            return []
        edit = TextEdit(entity.path, entity.abs(attr.value.range), new_text)
        return [
            Fix(
                "Download the module over https",
                (edit,),
                "unsafe",
                "terraform init fails if the server does not offer TLS",
            )
        ]
