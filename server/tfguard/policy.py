"""IAM policies in their three forms, read into one shape that rules share.

- ``jsonencode({ Statement = [...] })``,
- a JSON string or heredoc (interpolations become unknown values),
- a ``data "aws_iam_policy_document"`` with ``statement`` blocks.

A resource whose policy is a reference to a policy document is not read again: the document is
reported where it is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from tfguard.evaluate import UNKNOWN, Value, is_unknown
from tfguard.module import Entity, Module
from tfguard.syntax import (
    Attribute,
    Block,
    Expr,
    FunctionCall,
    Heredoc,
    ObjectExpr,
    Template,
    TupleExpr,
)

# Resource types and the attributes that hold a policy document.
POLICY_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "aws_iam_policy": ("policy",),
    "aws_iam_role_policy": ("policy",),
    "aws_iam_user_policy": ("policy",),
    "aws_iam_group_policy": ("policy",),
    "aws_iam_role": ("assume_role_policy",),
    "aws_s3_bucket_policy": ("policy",),
    "aws_kms_key": ("policy",),
    "aws_sqs_queue_policy": ("policy",),
    "aws_sqs_queue": ("policy",),
    "aws_sns_topic_policy": ("policy",),
    "aws_sns_topic": ("policy",),
    "aws_opensearch_domain_policy": ("access_policies",),
    "aws_opensearch_domain": ("access_policies",),
    "aws_elasticsearch_domain_policy": ("access_policies",),
    "aws_elasticsearch_domain": ("access_policies",),
    "aws_ecr_repository_policy": ("policy",),
    "aws_secretsmanager_secret_policy": ("policy",),
    "aws_iam_policy_attachment": (),
}

_PLACEHOLDER = "__tfguard_unknown__"


@dataclass(slots=True, eq=False)
class Condition:
    test: Value
    variable: Value
    values: list[Value]


@dataclass(slots=True, eq=False)
class Statement:
    entity: Entity
    anchor: Attribute | Block | Expr
    effect: Value = "Allow"
    actions: list[Value] = field(default_factory=list)
    not_actions: list[Value] = field(default_factory=list)
    resources: list[Value] = field(default_factory=list)
    not_resources: list[Value] = field(default_factory=list)
    # principal type ("AWS", "Service", "Federated", "*") → identifiers
    principals: dict[str, list[Value]] = field(default_factory=dict)
    has_principal: bool = False
    conditions: list[Condition] = field(default_factory=list)
    sid: Value = None

    @property
    def allows(self) -> bool:
        return isinstance(self.effect, str) and self.effect == "Allow"


@dataclass(slots=True, eq=False)
class Policy:
    entity: Entity
    attribute: str | None  # None for a policy document data source
    statements: list[Statement]
    is_trust: bool = False


def _as_list(value: Value) -> list[Value]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _unknownify(value: Value) -> Value:
    if isinstance(value, str) and _PLACEHOLDER in value:
        return UNKNOWN
    if isinstance(value, list):
        return [_unknownify(v) for v in value]
    if isinstance(value, dict):
        return {k: _unknownify(v) for k, v in value.items()}
    return value


def _template_json(module: Module, expr: Template | Heredoc) -> Value:
    if expr.has_directives:
        return UNKNOWN
    out: list[str] = []
    for part in expr.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        value = module.value(part)
        out.append(value if isinstance(value, str) else _PLACEHOLDER)
    try:
        return _unknownify(json.loads("".join(out)))
    except ValueError:
        return UNKNOWN


def _document_value(module: Module, expr: Expr) -> Value:
    if isinstance(expr, (Template, Heredoc)):
        return _template_json(module, expr)
    if isinstance(expr, FunctionCall) and expr.name == "jsonencode" and len(expr.args) == 1:
        # The encoded object itself: one unknown value (an account id) must not hide the
        # rest of the document, as it would once encoded into a string.
        return module.value(expr.args[0])
    value = module.value(expr)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return UNKNOWN
    return value


def _statement_anchors(expr: Expr) -> list[Expr] | None:
    """For ``jsonencode({Statement = [{...}, ...]})`` the object of each statement."""
    if not (isinstance(expr, FunctionCall) and expr.name == "jsonencode" and expr.args):
        return None
    doc = expr.args[0]
    if not isinstance(doc, ObjectExpr):
        return None
    item = doc.get("Statement")
    if item is None:
        return None
    if isinstance(item.value, TupleExpr):
        return list(item.value.items)
    if isinstance(item.value, ObjectExpr):
        return [item.value]
    return None


def _principals(value: Value) -> tuple[dict[str, list[Value]], bool]:
    if value is None:
        return {}, False
    if value == "*":
        return {"*": ["*"]}, True
    if isinstance(value, dict):
        return {str(k): _as_list(v) for k, v in value.items()}, True
    return {"?": [UNKNOWN]}, True


def _conditions(value: Value) -> list[Condition]:
    out: list[Condition] = []
    if not isinstance(value, dict):
        return [Condition(UNKNOWN, UNKNOWN, [UNKNOWN])] if value is not None else []
    for test, body in value.items():
        if not isinstance(body, dict):
            out.append(Condition(test, UNKNOWN, [UNKNOWN]))
            continue
        for variable, values in body.items():
            out.append(Condition(test, variable, _as_list(values)))
    return out


def _from_json(entity: Entity, attr: Attribute, document: Value) -> list[Statement]:
    if not isinstance(document, dict):
        return []
    raw = document.get("Statement")
    if is_unknown(raw) or raw is None:
        return []
    anchors = _statement_anchors(attr.value) or []
    statements: list[Statement] = []
    for i, st in enumerate(_as_list(raw)):
        if not isinstance(st, dict):
            continue
        anchor: Attribute | Expr = anchors[i] if i < len(anchors) else attr
        principals, has_principal = _principals(st.get("Principal"))
        not_principals, _ = _principals(st.get("NotPrincipal"))
        statements.append(
            Statement(
                entity,
                anchor,
                effect=st.get("Effect", "Allow"),
                actions=_as_list(st.get("Action")),
                not_actions=_as_list(st.get("NotAction")),
                resources=_as_list(st.get("Resource")),
                not_resources=_as_list(st.get("NotResource")),
                principals=principals,
                has_principal=has_principal or bool(not_principals),
                conditions=_conditions(st.get("Condition")),
                sid=st.get("Sid"),
            )
        )
    return statements


def _from_document(module: Module, entity: Entity) -> list[Statement]:
    statements: list[Statement] = []
    for block in entity.block.blocks_of("statement"):

        def val(name: str, default: Value, block: Block = block) -> Value:
            attr = block.attributes.get(name)
            return default if attr is None else module.cached_value(attr.value)

        principals: dict[str, list[Value]] = {}
        has_principal = False
        for kind in ("principals", "not_principals"):
            for p in block.blocks_of(kind):
                has_principal = True
                ptype = p.attributes.get("type")
                idents = p.attributes.get("identifiers")
                t = module.cached_value(ptype.value) if ptype else UNKNOWN
                ids = module.cached_value(idents.value) if idents else UNKNOWN
                key = t if isinstance(t, str) else "?"
                if kind == "principals":
                    principals.setdefault(key, []).extend(_as_list(ids))
        conditions = []
        for c in block.blocks_of("condition"):
            t = c.attributes.get("test")
            v = c.attributes.get("variable")
            vs = c.attributes.get("values")
            conditions.append(
                Condition(
                    module.cached_value(t.value) if t else UNKNOWN,
                    module.cached_value(v.value) if v else UNKNOWN,
                    _as_list(module.cached_value(vs.value)) if vs else [UNKNOWN],
                )
            )
        statements.append(
            Statement(
                entity,
                block,
                effect=val("effect", "Allow"),
                actions=_as_list(val("actions", None)),
                not_actions=_as_list(val("not_actions", None)),
                resources=_as_list(val("resources", None)),
                not_resources=_as_list(val("not_resources", None)),
                principals=principals,
                has_principal=has_principal,
                conditions=conditions,
                sid=val("sid", None),
            )
        )
    return statements


def _is_document_reference(module: Module, expr: Expr) -> bool:
    return any(
        e.kind == "data" and e.type == "aws_iam_policy_document" for e in module.targets(expr)
    )


def policies(module: Module) -> Iterator[Policy]:
    """Every policy written in the module, each once, where it is written."""
    for entity in module.of_type("data.aws_iam_policy_document"):
        yield Policy(entity, None, _from_document(module, entity))
    for rtype, attrs in POLICY_ATTRIBUTES.items():
        for entity in module.of_type(rtype):
            for name in attrs:
                attr = entity.attr(name)
                if attr is None or _is_document_reference(module, attr.value):
                    continue
                document = _document_value(module, attr.value)
                yield Policy(
                    entity,
                    name,
                    _from_json(entity, attr, document),
                    is_trust=name == "assume_role_policy",
                )
            if rtype == "aws_iam_role":
                for inline in entity.block.blocks_of("inline_policy"):
                    attr = inline.attributes.get("policy")
                    if attr is None or _is_document_reference(module, attr.value):
                        continue
                    document = _document_value(module, attr.value)
                    yield Policy(entity, "inline_policy", _from_json(entity, attr, document))


def trust_documents(module: Module) -> set[int]:
    """ids of policy-document entities used as a role's ``assume_role_policy``."""
    used: set[int] = set()
    for role in module.of_type("aws_iam_role"):
        attr = role.attr("assume_role_policy")
        if attr is None:
            continue
        for target in module.targets(attr.value):
            if target.kind == "data" and target.type == "aws_iam_policy_document":
                used.add(id(target))
    return used
