from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from tfguard.findings import Finding, Range, Severity
from tfguard.fixes import Editor, Fix, TextEdit, entity_for
from tfguard.memo import per_node
from tfguard.module import Entity, LocalValue, Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.editing import attribute_holding, quoted
from tfguard.secrets import (
    expr_key_material,
    file_name,
    is_reportable_secret,
    is_secret_name,
    is_weak_secret_name,
    literal_string,
    looks_like_credential,
    name_words,
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
"""
    bad_example_findings = 2
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
        "Replaces the literal with var.<name> and declares that variable (type string, "
        "sensitive, a description, no default, so a plan asks for the value) in the module's "
        "variables.tf, creating the file when needed; the name is the block's name and the "
        "argument's (app_password, or the local's name), made unique. The old value must "
        "still be rotated, and in a shared module every caller must then pass the value. Not "
        "offered for a literal in a .tfvars file (tfvars hold values, not references: set the "
        "variable from the environment and delete the line), in a variable default (defaults "
        "cannot refer to variables), or where a sensitive value would break the "
        "configuration (an output not marked sensitive, count or for_each reads it)."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        scan = _Scan(ctx, provider_credential_ids(ctx.module))
        module = ctx.module
        for entity in module.entities:
            if entity.kind not in _SCANNED_KINDS or entity.type in _STATE_DATA_SOURCES:
                continue
            # Most blocks name nothing secret: that depends on their text alone, so it is
            # remembered until the block is edited.
            if per_node("secret-literal-candidate", entity.block, partial(_candidate, entity)):
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

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        if finding.data.get("site") not in _FIXABLE_SITES:
            return []  # tfvars hold values, not references; defaults cannot read variables
        entity = entity_for(module, finding)
        if entity is None:
            return []
        expr = _literal_at(entity, finding.range)
        if expr is None or _sensitive_value_breaks(module, entity, expr):
            return []
        holder = attribute_holding(entity.block, expr)
        if holder is None:
            return []
        secret = str(finding.data.get("name") or holder.name)
        if entity.kind == "locals":
            where = f"local.{holder.name}"
            base = holder.name if holder.value is expr else f"{holder.name}_{secret}"
        else:
            where = f"{entity.address} {secret}"
            base = f"{entity.name}_{secret}"
            if _snake(entity.name).endswith(_snake(secret)):
                base = entity.name
        name = _unique_variable(module, _snake(base))
        description = f"Secret for {where}; the literal it replaced must be rotated"
        variable = "\n".join(
            [
                f'variable "{name}" {{',
                "  type        = string",
                "  sensitive   = true",
                f"  description = {quoted(description)}",
                "}",
            ]
        )
        editor = Editor(module)
        edits = (
            TextEdit(entity.path, entity.abs(expr.range), f"var.{name}"),
            editor.append_to_file(
                os.path.join(module.directory, "variables.tf"), variable, like=entity
            ),
        )
        return [
            Fix(
                f"Move the secret to a new sensitive variable var.{name} (no default: set it at "
                "run time, and rotate the old value)",
                edits,
                applicability="safe",
            )
        ]


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
        if text is None or not looks_like_credential(name, text) or expr_key_material(expr):
            return
        self._report(
            entity,
            expr,
            f"{label} holds a literal that looks like a credential: it is "
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


# -- fixes ---------------------------------------------------------------------------------

# Where a literal can become var.<name>: not tfvars (values only) nor variable defaults.
_FIXABLE_SITES = frozenset({"resource", "data", "ephemeral", "provider", "module", "locals"})
# Names a variable cannot have.
_RESERVED_VARIABLES = frozenset(
    {"source", "version", "providers", "count", "for_each", "lifecycle", "depends_on", "locals"}
)


def _literal_at(entity: Entity, where: Range) -> Expr | None:
    for expr in entity.block.expressions():
        if entity.abs(expr.range) == where and literal_string(expr) is not None:
            return expr
    return None


def _snake(name: str) -> str:
    return "_".join(name_words(name))


def _unique_variable(module: Module, base: str) -> str:
    if not base or not base[0].isalpha():
        base = f"secret_{base}".rstrip("_")
    if base in _RESERVED_VARIABLES:
        base = f"{base}_value"
    taken = set(module.variables) | set(module.tfvars)
    for path in module.tfvars_files():
        taken.update(p.node.name for p in module.files[path].items if isinstance(p.node, Attribute))
    for values in module.json_tfvars.values():
        taken.update(values)
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def _top_name(block: Block, ref: Expr) -> str | None:
    """The top-level argument or nested block type of ``block`` that holds ``ref``."""
    for attr in block.attributes.values():
        if any(n is ref for n in attr.value.walk()):
            return attr.name
    for nested in block.blocks:
        if any(n is ref for n in nested.expressions()):
            return nested.type
    return None


def _sensitive_value_breaks(module: Module, entity: Entity, expr: Expr) -> bool:
    """Whether a sensitive variable in place of the literal would make Terraform reject the
    configuration: the value reaches (through locals, resources and module calls) an output
    not marked sensitive, or a count / for_each."""
    if entity.kind == "provider":
        return False
    if entity.kind == "locals":
        local = attribute_holding(entity.block, expr)
        if local is None:
            return True
        start: tuple[str, str | None] = (f"local.{local.name}", None)
    elif entity.kind == "module":
        start = (entity.address, None)
    else:
        start = (entity.address, _top_name(entity.block, expr))
    queue = [start]
    seen = {start}
    while queue:
        address, name = queue.pop()
        skip = 3 if address.startswith(("data.", "ephemeral.")) else 2
        for holder, ref in module.referrers.get(address, []):
            names = ref.names()
            if name is not None and len(names) > skip and names[skip] != name:
                continue
            inner = attribute_holding(holder.block, ref)
            if inner is not None and inner.name in ("depends_on", "replace_triggered_by"):
                continue  # names the object, reads no value
            if inner is not None and inner.name in ("count", "for_each"):
                return True
            if holder.kind == "output":
                if module.attr_value(holder, "sensitive", False) is not True:
                    return True
                continue
            following: tuple[str, str | None] | None = None
            if holder.kind == "locals" and inner is not None:
                following = (f"local.{inner.name}", None)
            elif holder.kind == "module":
                following = (holder.address, None)
            elif holder.kind in ("resource", "data", "ephemeral"):
                following = (holder.address, _top_name(holder.block, ref))
            if following is not None and following not in seen:
                seen.add(following)
                queue.append(following)
    return False


def _names(block: Block) -> Iterator[str]:
    """Every argument name and object key in a block and its nested blocks."""
    for b in block.walk_blocks():
        for attr in b.attributes.values():
            yield attr.name
            for node in attr.value.walk():
                if isinstance(node, ObjectExpr):
                    for item in node.items:
                        if item.key_name is not None:
                            yield item.key_name


def _candidate(entity: Entity) -> bool:
    """Whether the literal scan could report anything in this block: it names a secret (or a
    weak secret), an argument that is secret for its resource type, or a name/value pair."""
    typed = _TYPE_SECRET_ARGUMENTS.get(entity.type, {})
    for name in _names(entity.block):
        if name.lower() == "value" or name in typed:
            return True
        if is_secret_name(name) or is_weak_secret_name(name):
            return True
    return False
