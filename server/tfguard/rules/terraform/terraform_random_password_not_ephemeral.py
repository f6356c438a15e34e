from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.write_only import (
    ephemeral_migration,
    migration_edits,
    random_supports_ephemeral,
)
from tfguard.secrets import write_only_support
from tfguard.syntax import Attribute, Expr
from tfguard.writeonly import WriteOnly, write_only_table


def _reached(module: Module, expr: Expr, seen: frozenset[str] = frozenset()) -> list[Entity]:
    """The resources an expression refers to, directly or through locals."""
    out: list[Entity] = []
    for ref in expr.references():
        names = ref.names()
        if names[:1] == ("local",) and len(names) >= 2:
            local = module.locals.get(names[1])
            key = "local." + names[1]
            if local is not None and key not in seen:
                out.extend(_reached(module, local.attribute.value, seen | {key}))
            continue
        entity = module.resolve(ref)
        if entity is not None:
            out.append(entity)
    return out


class RandomPasswordNotEphemeral(Rule):
    id = "terraform-random-password-not-ephemeral"
    title = "Managed random_password feeds a secret argument that has a write-only form"
    severity = Severity.MEDIUM
    rationale = (
        'A resource "random_password" keeps its result in plain text in the state, however '
        "carefully the argument it feeds is written: even password_wo = "
        "random_password.db.result leaves the password in the state of the random_password. "
        'Since Terraform 1.10 an ephemeral "random_password" generates the value without '
        "storing it, and write-only arguments (Terraform 1.11) pass it on without storing it "
        "either."
    )
    remediation = (
        'Declare the generator as ephemeral "random_password" and pass its result to the '
        "write-only argument (password_wo, master_password_wo, secret_string_wo, value_wo) "
        "with its _wo_version. Migration caveat: the ephemeral value is new on every run and "
        "the resource receives it when the _wo_version is set or bumped, which resets the "
        "database password; write the same ephemeral value to Secrets Manager "
        "(secret_string_wo) in the same run so applications can read it, or let AWS manage "
        "the password (manage_master_user_password = true)."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/manage-sensitive-data/ephemeral",
        "https://registry.terraform.io/providers/hashicorp/random/latest/docs/ephemeral-resources/password",
    )
    bad_example = """
resource "random_password" "db" {
  length  = 32
  special = true
}

resource "aws_db_instance" "app" {
  identifier          = "app"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "app"
  password_wo         = random_password.db.result
  password_wo_version = 1
}
"""
    good_example = """
ephemeral "random_password" "db" {
  length  = 32
  special = true
}

resource "aws_db_instance" "app" {
  identifier          = "app"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "app"
  password_wo         = ephemeral.random_password.db.result
  password_wo_version = 1
}

resource "random_password" "bootstrap_token" {
  length = 24
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = "cache"
  description          = "cache"
  auth_token           = random_password.bootstrap_token.result
}
"""
    fix_description = (
        'Turns the resource into an ephemeral "random_password" and re-points every reference. '
        "When its readers are arguments kept in state (password), they become write-only "
        "(password_wo with password_wo_version = 1) in the same fix, so the next apply sends "
        "them all the same new password (it resets the password of existing resources); when "
        "they are already write-only, nothing is sent until a _wo_version is bumped. Not "
        "offered when anything else reads the generator (an output, a local, another "
        "argument), when the readers are a mix of both kinds, when it uses keepers or other "
        "arguments the ephemeral form lacks, or when required_version (1.11), the random "
        "provider (3.7.0) or, for readers to rename, their provider is too old (the release "
        "that added the write-only argument: AWS 5.88.0, azurerm 4.21.0 or 4.23.0, google "
        "6.23.0). "
        "Safe when the readers are already write-only (nothing changes until a _wo_version is "
        "bumped); unsafe (tfguard fix --unsafe-fixes) when they are renamed, because that "
        "resets the password."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        support = write_only_support(ctx.module)
        if support == "unsupported":
            return
        consumers: dict[int, list[tuple[Entity, Attribute, WriteOnly]]] = {}
        for rtype, arguments in write_only_table().items():
            for entity in ctx.resources(rtype):
                for spec in arguments.values():
                    for name in (spec.argument, spec.write_only):
                        attr = entity.attr(name)
                        if attr is None:
                            continue
                        for target in _reached(ctx.module, attr.value):
                            if target.kind == "resource" and target.type == "random_password":
                                uses = consumers.setdefault(id(target), [])
                                if not any(a is attr for _, a, _ in uses):
                                    uses.append((entity, attr, spec))
        for generator in ctx.resources("random_password"):
            uses = consumers.get(id(generator), [])
            if not uses:
                continue
            consumer, consumer_attr, spec = uses[0]
            where = f"{consumer.address}.{consumer_attr.name}"
            more = f" and {len(uses) - 1} more" if len(uses) > 1 else ""
            if support == "optional":
                severity = Severity.LOW
                advice = (
                    'after raising required_version to >= 1.11, use an ephemeral "random_password"'
                )
            else:
                severity = self.severity
                advice = 'use an ephemeral "random_password"'
            yield ctx.report(
                generator,
                generator.block,
                f"{generator.address} keeps the password it generates for {where}{more} in "
                f"the state; {advice} with {spec.write_only} and {spec.version} (migrating "
                "sends a new password to the resource and resets it: store the new value in "
                "the same run)",
                severity=severity,
                related=[(e, a, f"receives {generator.address}") for e, a, _ in uses],
                data={
                    "consumers": [f"{e.address}.{a.name}" for e, a, _ in uses],
                    "writeOnly": spec.write_only,
                    "version": spec.version,
                    "support": support,
                },
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        if finding.data.get("support") not in ("required", "unknown"):
            return []  # some allowed Terraform release lacks write-only arguments
        generator = entity_for(module, finding)
        if generator is None or not random_supports_ephemeral(module):
            return []
        migration = ephemeral_migration(module, generator)
        if migration is None:
            return []
        edits = migration_edits(Editor(module), migration)
        if edits is None:
            return []
        if migration.plain:
            names = ", ".join(
                f"{c.entity.address}.{c.spec.write_only}" for c in migration.consumers
            )
            title = (
                f"Make {generator.address} ephemeral and feed {names} (needs Terraform >= "
                "1.11; RESETS the password of existing resources to a new random value)"
            )
        else:
            title = (
                f"Make {generator.address} ephemeral (needs Terraform >= 1.11; existing "
                "resources keep their password until their _wo_version is bumped)"
            )
        if migration.plain:
            return [Fix(title, tuple(edits), "unsafe", "resets the password of existing resources")]
        return [Fix(title, tuple(edits), "safe")]
