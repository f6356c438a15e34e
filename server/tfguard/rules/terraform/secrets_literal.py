from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tfguard.findings import Finding, Range, Severity
from tfguard.module import Entity, LocalValue, Module
from tfguard.rules.base import Context, Rule
from tfguard.secrets import (
    expr_key_material,
    file_name,
    is_reportable_secret,
    is_secret_name,
    is_weak_secret_name,
    literal_string,
    looks_random,
    provider_credential_ids,
    tfvars_assignments,
)
from tfguard.syntax import Attribute, Block, Expr, ObjectExpr, Reference, Template, TupleExpr

# Blocks whose arguments hold configuration values worth reading. Credentials of state
# storage (backend, cloud, terraform_remote_state, OpenTofu key providers) are reported by
# terraform-backend-static-credentials, so terraform blocks and remote state are left out.
_SCANNED_KINDS = frozenset({"resource", "data", "ephemeral", "provider", "module"})
_STATE_DATA_SOURCES = frozenset({"terraform_remote_state"})
# Labels and meta-arguments: never credentials.
_SKIPPED_ATTRIBUTES = frozenset({"tags", "tags_all", "labels", "source", "version", "depends_on"})
_SKIPPED_BLOCKS = frozenset(
    {"lifecycle", "default_tags", "validation", "precondition", "postcondition"}
)
# Arguments that hold secrets although their name does not say so: resource type → argument
# → whether every value of the map it holds is a secret (Kubernetes secrets).
_TYPE_SECRET_ARGUMENTS: dict[str, dict[str, bool]] = {
    "aws_api_gateway_api_key": {"value": False},
    "azurerm_key_vault_secret": {"value": False},
    "google_secret_manager_secret_version": {"secret_data": False},
    "kubernetes_secret": {"data": True, "string_data": True},
    "kubernetes_secret_v1": {"data": True, "string_data": True},
}
# ``type`` values of a name/value pair whose value is the name of a stored secret.
_STORE_VALUE_TYPES = frozenset({"PARAMETER_STORE", "SECRETS_MANAGER"})


@dataclass(slots=True)
class _Use:
    entity: Entity
    anchor: Expr
    label: str  # "aws_db_instance.app password"


