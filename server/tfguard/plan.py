"""Terraform plans in JSON (``terraform show -json plan.out > plan.json``): what will be built.

A plan lists every resource instance Terraform will create or keep, module calls expanded and
``count`` / ``for_each`` instances apart (``module.db[0].aws_db_instance.this``), with the
values it will have: :func:`plan_module` reads ``planned_values`` into a module whose
resources are those instances, so every rule runs on them unchanged. A value known only after
apply (``after_unknown`` in ``resource_changes``) is unknown, never a failure; an argument the
plan gives as ``null`` is not set.

A finding is reported in the configuration when it is next to the plan (the plan's directory
holds the root module): the plan's ``configuration`` section names the source of each module
call, and the resource's block and the argument in it are found there
(:func:`configuration_place`). Otherwise it stays in the plan file, on the planned value. A
plan carries no provider, variable or ``terraform`` settings as values, so the rules about
those have nothing to report on a plan.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tfguard.calls import Loaded, source_directory
from tfguard.document import ParsedFile
from tfguard.findings import SYNTAX_RULE_ID, Finding, Position, Range, Related, Severity
from tfguard.jsontree import JsonError, JsonNode, parse
from tfguard.module import Entity, Module
from tfguard.project import ProjectFiles
from tfguard.scanner import line_starts_of
from tfguard.syntax import (
    Attribute,
    Block,
    Computed,
    Expr,
    Literal,
    ObjectExpr,
    ObjectItem,
    Placed,
    TupleExpr,
)

MAX_PLAN_BYTES = 64 * 1024 * 1024
SUPPORTED_MAJOR = "1"
_INSTANCE_KEY = re.compile(r"\[[^\]]*\]$")


class PlanError(Exception):
    """A file that is not a plan tfguard can read, with where and why."""


def looks_like_plan(path: str) -> bool:
    """Whether a ``.json`` file is a plan: an object with ``format_version`` and
    ``planned_values`` (read only as far as needed: the first bytes must look like it)."""
    name = os.path.basename(path)
    if not name.endswith(".json") or name.endswith((".tfvars.json", ".tf.json", ".tofu.json")):
        return False
    try:
        if os.path.getsize(path) > MAX_PLAN_BYTES:
            return False
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return False
    return '"planned_values"' in text and '"format_version"' in text


@dataclass(slots=True)
class Plan:
    path: str
    text: str
    root: JsonNode
    module: Module
    problems: list[Finding]
    # resource address -> the configuration address parts: module call names, resource key
    addresses: dict[str, tuple[tuple[str, ...], str]]


def read_plan(path: str, text: str, project: ProjectFiles) -> Plan:
    """The plan in ``text`` as a module of its planned resources; :class:`PlanError` when the
    text is not JSON or not a plan."""
    starts = line_starts_of(text)

    def at(offset: int) -> Position:
        line = _line_of(starts, offset)
        return Position(line, offset - starts[line])

    try:
        root = parse(text)
    except JsonError as err:
        where = at(min(err.offset, len(text)))
        raise PlanError(
            f"{path}:{where.line + 1}:{where.character + 1}: invalid JSON: {err.message}"
        ) from None
    version = root.get("format_version") if root.kind == "object" else None
    planned = root.get("planned_values") if root.kind == "object" else None
    if version is None or planned is None:
        raise PlanError(f"{path}: not a Terraform plan (no format_version and planned_values)")
    if version.kind != "string" or str(version.value).split(".")[0] != SUPPORTED_MAJOR:
        raise PlanError(
            f"{path}: plan format_version {version.plain()!r} is not supported "
            f"(tfguard reads format {SUPPORTED_MAJOR}.x)"
        )
    reader = _Reader(path, text, at)
    unknown = reader.after_unknown(root.get("resource_changes"))
    module = Module(os.path.dirname(path), {}, None, project)
    addresses: dict[str, tuple[tuple[str, ...], str]] = {}
    root_module = planned.get("root_module") if planned.kind == "object" else None
    for node in reader.modules(root_module):
        entity = reader.entity(node, unknown)
        if entity is None:
            continue
        module._add_resource(entity, "data." if entity.kind == "data" else "")
        addresses[entity.address] = _configuration_address(entity.address)
    return Plan(path, text, root, module, reader.problems, addresses)


def _line_of(starts: tuple[int, ...], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _configuration_address(address: str) -> tuple[tuple[str, ...], str]:
    """``module.db[0].aws_db_instance.this[1]`` → (("db",), "aws_db_instance.this")."""
    parts = _split_address(address)
    calls: list[str] = []
    while len(parts) >= 2 and parts[0] == "module":
        calls.append(_INSTANCE_KEY.sub("", parts[1]))
        parts = parts[2:]
    resource = ".".join(_INSTANCE_KEY.sub("", p) for p in parts)
    return tuple(calls), resource


def _split_address(address: str) -> list[str]:
    """Address parts split at the dots outside instance keys (``["a.b"]``)."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    quote = False
    for ch in address:
        if quote:
            current.append(ch)
            if ch == '"':
                quote = False
            continue
        if ch == '"':
            quote = True
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "." and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


