from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from tfguard.evaluate import Value
from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix, TextEdit
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.terraform._common import (
    all_stores,
    https_literal,
    known_string,
    plain_text_url,
    setting_at,
)
from tfguard.syntax import Attribute, Literal

# Arguments that hold the URL of a service the state (or a lock, or a credential exchange)
# travels to. Nested names are matched on their last part; everything under "endpoints" counts.
URL_ARGUMENTS = frozenset(
    {
        "address",
        "lock_address",
        "unlock_address",
        "endpoint",
        "dynamodb_endpoint",
        "iam_endpoint",
        "sts_endpoint",
        "storage_custom_endpoint",
        "host",
    }
)


def is_url_argument(name: str) -> bool:
    return name.split(".")[-1] in URL_ARGUMENTS or name.startswith("endpoints.")


def _host_of(url: str) -> str:
    text = url.split("::", 1)[-1]
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return text
    return f"{parts.scheme}://{host}{port}"


def _urls_in(value: Value, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _urls_in(item, f"{prefix}{key}.")
    elif isinstance(value, str) and prefix and is_url_argument(prefix[:-1]):
        yield prefix[:-1], value


class BackendPlainHttp(Rule):
    id = "terraform-backend-plain-http"
    title = "State backend or remote state endpoint uses plain HTTP"
    severity = Severity.HIGH
    rationale = (
        "A backend endpoint over http:// sends the whole state, with every secret in it, and "
        "the backend credentials (HTTP basic auth, signed requests) across the network "
        "unencrypted. Anyone on the path can read it, or answer with a forged state that the "
        "next apply acts on."
    )
    remediation = (
        "Use https:// for the http backend's address, lock_address and unlock_address, for "
        "custom S3 endpoints (endpoints.s3, endpoints.dynamodb, sts, iam) and for every "
        'terraform_remote_state config; set scheme = "https" for consul. Loopback addresses '
        "(localhost, 127.0.0.1) used for local testing are not reported."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/backend/http",
        "https://developer.hashicorp.com/terraform/language/backend/s3#custom-service-endpoint-configuration",
    )
    aliases = ()
    bad_example = """
terraform {
  backend "http" {
    address        = "http://state.acme.internal/network"
    lock_address   = "https://state.acme.internal/network/lock"
    unlock_address = "https://state.acme.internal/network/lock"
  }
}
"""
    good_example = """
terraform {
  backend "http" {
    address        = "https://state.acme.internal/network"
    lock_address   = "https://state.acme.internal/network/lock"
    unlock_address = "https://state.acme.internal/network/lock"
  }
}
"""
    fix_description = (
        'Replaces http:// with https:// in a URL written as a literal (scheme = "http" with '
        '"https"); a URL from a variable or tfvars is fixed where it is set. Unsafe (tfguard '
        "fix --unsafe-fixes): the server must offer TLS, or terraform init fails."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for store in all_stores(ctx.module):
            for setting in store.settings:
                if setting.name == "scheme" and store.type == "consul":
                    if known_string(ctx.module, setting.expr) == "http":
                        yield ctx.report(
                            store.entity,
                            setting.anchor,
                            f'{store.label} talks to Consul over plain HTTP (scheme = "http")',
                            data={"argument": "scheme", "scheme": "http"},
                        )
                    continue
                if not is_url_argument(setting.name):
                    continue
                url = known_string(ctx.module, setting.expr)
                scheme = plain_text_url(url) if url is not None else None
                if url is None or scheme is None:
                    continue
                yield ctx.report(
                    store.entity,
                    setting.anchor,
                    f"{store.label} sets {setting.name} to {_host_of(url)} over unencrypted "
                    f"{scheme}://: the state and credentials cross the network in clear text",
                    data={"argument": setting.name, "scheme": scheme},
                )
            if (
                store.kind == "remote_state"
                and not store.settings
                and isinstance(store.anchor, Attribute)
            ):
                config = ctx.module.cached_value(store.anchor.value)
                for name, url in _urls_in(config):
                    scheme = plain_text_url(url)
                    if scheme is None:
                        continue
                    yield ctx.report(
                        store.entity,
                        store.anchor,
                        f"{store.label} reads state from {name} = {_host_of(url)} over "
                        f"unencrypted {scheme}://",
                        data={"argument": name, "scheme": scheme},
                    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        at = setting_at(module, finding)
        if at is None:
            return []
        store, setting = at
        expr = setting.expr
        if finding.data.get("argument") == "scheme":
            if not (isinstance(expr, Literal) and expr.value == "http"):
                return []
            new_text = '"https"'
        else:
            rewritten = https_literal(expr)
            if rewritten is None:
                return []  # the URL comes from a variable or tfvars: fix it there
            new_text = rewritten
        edit = TextEdit(store.entity.path, store.entity.abs(expr.range), new_text)
        return [
            Fix(
                f"Use https for {setting.name}",
                (edit,),
                "unsafe",
                "terraform init fails if the server does not offer TLS",
            )
        ]