class LiteralSecret(Rule):
    id = "terraform-secret-literal"
    title = "Secret written as a literal value in the configuration"
    severity = Severity.HIGH
    rationale = (
        "A password, token or key written in a .tf or .tfvars file is readable by everyone who "
        "can read the repository, its forks, CI logs and every clone, forever: removing it "
        "later does not remove it from version history. Literal secrets also end up in plan "
        "files and state, and cannot be rotated without a code change."
    )
    remediation = (
        "Rotate the secret (it is in the history), then supply it at run time: an ephemeral "
        "resource or data source reading a secret store (AWS Secrets Manager, SSM Parameter "
        "Store, Vault), a managed password (manage_master_user_password = true on RDS), or a "
        "variable marked sensitive = true that is set from the environment (TF_VAR_name) "
        "instead of a committed .tfvars file. Placeholder values count: a literal like "
        '"changeme" becomes the real password of whatever is applied with it.'
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/manage-sensitive-data",
        "https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output",
    )
    aliases = (
        "AVD-GEN-0001",
        "GEN003",
        "general-secrets-sensitive-in-attribute",
        "GEN002",
        "general-secrets-sensitive-in-local",
    )
    bad_example = """
resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "app"
  password          = "Sup3r-S3cret-2024"
}

locals {
  api_token = "tok_9f8e7d6c5b4a39281706"
}

# file: terraform.tfvars
grafana_admin_password = "hunter2hunter2"
"""
    bad_example_findings = 3
    good_example = """
variable "grafana_admin_password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "app" {
  identifier                  = "app"
  engine                      = "postgres"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  username                    = "app"
  manage_master_user_password = true
}

resource "aws_secretsmanager_secret" "api" {
  name = "app/api-token"
}

locals {
  password_length = 32
  secret_name     = aws_secretsmanager_secret.api.name
}
"""
    fix_description = (
        "No automatic fix: the secret must be rotated and moved to a secret store or a "
        "sensitive variable, which only its owner can do."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        scan = _Scan(ctx, provider_credential_ids(ctx.module))
        module = ctx.module
        for entity in module.entities:
            if entity.kind in _SCANNED_KINDS and entity.type not in _STATE_DATA_SOURCES:
                scan.block(entity, entity.block, entity.address)
        for name, local in module.locals.items():
            holder = scan.holder(local)
            if holder is None:
                continue
            label = f"local.{name}"
            if is_secret_name(name):
                scan.site(holder, local.attribute.value, name, label)
            scan.expression(holder, local.attribute.value, label)
        for variable in module.variables.values():
            default = variable.attr("default")
            if default is not None:
                scan.expression(variable, default.value, f"the default of {variable.address}")
        for path, entity, attr in scan.tfvars:
            label = f"{file_name(path)}: {attr.name}"
            if is_secret_name(attr.name):
                scan.site(entity, attr.value, attr.name, label)
            scan.expression(entity, attr.value, label)
        yield from scan.findings


class _Scan:
    def __init__(self, ctx: Context, skipped: set[int]) -> None:
        self.ctx = ctx
        self.module: Module = ctx.module
        self.skipped = skipped
        self.seen: set[tuple[str, Range]] = set()
        self.findings: list[Finding] = []
        self.holders = {id(e.placed): e for e in self.module.entities if e.kind == "locals"}
        self.tfvars = list(tfvars_assignments(self.module))
        self.assignments: dict[str, list[tuple[str, Entity, Attribute]]] = {}
        for path, entity, attr in self.tfvars:
            self.assignments.setdefault(attr.name, []).append((path, entity, attr))

    def holder(self, local: LocalValue) -> Entity | None:
        """The ``locals`` block that defines a local value."""
        return self.holders.get(id(local.placed))

    # -- walking -------------------------------------------------------------------------

    def block(self, entity: Entity, block: Block, where: str) -> None:
        if block.type in _SKIPPED_BLOCKS:
            return
        for attr in block.attributes.values():
            if attr.name in _SKIPPED_ATTRIBUTES or id(attr) in self.skipped:
                continue
            if self._is_secret_argument(entity, block, attr):
                self.site(entity, attr.value, attr.name, f"{where} {attr.name}")
            elif self._is_secret_map(entity, block, attr) and isinstance(attr.value, ObjectExpr):
                for item in attr.value.items:
                    key = item.key_name or "?"
                    self.site(entity, item.value, key, f"{where} {attr.name}.{key}")
            elif is_weak_secret_name(attr.name):
                self.random_site(entity, attr.value, attr.name, f"{where} {attr.name}")
            self.expression(entity, attr.value, f"{where} {attr.name}")
        self._name_value_pair(entity, block.attributes, where)
        for nested in block.blocks:
            label = nested.type if not nested.labels else f'{nested.type} "{nested.labels[0]}"'
            self.block(entity, nested, f"{where} {label}")

    def expression(self, entity: Entity, expr: Expr, where: str) -> None:
        """Secret-named keys and name/value pairs in the objects of an expression."""
        for node in expr.walk():
            if not isinstance(node, ObjectExpr):
                continue
            items = {i.key_name: i.value for i in node.items if i.key_name is not None}
            self._name_value_object(entity, items, where)
            for item in node.items:
                key = item.key_name
                if key is None or key in _SKIPPED_ATTRIBUTES:
                    continue
                if is_secret_name(key):
                    self.site(entity, item.value, key, f"{where} {key}")
                elif is_weak_secret_name(key):
                    self.random_site(entity, item.value, key, f"{where} {key}")

    def _is_secret_argument(self, entity: Entity, block: Block, attr: Attribute) -> bool:
        if is_secret_name(attr.name):
            return True
        if entity.kind != "resource" or block is not entity.block:
            return False
        if entity.type == "aws_ssm_parameter" and attr.name == "value":
            return bool(self.ctx.attr_value(entity, "type") == "SecureString")
        return _TYPE_SECRET_ARGUMENTS.get(entity.type, {}).get(attr.name) is False

    def _is_secret_map(self, entity: Entity, block: Block, attr: Attribute) -> bool:
        return (
            entity.kind == "resource"
            and block is entity.block
            and _TYPE_SECRET_ARGUMENTS.get(entity.type, {}).get(attr.name) is True
        )

    def _name_value_pair(self, entity: Entity, attrs: dict[str, Attribute], where: str) -> None:
        self._name_value_object(entity, {n: a.value for n, a in attrs.items()}, where)

    def _name_value_object(self, entity: Entity, items: dict[str, Expr], where: str) -> None:
        """``{ name = "DB_PASSWORD", value = "..." }`` (container environments, Helm ``set``
        blocks, CodeBuild environment variables)."""
        lowered = {k.lower(): v for k, v in items.items()}
        name_expr, value_expr = lowered.get("name"), lowered.get("value")
        if name_expr is None or value_expr is None:
            return
        name = literal_string(name_expr)
        if name is None or not is_secret_name(name):
            return
        kind = lowered.get("type")
        if kind is not None and literal_string(kind) in _STORE_VALUE_TYPES:
            return
        self.site(entity, value_expr, name, f'{where} value of "{name}"')

    # -- sites ---------------------------------------------------------------------------

    def site(self, entity: Entity, expr: Expr, name: str, label: str) -> None:
        """A place that holds a secret: report a literal here, or the literal definition of
        the local, variable default or tfvars assignment it refers to."""
        if isinstance(expr, TupleExpr):  # passwords = ["...", "..."]
            for item in expr.items:
                self.site(entity, item, name, label)
            return
        text = literal_string(expr)
        if text is not None:
            if is_reportable_secret(text) and not expr_key_material(expr):
                self._report(
                    entity,
                    expr,
                    f"{label} is a literal secret: it is readable by anyone with the code or "
                    "its history",
                    name,
                )
            return
        ref = _single_reference(expr)
        if ref is not None:
            self._follow(_Use(entity, expr, label), ref, name)

    def random_site(self, entity: Entity, expr: Expr, name: str, label: str) -> None:
        text = literal_string(expr)
        if text is None or not looks_random(text) or expr_key_material(expr):
            return
        self._report(
            entity,
            expr,
            f"{label} holds a random-looking literal that is probably a credential: it is "
            "readable by anyone with the code or its history",
            name,
        )

    def _follow(self, use: _Use, ref: Reference, name: str) -> None:
        names = ref.names()
        if len(names) < 2:
            return
        if names[0] == "local":
            local = self.module.locals.get(names[1])
            if local is None:
                return
            target = _traverse(local.attribute.value, names[2:])
            entity = self.holder(local)
            if target is not None and entity is not None:
                self._report_definition(entity, target, ".".join(names), use, name)
        elif names[0] == "var":
            for path, placed_entity, attr in self.assignments.get(names[1], []):
                target = _traverse(attr.value, names[2:])
                if target is not None:
                    where = f"{file_name(path)} sets {'.'.join(names[1:])}, which"
                    self._report_definition(placed_entity, target, where, use, name)
            variable = self.module.variables.get(names[1])
            if variable is None or is_secret_name(names[1]):
                return  # a secret-named variable's default is terraform-variable-secret-default's
            default = variable.attr("default")
            if default is not None:
                target = _traverse(default.value, names[2:])
                if target is not None:
                    where = f"the default of {'.'.join(names)}, which"
                    self._report_definition(variable, target, where, use, name)

    def _report_definition(
        self, entity: Entity, expr: Expr, what: str, use: _Use, name: str
    ) -> None:
        text = literal_string(expr)
        if text is None or not is_reportable_secret(text) or expr_key_material(expr):
            return
        self._report(
            entity,
            expr,
            f"{what} is a literal secret used as {use.label}: it is readable by anyone with "
            "the code or its history",
            name,
            related=[(use.entity, use.anchor, f"used as {use.label}")],
        )

    def _report(
        self,
        entity: Entity,
        expr: Expr,
        message: str,
        name: str,
        related: list[tuple[Entity, Expr, str]] | None = None,
    ) -> None:
        key = (entity.path, entity.abs(expr.range))
        if key in self.seen:
            return
        self.seen.add(key)
        self.findings.append(
            self.ctx.report(
                entity,
                expr,
                message,
                related=related or [],
                data={"name": name, "site": entity.kind},
            )
        )


def _single_reference(expr: Expr) -> Reference | None:
    if isinstance(expr, Reference):
        return expr
    if isinstance(expr, Template) and not expr.has_directives:
        exprs = [p for p in expr.parts if isinstance(p, Expr)]
        texts = [p for p in expr.parts if isinstance(p, str) and p]
        if len(exprs) == 1 and not texts and isinstance(exprs[0], Reference):
            return exprs[0]
    return None


def _traverse(expr: Expr, keys: tuple[str, ...]) -> Expr | None:
    """The expression at ``keys`` inside nested object literals (None when not literal)."""
    for key in keys:
        if not isinstance(expr, ObjectExpr):
            return None
        item = expr.get(key)
        if item is None:
            return None
        expr = item.value
    return expr