class _Reader:
    def __init__(self, path: str, text: str, at: Callable[[int], Position]) -> None:
        self.path = path
        self.text = text
        self.at = at
        self.problems: list[Finding] = []

    def span(self, node: JsonNode) -> Range:
        return Range(self.at(node.start), self.at(node.end))

    def problem(self, node: JsonNode, message: str) -> None:
        self.problems.append(
            Finding(SYNTAX_RULE_ID, Severity.HIGH, message, self.path, self.span(node))
        )

    def after_unknown(self, changes: JsonNode | None) -> dict[str, JsonNode]:
        """Resource address → its ``change.after_unknown`` (what is known after apply)."""
        out: dict[str, JsonNode] = {}
        if changes is None or changes.kind != "array":
            return out
        for change in changes.items:
            if change.kind != "object":
                continue
            address = change.get("address")
            body = change.get("change")
            unknown = (
                body.get("after_unknown") if body is not None and body.kind == "object" else None
            )
            if address is not None and address.kind == "string" and unknown is not None:
                out[str(address.value)] = unknown
        return out

    def modules(self, node: JsonNode | None) -> Iterator[JsonNode]:
        """The resources of a planned module and of its child modules, depth first."""
        if node is None or node.kind != "object":
            return
        resources = node.get("resources")
        if resources is not None and resources.kind == "array":
            yield from resources.items
        children = node.get("child_modules")
        if children is not None and children.kind == "array":
            for child in children.items:
                yield from self.modules(child)

    def entity(self, node: JsonNode, unknown: dict[str, JsonNode]) -> Entity | None:
        if node.kind != "object":
            self.problem(node, "a planned resource must be a JSON object: skipped")
            return None
        address = node.get("address")
        kind = node.get("type")
        name = node.get("name")
        mode = node.get("mode")
        if not all(n is not None and n.kind == "string" for n in (address, kind, name)):
            self.problem(node, "a planned resource without address, type and name: skipped")
            return None
        assert address is not None and kind is not None and name is not None
        is_data = mode is not None and mode.value == "data"
        values = node.get("values")
        header = self.span(address)
        block = Block(
            "data" if is_data else "resource",
            (str(kind.value), str(name.value)),
            header,
            (header, header),
            self.span(node),
            self.at(node.start),
            self.at(node.end - 1),
        )
        self.body(block, values, unknown.get(str(address.value)))
        return Entity(
            block.type,
            str(address.value),
            Placed(block, self.path, 0),
            block,
        )

    def body(self, block: Block, values: JsonNode | None, unknown: JsonNode | None) -> None:
        """Arguments and nested blocks of ``block`` from a values object: a non-empty list of
        objects is nested blocks, ``null`` is not set, an unknown value is computed."""
        seen: set[str] = set()
        for member in values.members if values is not None and values.kind == "object" else []:
            name = member.key
            value = member.value
            seen.add(name)
            inner = unknown.get(name) if unknown is not None and unknown.kind == "object" else None
            known_after = inner is not None and inner.kind == "bool" and inner.value is True
            key_range = Range(self.at(member.key_start), self.at(member.key_end))
            whole = Range(self.at(member.key_start), self.at(value.end))
            if value.kind == "null" and not known_after:
                continue  # not set
            if (
                value.kind == "array"
                and value.items
                and all(item.kind == "object" for item in value.items)
            ):
                single = len(value.items) == 1
                for index, item in enumerate(value.items):
                    # One block: shown on its key; several: each on its opening brace.
                    brace = Range(self.at(item.start), self.at(item.start + 1))
                    nested = Block(
                        name,
                        (),
                        key_range if single else brace,
                        (),
                        whole if single else self.span(item),
                        self.at(item.start),
                        self.at(item.end - 1),
                    )
                    item_unknown = (
                        inner.items[index]
                        if inner is not None and inner.kind == "array" and index < len(inner.items)
                        else None
                    )
                    self.body(nested, item, item_unknown)
                    block.blocks.append(nested)
                continue
            expr = self.expr(value, inner)
            block.attributes[name] = Attribute(name, key_range, expr, whole)
        if unknown is None or unknown.kind != "object":
            return
        for member in unknown.members:
            if member.key in seen or member.value.kind != "bool" or member.value.value is not True:
                continue
            key_range = Range(self.at(member.key_start), self.at(member.key_end))
            block.attributes[member.key] = Attribute(
                member.key,
                key_range,
                Computed(key_range, "(known after apply)"),
                Range(key_range.start, self.at(member.value.end)),
            )

    def expr(self, node: JsonNode, unknown: JsonNode | None) -> Expr:
        rng = self.span(node)
        text = self.text[node.start : node.end]
        if unknown is not None and unknown.kind == "bool" and unknown.value is True:
            return Computed(rng, "(known after apply)")
        if node.kind == "array":
            items = unknown.items if unknown is not None and unknown.kind == "array" else []
            return TupleExpr(
                rng,
                text,
                tuple(
                    self.expr(item, items[i] if i < len(items) else None)
                    for i, item in enumerate(node.items)
                ),
            )
        if node.kind == "object":
            members: list[ObjectItem] = []
            for member in node.members:
                key_range = Range(self.at(member.key_start), self.at(member.key_end))
                inner = unknown.get(member.key) if unknown is not None else None
                members.append(
                    ObjectItem(
                        Literal(
                            key_range, self.text[member.key_start : member.key_end], member.key
                        ),
                        member.key,
                        self.expr(member.value, inner),
                        Range(key_range.start, self.at(member.value.end)),
                    )
                )
            return ObjectExpr(rng, text, tuple(members))
        return Literal(rng, text, node.value)


