"""The module index: every file of one directory, indexed by address, with values evaluated.

Resources, data sources, ephemeral resources, variables (defaults overridden by
``terraform.tfvars`` and ``*.auto.tfvars``), locals, outputs, providers, module calls and the
``terraform`` blocks are indexed across files; references are resolved between them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from tfguard.document import ParsedFile
from tfguard.evaluate import UNKNOWN, Evaluator, Value, fully_known
from tfguard.findings import Range
from tfguard.project import ProjectFiles
from tfguard.syntax import Attribute, Block, Expr, Placed, Reference


@dataclass(slots=True, eq=False)
class Entity:
    """A top-level block of the module: ``aws_s3_bucket.logs``, ``var.region``, ``terraform``."""

    kind: str  # resource, data, ephemeral, module, variable, output, provider, terraform, ...
    address: str
    placed: Placed
    block: Block

    @property
    def path(self) -> str:
        return self.placed.path

    @property
    def type(self) -> str:
        """The resource/data type (``aws_s3_bucket``) or the block type for others."""
        if self.kind in ("resource", "data", "ephemeral") and self.block.labels:
            return self.block.labels[0]
        return self.block.type

    @property
    def name(self) -> str:
        return self.block.labels[-1] if self.block.labels else self.block.type

    def attr(self, name: str) -> Attribute | None:
        return self.block.attributes.get(name)

    def expr(self, name: str) -> Expr | None:
        """The value expression of an attribute, None when the attribute is not set."""
        attr = self.block.attributes.get(name)
        return attr.value if attr is not None else None

    def abs(self, r: Range) -> Range:
        return self.placed.abs(r)


@dataclass(slots=True, eq=False)
class LocalValue:
    name: str
    placed: Placed
    attribute: Attribute


def is_auto_tfvars(name: str) -> bool:
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith(
        (".auto.tfvars", ".auto.tfvars.json")
    )


class ModuleCalls(Protocol):
    """The modules a module calls, as the engine expands them (:mod:`tfguard.calls`)."""

    def value(self, ref: Reference, evaluator: Evaluator) -> Value:
        """The value of ``module.<name>...`` (outputs of the called module)."""
        ...

    def entity(self, ref: Reference) -> Entity | None:
        """The resource of the called module that an output named by ``ref`` stands for."""
        ...


class Module:
    def __init__(
        self,
        directory: str,
        files: dict[str, ParsedFile],
        json_tfvars: dict[str, dict[str, Value]] | None = None,
        project: ProjectFiles | None = None,
        inputs: Mapping[str, Value] | None = None,
    ) -> None:
        self.directory = directory
        self.files = files
        self.json_tfvars = json_tfvars or {}
        # A module called by another: the call's arguments are its variables' values (the
        # defaults for the others; tfvars files apply to a root module only).
        self.inputs = dict(inputs) if inputs is not None else None
        # The modules this one calls, when the engine expands them.
        self.calls: ModuleCalls | None = None
        # The lock file, modules.json, .gitignore and the git index: rules read them here.
        self.project = project if project is not None else ProjectFiles(directory)
        self.entities: list[Entity] = []
        self.resources: dict[str, Entity] = {}  # resource, data.* and ephemeral.* addresses
        self.by_type: dict[
            str, list[Entity]
        ] = {}  # "aws_s3_bucket", "data.aws_iam_policy_document"
        self.variables: dict[str, Entity] = {}
        self.locals: dict[str, LocalValue] = {}
        self.outputs: dict[str, Entity] = {}
        self.providers: list[Entity] = []
        self.module_calls: dict[str, Entity] = {}
        self.terraform_blocks: list[Entity] = []
        self.tfvars: dict[str, tuple[Placed, Attribute]] = {}
        self._var_cache: dict[str, Value] = {}
        self._local_cache: dict[str, Value] = {}
        self._attr_cache: dict[tuple[int, str], Value] = {}
        self._in_progress: set[str] = set()
        # Indexes that several rules share, built once per analysis (keyed by their builder).
        self.memo: dict[object, Any] = {}
        for path in sorted(files):
            self._index_file(path, files[path])
        self._index_tfvars()

    # -- indexing ----------------------------------------------------------------------------

    def _index_file(self, path: str, parsed: ParsedFile) -> None:
        if path.endswith(".tfvars"):
            return
        for placed in parsed.items:
            node = placed.node
            if not isinstance(node, Block):
                continue
            kind = node.type
            labels = node.labels
            if kind == "resource" and len(labels) == 2:
                self._add_resource(Entity(kind, f"{labels[0]}.{labels[1]}", placed, node))
            elif kind in ("data", "ephemeral") and len(labels) == 2:
                address = f"{kind}.{labels[0]}.{labels[1]}"
                self._add_resource(Entity(kind, address, placed, node), prefix=kind + ".")
            elif kind == "variable" and len(labels) == 1:
                entity = Entity(kind, f"var.{labels[0]}", placed, node)
                self.variables[labels[0]] = entity
                self.entities.append(entity)
            elif kind == "output" and len(labels) == 1:
                entity = Entity(kind, f"output.{labels[0]}", placed, node)
                self.outputs[labels[0]] = entity
                self.entities.append(entity)
            elif kind == "module" and len(labels) == 1:
                entity = Entity(kind, f"module.{labels[0]}", placed, node)
                self.module_calls[labels[0]] = entity
                self.entities.append(entity)
            elif kind == "provider" and labels:
                entity = Entity(kind, f"provider.{labels[0]}", placed, node)
                self.providers.append(entity)
                self.entities.append(entity)
            elif kind == "terraform":
                entity = Entity(kind, "terraform", placed, node)
                self.terraform_blocks.append(entity)
                self.entities.append(entity)
            elif kind == "locals":
                self.entities.append(Entity(kind, "locals", placed, node))
                for attr in node.attributes.values():
                    self.locals[attr.name] = LocalValue(attr.name, placed, attr)
            else:
                self.entities.append(Entity(kind, kind, placed, node))

    def _add_resource(self, entity: Entity, prefix: str = "") -> None:
        self.resources[entity.address] = entity
        self.by_type.setdefault(prefix + entity.type, []).append(entity)
        self.entities.append(entity)

    def _index_tfvars(self) -> None:
        names = sorted(
            (p for p in self.files if p.endswith(".tfvars")),
            key=lambda p: (not p.endswith("/terraform.tfvars"), p),
        )
        for path in names:
            base = path.replace("\\", "/").rsplit("/", 1)[-1]
            if not is_auto_tfvars(base):
                continue
            for placed in self.files[path].items:
                if isinstance(placed.node, Attribute):
                    self.tfvars[placed.node.name] = (placed, placed.node)

    # -- queries -----------------------------------------------------------------------------

    def of_type(self, *types: str) -> list[Entity]:
        out: list[Entity] = []
        for t in types:
            out.extend(self.by_type.get(t, ()))
        return out

    def tfvars_files(self) -> list[str]:
        return [p for p in self.files if p.endswith(".tfvars")]

    def evaluator(self) -> Evaluator:
        return Evaluator(_ModuleScope(self))

    def value(self, expr: Expr | None) -> Value:
        if expr is None:
            return UNKNOWN
        return self.evaluator().eval(expr)

    def attr_value(self, entity: Entity, name: str, default: Value = UNKNOWN) -> Value:
        """The value of an attribute of a block; ``default`` when it is not set."""
        attr = entity.block.attributes.get(name)
        if attr is None:
            return default
        return self.cached_value(attr.value)

    def cached_value(self, expr: Expr) -> Value:
        key = (id(expr), "")
        if key not in self._attr_cache:
            self._attr_cache[key] = self.value(expr)
        return self._attr_cache[key]

    def var_value(self, name: str) -> Value:
        if name in self._var_cache:
            return self._var_cache[name]
        value: Value = UNKNOWN
        json_override = _MISSING if self.inputs is not None else self._json_tfvar(name)
        if self.inputs is not None and name in self.inputs and not self._null_to_default(name):
            value = self.inputs[name]
        elif json_override is not _MISSING:
            value = json_override
        elif name in self.tfvars and self.inputs is None:
            value = Evaluator().eval(self.tfvars[name][1].value)
        elif name in self.variables:
            default = self.variables[name].attr("default")
            if default is not None:
                key = "var." + name
                if key in self._in_progress:
                    return UNKNOWN
                self._in_progress.add(key)
                try:
                    value = Evaluator().eval(default.value)
                finally:
                    self._in_progress.discard(key)
        self._var_cache[name] = value
        return value

    def _null_to_default(self, name: str) -> bool:
        """A call passing ``null`` to a variable declared ``nullable = false`` gets the
        default."""
        if self.inputs is None or self.inputs.get(name, _MISSING) is not None:
            return False
        variable = self.variables.get(name)
        nullable = variable.attr("nullable") if variable is not None else None
        return nullable is not None and Evaluator().eval(nullable.value) is False

    def _json_tfvar(self, name: str) -> Value:
        found: Value = _MISSING
        for path in sorted(self.json_tfvars):
            data = self.json_tfvars[path]
            if name in data:
                found = data[name]
        return found

    def local_value(self, name: str, evaluator: Evaluator | None = None) -> Value:
        if name in self._local_cache:
            return self._local_cache[name]
        local = self.locals.get(name)
        if local is None:
            return UNKNOWN
        key = "local." + name
        if key in self._in_progress:
            return UNKNOWN
        self._in_progress.add(key)
        try:
            value = self.evaluator().eval(local.attribute.value)
        finally:
            self._in_progress.discard(key)
        self._local_cache[name] = value
        return value

    def resolve(self, ref: Reference) -> Entity | None:
        """The entity a reference points at (``aws_s3_bucket.b.id`` → the bucket)."""
        address = ref.address()
        if address is None:
            return None
        if address.startswith("var."):
            return self.variables.get(address[4:])
        if address.startswith("module."):
            if self.calls is not None:
                # An output that stands for one resource of the called module: that
                # resource, its arguments evaluated there (see tfguard.calls).
                found = self.calls.entity(ref)
                if found is not None:
                    return found
            return self.module_calls.get(address[7:])
        return self.resources.get(address)

    def targets(self, expr: Expr | None) -> list[Entity]:
        """Every entity an expression refers to, in order, without repeats."""
        if expr is None:
            return []
        out: list[Entity] = []
        for ref in expr.references():
            entity = self.resolve(ref)
            if entity is not None and entity not in out:
                out.append(entity)
        return out

    @cached_property
    def referrers(self) -> dict[str, list[tuple[Entity, Reference]]]:
        """address → the entities (and reference nodes) that refer to it."""
        index: dict[str, list[tuple[Entity, Reference]]] = {}
        for entity in self.entities:
            for expr in entity.block.expressions():
                if isinstance(expr, Reference):
                    address = expr.address()
                    if address is not None:
                        index.setdefault(address, []).append((entity, expr))
        return index

    def linked(
        self,
        source_types: tuple[str, ...],
        link_attr: str,
        target: Entity,
        name_attr: str | None = None,
    ) -> list[Entity]:
        """Entities of ``source_types`` whose ``link_attr`` points at ``target``: by reference
        (``bucket = aws_s3_bucket.x.id``) or by the target's literal name (``name_attr``)."""
        name: Value = UNKNOWN
        if name_attr is not None:
            name = self.attr_value(target, name_attr)
        out: list[Entity] = []
        for source in self.of_type(*source_types):
            attr = source.attr(link_attr)
            if attr is None:
                continue
            if any(self.resolve(r) is target for r in attr.value.references()):
                out.append(source)
                continue
            if isinstance(name, str) and fully_known(name):
                value = self.cached_value(attr.value)
                if value == name:
                    out.append(source)
        return out

    def required_version(self) -> Value:
        for tf in self.terraform_blocks:
            attr = tf.attr("required_version")
            if attr is not None:
                return self.cached_value(attr.value)
        return None