# -- back to the configuration -------------------------------------------------------------


def module_sources(root: JsonNode) -> dict[tuple[str, ...], str]:
    """Module call path (``("app", "db")``) → the ``source`` the plan's configuration gives."""
    out: dict[tuple[str, ...], str] = {}
    configuration = root.get("configuration")
    start = configuration.get("root_module") if configuration is not None else None

    def walk(node: JsonNode | None, path: tuple[str, ...]) -> None:
        calls = node.get("module_calls") if node is not None and node.kind == "object" else None
        for member in calls.members if calls is not None and calls.kind == "object" else []:
            call = member.value
            source = call.get("source") if call.kind == "object" else None
            here = (*path, member.key)
            if source is not None and source.kind == "string":
                out[here] = str(source.value)
            walk(call.get("module") if call.kind == "object" else None, here)

    walk(start, ())
    return out


class Configuration:
    """The configuration next to a plan: its module directories, loaded on demand."""

    def __init__(
        self,
        plan: Plan,
        load: Callable[[str], Loaded | None],
        project: Callable[[str], ProjectFiles],
    ) -> None:
        self.plan = plan
        self.root = os.path.dirname(plan.path)
        self.load = load
        self.init_root = project(self.root)
        self.sources = module_sources(plan.root)
        self._directories: dict[tuple[str, ...], str | None] = {(): self.root}
        self._modules: dict[str, Module | None] = {}

    def present(self) -> bool:
        return self.module(self.root) is not None

    def files(self) -> dict[str, ParsedFile]:
        """The files of the configuration's modules read so far."""
        out: dict[str, ParsedFile] = {}
        for module in self._modules.values():
            if module is not None:
                out.update(module.files)
        return out

    def module(self, directory: str) -> Module | None:
        if directory not in self._modules:
            loaded = self.load(directory)
            self._modules[directory] = (
                Module(directory, loaded.files) if loaded is not None else None
            )
        return self._modules[directory]

    def directory(self, calls: tuple[str, ...]) -> str | None:
        if calls in self._directories:
            return self._directories[calls]
        parent = self.directory(calls[:-1])
        found: str | None = None
        if parent is not None:
            source = self.sources.get(calls)
            if source is None:
                caller = self.module(parent)
                call = caller.module_calls.get(calls[-1]) if caller is not None else None
                value = caller.attr_value(call, "source") if caller and call else None
                source = value if isinstance(value, str) else None
            if source is not None:
                found = source_directory(parent, source, ".".join(calls), self.init_root)
        self._directories[calls] = found
        return found

    def resource(self, address: str) -> Entity | None:
        parts = self.plan.addresses.get(address)
        if parts is None:
            return None
        directory = self.directory(parts[0])
        module = self.module(directory) if directory is not None else None
        return module.resources.get(parts[1]) if module is not None else None


def configuration_place(
    planned: Entity, configured: Entity, finding: Finding
) -> tuple[Range, tuple[int, ...], tuple[int, int]]:
    """Where ``finding`` (on ``planned``, a resource of the plan) goes in ``configured`` (its
    block in the configuration): the same argument when it is written there, else the
    deepest block that is (the resource's header at least). Returns the range, the scope
    lines and the block's lines, absolute."""
    plan_block: Block = planned.block
    config_block: Block = configured.block
    target = finding.range
    anchor: Range = config_block.header_range
    while True:
        moved = False
        for attr in plan_block.attributes.values():
            if attr.range.contains(target):
                written = config_block.attributes.get(attr.name)
                if written is not None:
                    anchor = written.range
                    item = _object_item(attr, written, target)
                    if item is not None:
                        anchor = item
                return _placed(configured, anchor)
        for nested in plan_block.blocks:
            if not nested.range.contains(target) and nested.type_range != target:
                continue
            index = [b for b in plan_block.blocks if b.type == nested.type].index(nested)
            options = _nested(config_block, nested.type)
            if index < len(options):
                chosen = options[index]
            elif options and options[-1].type == "dynamic":
                chosen = options[-1]  # one of the blocks a dynamic block generates
            else:
                if options:
                    anchor = options[-1].header_range
                return _placed(configured, anchor)
            plan_block = nested
            anchor = chosen.header_range
            content = chosen.block("content") if chosen.type == "dynamic" else None
            config_block = content if content is not None else chosen
            moved = True
            break
        if not moved:
            return _placed(configured, anchor)


def _object_item(planned: Attribute, written: Attribute, target: Range) -> Range | None:
    if not isinstance(planned.value, ObjectExpr) or not isinstance(written.value, ObjectExpr):
        return None
    for item in planned.value.items:
        if item.range.contains(target) and item.key_name is not None:
            found = written.value.get(item.key_name)
            return found.range if found is not None else None
    return None


def _nested(block: Block, name: str) -> list[Block]:
    """The nested blocks ``name`` written in a block: plain ones, then the content of
    ``dynamic "name"`` blocks (one per dynamic block: its instances are not known here)."""
    out = list(block.blocks_of(name))
    for dynamic in block.blocks_of("dynamic"):
        if dynamic.labels == (name,):
            out.append(dynamic)
    return out


def _placed(entity: Entity, rel: Range) -> tuple[Range, tuple[int, ...], tuple[int, int]]:
    lines: list[int] = []
    for r in entity.block.scope_of(rel):
        line = entity.abs(r).start.line
        if line not in lines:
            lines.append(line)
    whole = entity.abs(entity.block.range)
    return entity.abs(rel), tuple(lines), (whole.start.line, whole.end.line)


def in_configuration(configuration: Configuration, plan: Plan, finding: Finding) -> Finding:
    """``finding`` (of a rule run on the plan) moved into the configuration, when the
    resource's block is found there; unchanged otherwise."""
    address = finding.data.get("address")
    planned = plan.module.resources.get(str(address)) if address is not None else None
    if planned is None:
        for entity in plan.module.entities:
            if entity.block.range.contains(finding.range):
                planned = entity
    if planned is None:
        return finding
    configured = configuration.resource(planned.address)
    if configured is None:
        return finding
    rng, scope, lines = configuration_place(planned, configured, finding)
    return Finding(
        finding.rule_id,
        finding.severity,
        finding.message,
        configured.path,
        rng,
        (
            Related(plan.path, finding.range, f"the planned value of {planned.address}"),
            *(_related_in_configuration(configuration, plan, r) for r in finding.related),
        ),
        scope,
        lines,
        {**finding.data, "plan": plan.path},
    )


def _related_in_configuration(
    configuration: Configuration, plan: Plan, related: Related
) -> Related:
    """A related place on another planned resource: that resource's block, when found."""
    if related.path != plan.path:
        return related
    for entity in plan.module.entities:
        if entity.block.range.contains(related.range):
            configured = configuration.resource(entity.address)
            if configured is not None:
                header = configured.abs(configured.block.header_range)
                return Related(configured.path, header, related.message)
    return related