_MISSING = object()


class _ModuleScope:
    def __init__(self, module: Module) -> None:
        self.module = module

    def resolve(self, ref: Reference, evaluator: Evaluator) -> Value:
        m = self.module
        steps = ref.steps
        root = ref.root
        if root == "var" and len(steps) >= 2 and isinstance(steps[1], str):
            return evaluator.value_at(m.var_value(steps[1]), steps[2:])
        if root == "local" and len(steps) >= 2 and isinstance(steps[1], str):
            return evaluator.value_at(m.local_value(steps[1]), steps[2:])
        if root == "module":
            return m.calls.value(ref, evaluator) if m.calls is not None else UNKNOWN
        entity = m.resolve(ref)
        if entity is None or entity.kind not in ("resource", "data", "ephemeral"):
            return UNKNOWN
        rest = steps[3:] if entity.kind in ("data", "ephemeral") else steps[2:]
        if rest and not isinstance(rest[0], str):
            rest = rest[1:]  # an instance index: all instances share their configuration
        if not rest or not isinstance(rest[0], str):
            return UNKNOWN
        attr = entity.attr(rest[0])
        if attr is None:
            return UNKNOWN
        key = f"{entity.address}.{rest[0]}"
        if key in m._in_progress:
            return UNKNOWN
        m._in_progress.add(key)
        try:
            return evaluator.value_at(m.value(attr.value), rest[1:])
        finally:
            m._in_progress.discard(key)


def load_json_tfvars(text: str) -> dict[str, Value]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("a .tfvars.json file must hold a JSON object")
    return data
