"""Module calls: each called module analysed with the arguments of its call.

A ``module`` block whose ``source`` is a local path (``./modules/sg``, ``../../``), or a
registry or git module that ``terraform init`` has already installed (found through
``.terraform/modules/modules.json`` of the directory analysed; nothing is ever downloaded),
is analysed once per call with the call's arguments bound to its variables (the defaults for
the others; a called module's tfvars files do not apply). ``count`` and ``for_each`` on the
call are respected: each instance gets its own arguments (``count.index``, ``each.value``), and
instances whose arguments are the same are analysed once. Calls inside called modules are
followed down to :data:`MAX_DEPTH`; a call that would enter a module already being expanded
(a cycle) is not followed.

**Which findings the caller gets.** The called module is also analysed alone (as ``tfguard``
analyses its directory on its own). A finding of the analysis with the call's arguments that
the analysis alone does not have exists *because of the arguments*: it is reported in the
caller, on the argument it depends on (``cidrs = ["0.0.0.0/0"]``: where the fix goes), with
the called module's resource as related location and the call chain in the message
(``module.app → module.sg: ...``). The argument is the first one without which (its
variable's default in its place) the finding goes: those the flagged place refers to (through
locals, other resources and iteration) are tried first, one by one, then the others by halves;
when no single argument decides, the first one the place refers to (else the call's header).
A finding that holds for any input is the called module's own: it stays there, reported by
the module's own analysis, once (not once per call).
Suppressions in the called module's files apply to its findings whatever the arguments;
suppressions in the caller apply at the argument. These findings offer no quick fix (the fix
is in the value passed, which only the author can choose).

**What flows back.** ``module.<name>.<output>`` evaluates to the output's expression evaluated
in the called module (``module.x[0].out``, ``module.x["k"].out`` and ``module.x[*].out`` for
calls with ``count`` / ``for_each``). An output whose expression refers to exactly one
resource or data source of the called module (``aws_s3_bucket.this.id``, also through locals,
``try()`` or nested calls) *stands for* that resource: :meth:`Module.resolve` returns it, so
cross-resource rules link a caller's ``aws_s3_bucket_public_access_block`` to the bucket the
module creates. The caller's rules get a materialized copy (:mod:`tfguard.materialize`): its
arguments are the values computed in the called module, its address is prefixed with the call
(``module.bucket.aws_s3_bucket.this``), and its ranges are in the called module's files. It is
a link target only: it is not one of the caller's resources (``live()`` never lists it), and a
finding a caller's rule reports on it is shown on the module call. The called module's own
analysis does not see the caller's resources (a bucket whose public access block is declared
by the caller is still reported by the bucket's module when it is analysed alone).
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from cachetools import LRUCache

from tfguard.document import ParsedFile
from tfguard.evaluate import UNKNOWN, Evaluator, Value, fully_known
from tfguard.findings import Finding, Range, Related
from tfguard.materialize import block_values
from tfguard.module import Entity, Module
from tfguard.project import MODULES_MANIFEST, ProjectFiles
from tfguard.rules.base import Context, Rule
from tfguard.syntax import DYNAMIC, SPLAT, Attribute, Block, Expr, Placed, Reference, Step

log = logging.getLogger(__name__)

MAX_DEPTH = 4  # levels of calls followed below the module analysed
MAX_INSTANCES = 64  # instances of one call analysed one by one (more: once, unbound)
MAX_SHOWN = 3  # instances named in one message
MAX_PROBES = 16  # arguments tried one by one to tell which one a finding exists for
CACHE_ENTRIES = 256
# Arguments of a module block that are not the module's variables.
META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
RESOURCE_KINDS = ("resource", "data", "ephemeral")


@dataclass(frozen=True, slots=True)
class Loaded:
    """A module directory's files as the engine reads them (editor buffers win)."""

    directory: str
    files: dict[str, ParsedFile]
    json_tfvars: dict[str, dict[str, Value]]
    fingerprint: tuple[tuple[str, int], ...]


class Host(Protocol):
    """What the expansion needs from the engine."""

    def load_module(self, directory: str) -> Loaded | None:
        """The module in ``directory`` (``None``: it cannot be read, or must not be)."""
        ...

    def unsuppressed(
        self, files: Mapping[str, ParsedFile], findings: list[Finding]
    ) -> list[Finding]:
        """``findings`` but those an inline suppression in ``files`` silences."""
        ...

    def project(self, directory: str) -> ProjectFiles: ...


@dataclass(frozen=True, slots=True)
class Target:
    """Where a call's ``source`` leads."""

    directory: str
    source: str
    key: str  # the call's key in modules.json ("app", "app.sg")


@dataclass(slots=True, eq=False)
class Instance:
    """One instance of a call (the only one without ``count`` / ``for_each``)."""

    key: int | str | None  # count.index / each.key; None: not repeated, or not known
    address: str  # module.sg, module.sg[0], module.sg["a"]
    inputs: dict[str, Value]
    inputs_key: Hashable
    called: Called | None = None


@dataclass(slots=True, eq=False)
class Site:
    """One ``module`` block of a module."""

    name: str
    call: Entity
    target: Target | None
    repeated: bool = False  # count or for_each is set
    instances: list[Instance] | None = None


@dataclass(slots=True, eq=False)
class Called:
    """A module analysed once: with one set of arguments (``inputs``), or alone (``None``)."""

    directory: str
    inputs_key: Hashable
    fingerprint: tuple[tuple[str, int], ...]
    module: Module
    expansion: Expansion
    findings: list[Finding] | None = None
    rule_errors: list[str] = field(default_factory=list)
    outputs: dict[str, Value] = field(default_factory=dict)
    targets: dict[str, Entity | None] = field(default_factory=dict)  # output -> resource
    foreign: dict[int, Entity] = field(default_factory=dict)

    def walk(self) -> Iterator[Called]:
        """This analysis and those it used, each once (modules analysed alone may call each
        other in a cycle)."""
        seen: set[int] = set()
        todo: list[Called] = [self]
        while todo:
            called = todo.pop()
            if id(called) in seen:
                continue
            seen.add(id(called))
            yield called
            todo.extend(called.expansion.children)


class Driver:
    """Called modules for one engine: created on demand, analysed once per (module, argument
    values, rule set), kept between analyses while none of their files changes."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.rules: tuple[Rule, ...] = ()
        self._cache: LRUCache[Hashable, Called] = LRUCache(maxsize=CACHE_ENTRIES)
        self._loaded: dict[str, Loaded | None] = {}

    def begin(self, rules: Sequence[Rule]) -> None:
        """A new analysis: files may have changed since the last one."""
        self.rules = tuple(rules)
        self._loaded.clear()

    def expand(self, module: Module, follow: bool = True) -> Expansion:
        """The expansion of the module analysed (the root of the calls); with ``follow``
        false, one that follows no call (each module analysed on its own)."""
        root = os.path.realpath(module.directory)
        depth = 0 if follow else MAX_DEPTH
        expansion = Expansion(self, module, module.project, "", depth, (root,), self.rules)
        module.calls = expansion
        return expansion

    def load(self, directory: str) -> Loaded | None:
        if directory not in self._loaded:
            self._loaded[directory] = self.host.load_module(directory)
        return self._loaded[directory]

    def fingerprint(self, directory: str) -> tuple[tuple[str, int], ...] | None:
        loaded = self.load(directory)
        return loaded.fingerprint if loaded is not None else None

    def _valid(self, called: Called) -> bool:
        return all(self.fingerprint(c.directory) == c.fingerprint for c in called.walk())

    def called(
        self,
        target: Target,
        inputs: dict[str, Value] | None,
        inputs_key: Hashable,
        init_root: ProjectFiles,
        key: str,
        depth: int,
        stack: tuple[str, ...],
        rules: tuple[Rule, ...],
    ) -> Called | None:
        """The module at ``target`` analysed with ``inputs`` (``None``: alone) by ``rules``."""
        if inputs is None:
            # Alone: as its own directory is analysed, whoever calls it (its tfvars apply,
            # its own terraform init decides where its calls lead), and computed once.
            init_root, key, depth, stack = self.host.project(target.directory), "", 0, ()
        # What terraform init installed decides where the module's own calls lead.
        manifest = hash(init_root.text(MODULES_MANIFEST) or "")
        cache_key = (
            target.directory,
            inputs_key,
            init_root.directory,
            manifest,
            key,
            depth,
            stack,
            rules,
        )
        cached = self._cache.get(cache_key)
        if cached is not None and self._valid(cached):
            return cached
        loaded = self.load(target.directory)
        if loaded is None:
            return None
        if inputs is None:
            module = Module(target.directory, loaded.files, loaded.json_tfvars, init_root)
            prefix = ""
        else:
            module = Module(
                target.directory, loaded.files, None, self.host.project(target.directory), inputs
            )
            prefix = key + "."
        real = os.path.realpath(target.directory)
        expansion = Expansion(self, module, init_root, prefix, depth, (*stack, real), rules)
        module.calls = expansion
        called = Called(target.directory, inputs_key, loaded.fingerprint, module, expansion)
        self._cache[cache_key] = called
        return called

    def findings_of(self, called: Called) -> list[Finding]:
        """The findings of a called module (its rules, then its own calls), suppressions in
        its files applied."""
        if called.findings is not None:
            return called.findings
        called.findings = []  # re-entered through a cycle: nothing
        module = called.module
        raw, errors = run_rules(module, called.expansion.rules)
        raw = called.expansion.localized(raw)
        nested, nested_errors = called.expansion.findings()
        raw.extend(nested)
        called.findings = self.host.unsuppressed(module.files, raw)
        called.rule_errors = [*errors, *nested_errors]
        return called.findings


def run_rules(module: Module, rules: Sequence[Rule]) -> tuple[list[Finding], list[str]]:
    """What ``rules`` find in ``module``, and the errors of those that failed."""
    found: list[Finding] = []
    errors: list[str] = []
    for rule in rules:
        ctx = Context(module, rule)
        try:
            for _ in rule.check(ctx) or ():
                pass
        except Exception as err:  # a broken rule must not silence the others
            log.exception("rule %s failed on %s", rule.id, module.directory)
            errors.append(f"{rule.id}: {type(err).__name__}: {err}")
        found.extend(ctx.findings)
    return found, errors


class Expansion:
    """The calls of one module (implements :class:`tfguard.module.ModuleCalls`)."""

    def __init__(
        self,
        driver: Driver,
        module: Module,
        init_root: ProjectFiles,
        key_prefix: str,
        depth: int,
        stack: tuple[str, ...],
        rules: tuple[Rule, ...],
    ) -> None:
        self.driver = driver
        self.module = module
        self.init_root = init_root
        self.key_prefix = key_prefix
        self.depth = depth
        self.stack = stack
        self.rules = rules
        self.children: list[Called] = []
        self._sites: dict[str, Site] | None = None
        self._computing: set[str] = set()
        self._evaluating: set[tuple[int, str]] = set()
        self._foreign: list[tuple[Site, Instance, Entity]] = []

    # -- the calls ---------------------------------------------------------------------------

    def sites(self) -> dict[str, Site]:
        if self._sites is None:
            self._sites = {}
            for name, call in sorted(self.module.module_calls.items()):
                self._sites[name] = Site(name, call, self._target(name, call))
        return self._sites

    def _target(self, name: str, call: Entity) -> Target | None:
        if self.depth >= MAX_DEPTH:
            return None
        source = self.module.attr_value(call, "source", None)
        if not isinstance(source, str) or not source:
            return None
        key = self.key_prefix + name
        directory = source_directory(self.module.directory, source, key, self.init_root)
        if directory is None:
            return None
        if os.path.realpath(directory) in self.stack:
            log.debug("%s: the call of %s is a cycle, not followed", self.module.directory, key)
            return None
        return Target(directory, source, key)

    def instances(self, site: Site) -> list[Instance] | None:
        """The instances of a call, arguments evaluated (``None`` while they are being
        evaluated: an argument that refers to the call's own outputs)."""
        if site.instances is not None:
            return site.instances
        if site.name in self._computing:
            return None
        self._computing.add(site.name)
        try:
            site.instances = self._instances(site)
        finally:
            self._computing.discard(site.name)
        return site.instances

    def _instances(self, site: Site) -> list[Instance]:
        module = self.module
        call = site.call
        frames: list[tuple[int | str | None, dict[str, Any]]] | None = None
        for_each = call.attr("for_each")
        count = call.attr("count")
        site.repeated = for_each is not None or count is not None
        if for_each is not None:
            items = module.cached_value(for_each.value)
            if isinstance(items, dict):
                frames = [(str(k), {"each": {"key": k, "value": v}}) for k, v in items.items()]
            elif isinstance(items, list) and all(
                isinstance(i, str) and fully_known(i) for i in items
            ):
                frames = [(v, {"each": {"key": v, "value": v}}) for v in dict.fromkeys(items)]
        elif count is not None:
            number = module.cached_value(count.value)
            if isinstance(number, float) and number.is_integer():
                number = int(number)
            if isinstance(number, int) and not isinstance(number, bool) and number >= 0:
                frames = [(i, {"count": {"index": i}}) for i in range(number)]
        address = f"module.{site.name}"
        if frames is None or len(frames) > MAX_INSTANCES:
            return [self._instance(site, address, None, {})]
        return [
            self._instance(site, _instance_address(address, k), k, frame) for k, frame in frames
        ]

    def _instance(
        self, site: Site, address: str, key: int | str | None, frame: dict[str, Any]
    ) -> Instance:
        evaluator = self.module.evaluator()
        if frame:
            evaluator.bindings = [frame]
        arguments = self._arguments(site.call)
        inputs = {name: evaluator.eval(attr.value) for name, attr in arguments.items()}
        return Instance(key, address, inputs, _freeze(inputs))

    @staticmethod
    def _arguments(call: Entity) -> dict[str, Attribute]:
        return {n: a for n, a in call.block.attributes.items() if n not in META_ARGUMENTS}

    def called(self, site: Site, instance: Instance) -> Called | None:
        if instance.called is None and site.target is not None:
            instance.called = self.driver.called(
                site.target,
                instance.inputs,
                instance.inputs_key,
                self.init_root,
                site.target.key,
                self.depth + 1,
                self.stack,
                self.rules,
            )
            if instance.called is not None and instance.called not in self.children:
                self.children.append(instance.called)
        return instance.called

    def alone(self, site: Site) -> Called | None:
        if site.target is None:
            return None
        called = self.driver.called(site.target, None, None, self.init_root, "", 0, (), self.rules)
        if called is not None and called not in self.children:
            self.children.append(called)
        return called

    # -- values flowing back -----------------------------------------------------------------

    def _pick(
        self, ref: Reference, evaluator: Evaluator | None
    ) -> tuple[Site, list[Instance], list[Step], bool] | None:
        """The site a ``module.<name>...`` reference names, the instances it selects, the
        steps after the instance, and whether it splats over all of them."""
        if len(ref.steps) < 2 or not isinstance(ref.steps[1], str):
            return None
        site = self.sites().get(ref.steps[1])
        if site is None or site.target is None:
            return None
        instances = self.instances(site)
        if not instances:
            return None
        steps: list[Step] = []
        index_exprs = iter(ref.index_exprs)
        for step in ref.steps[2:]:
            if step == DYNAMIC:
                key = evaluator.eval(next(index_exprs, None)) if evaluator is not None else None
                if key is UNKNOWN or key is None:
                    return None
                steps.append(key)
            else:
                steps.append(step)
        if not site.repeated:
            return site, instances[:1], steps, False
        if not steps:
            return None
        first, rest = steps[0], steps[1:]
        known = not (len(instances) == 1 and instances[0].key is None)
        if first == SPLAT:
            return (site, instances, rest, True) if known else None
        if not known:
            return site, instances, rest, False  # instances not known: the one analysed
        for instance in instances:
            if instance.key == first or str(instance.key) == str(first):
                return site, [instance], rest, False
        return None

    def value(self, ref: Reference, evaluator: Evaluator) -> Value:
        picked = self._pick(ref, evaluator)
        if picked is None:
            return UNKNOWN
        site, instances, steps, splat = picked
        values = []
        for instance in instances:
            if not steps:
                values.append(self._all_outputs(site, instance))
                continue
            name = steps[0]
            if not isinstance(name, str):
                return UNKNOWN
            values.append(evaluator.value_at(self._output(site, instance, name), tuple(steps[1:])))
        return values if splat else values[0]

    def _output(self, site: Site, instance: Instance, name: str) -> Value:
        called = self.called(site, instance)
        if called is None:
            return UNKNOWN
        if name in called.outputs:
            return called.outputs[name]
        output = called.module.outputs.get(name)
        if output is None:
            return UNKNOWN
        key = (id(called), name)
        if key in self._evaluating:
            return UNKNOWN
        self._evaluating.add(key)
        try:
            expr = output.expr("value")
            value = called.module.cached_value(expr) if expr is not None else UNKNOWN
        finally:
            self._evaluating.discard(key)
        called.outputs[name] = value
        return value

    def _all_outputs(self, site: Site, instance: Instance) -> Value:
        called = self.called(site, instance)
        if called is None:
            return UNKNOWN
        return {name: self._output(site, instance, name) for name in called.module.outputs}

    def entity(self, ref: Reference) -> Entity | None:
        picked = self._pick(ref, None)
        if picked is None:
            return None
        site, instances, steps, _ = picked
        if not steps or not isinstance(steps[0], str):
            return None
        instance = instances[0]
        called = self.called(site, instance)
        if called is None:
            return None
        name = steps[0]
        if name not in called.targets:
            output = called.module.outputs.get(name)
            expr = output.expr("value") if output is not None else None
            called.targets[name] = None  # while it is looked for (an output naming itself)
            called.targets[name] = _single_target(called.module, expr)
        target = called.targets[name]
        if target is None:
            return None
        found = called.foreign.get(id(target))
        if found is None:
            found = _materialized(called.module, target, f"{instance.address}.{target.address}")
            called.foreign[id(target)] = found
            self._foreign.append((site, instance, found))
        return found

    # -- findings ----------------------------------------------------------------------------

    def localized(self, findings: list[Finding]) -> list[Finding]:
        """A finding a rule reported on a called module's resource (reached through an
        output) is shown on the module call instead."""
        out: list[Finding] = []
        for finding in findings:
            if finding.path in self.module.files:
                out.append(finding)
                continue
            for site, instance, entity in self._foreign:
                if entity.path == finding.path and entity.abs(entity.block.range).contains(
                    finding.range
                ):
                    out.append(self._moved(site, instance, finding, entity))
                    break
            else:
                log.debug("dropped a finding outside the module: %s", finding)
        return out

    def _moved(self, site: Site, instance: Instance, finding: Finding, entity: Entity) -> Finding:
        call = site.call
        rel = call.block.header_range
        return _placed(
            call,
            rel,
            finding,
            f"{finding.message} ({entity.address}, created by {instance.address})",
            (Related(finding.path, finding.range, f"{entity.address}"), *finding.related),
            {**finding.data, "address": entity.address},
        )

    def findings(self) -> tuple[list[Finding], list[str]]:
        """The findings the calls of this module exist for because of their arguments, on
        the arguments; and the rule errors of the called modules."""
        out: list[Finding] = []
        errors: list[str] = []
        for site in self.sites().values():
            instances = self.instances(site) or []
            if site.target is None or not instances:
                continue
            alone = self.alone(site)
            if alone is None:
                continue
            baseline = Counter(_key(f) for f in self.driver.findings_of(alone))
            groups: dict[Hashable, list[Instance]] = {}
            for instance in instances:
                groups.setdefault(instance.inputs_key, []).append(instance)
            merged: dict[Hashable, tuple[Finding, list[str]]] = {}
            for group in groups.values():
                called = self.called(site, group[0])
                if called is None:
                    continue
                remaining = Counter(baseline)
                for finding in self.driver.findings_of(called):
                    key = _key(finding)
                    if remaining[key] > 0:
                        remaining[key] -= 1
                        continue
                    cause = self._cause(site, group[0], called, finding)
                    translated = self._translated(site, called, finding, cause)
                    slot = (translated.rule_id, translated.range, _key(finding))
                    if slot in merged:
                        merged[slot][1].extend(i.address for i in group)
                    else:
                        merged[slot] = (translated, [i.address for i in group])
                errors.extend(f"{site.call.address}: {e}" for e in called.rule_errors)
            for translated, addresses in merged.values():
                out.append(_named(translated, addresses))
        return out, list(dict.fromkeys(errors))

    def _cause(
        self, site: Site, instance: Instance, called: Called, finding: Finding
    ) -> str | None:
        """The argument of the call a finding exists for: the first one without which (its
        variable's default in its place) the finding goes, trying those the finding's place
        depends on first (:func:`dependencies`), then the others; the first it depends on
        when no single one decides (``None``: it depends on none)."""
        arguments = self._arguments(site.call)
        depends = [n for n in dependencies(called.module, finding) if n in arguments]
        rule = next((r for r in self.rules if r.id == finding.rule_id), None)
        if rule is None or site.target is None:
            return depends[0] if depends else None
        wanted = _key(finding)
        target = site.target

        def goes_without(names: Sequence[str]) -> bool:
            inputs = {k: v for k, v in instance.inputs.items() if k not in names}
            probe = self.driver.called(
                target,
                inputs,
                _freeze(inputs),
                self.init_root,
                target.key,
                self.depth + 1,
                self.stack,
                (rule,),
            )
            return probe is not None and wanted not in {
                _key(f) for f in self.driver.findings_of(probe)
            }

        for name in depends[:MAX_PROBES]:
            if goes_without([name]):
                return name
        # The others, halved while the finding goes without one half (a few probes for
        # dozens of arguments).
        others = [n for n in arguments if n not in depends]
        if others and goes_without(others):
            while len(others) > 1:
                half = others[: len(others) // 2]
                if goes_without(half):
                    others = half
                elif goes_without(others[len(half) :]):
                    others = others[len(half) :]
                else:
                    break  # only some of both halves together: the first stands for them
            return others[0]
        return depends[0] if depends else None

    def _translated(
        self, site: Site, called: Called, finding: Finding, argument: str | None
    ) -> Finding:
        """A finding of a called module, placed on the ``argument`` of ``site`` it exists for
        (``via`` and the message are completed by :func:`_named`)."""
        arguments = self._arguments(site.call)
        call = site.call
        rel = arguments[argument].range if argument is not None else call.block.header_range
        inner_address = str(finding.data.get("address", ""))
        via = [str(v) for v in finding.data.get("via", ())]
        origin = finding.data.get("origin") or [
            finding.path,
            finding.range.start.line,
            finding.range.start.character,
            finding.range.end.line,
            finding.range.end.character,
        ]
        message = str(finding.data.get("origin_message", finding.message))
        where = f" in {site.target.source}" if site.target is not None else ""
        related = (
            Related(finding.path, finding.range, f"{inner_address or 'the resource'}{where}"),
            *finding.related,
        )
        data = {
            **finding.data,
            "address": inner_address,
            "via": via,
            "origin": origin,
            "origin_message": message,
            "argument": argument,
        }
        return _placed(call, rel, finding, message, related, data)


def called_directories(
    module: Module, load: Callable[[str], Loaded | None], depth: int = 0
) -> set[str]:
    """The directories of the modules ``module`` calls, at any depth (a cycle or the depth
    bound stops), read without analysing anything: what a change can reach it from."""
    found: set[str] = set()
    todo: list[tuple[Module, str, int]] = [(module, "", depth)]
    seen = {os.path.realpath(module.directory)}
    while todo:
        current, prefix, level = todo.pop()
        if level >= MAX_DEPTH:
            continue
        for name, call in sorted(current.module_calls.items()):
            source = current.attr_value(call, "source", None)
            if not isinstance(source, str) or not source:
                continue
            key = prefix + name
            directory = source_directory(current.directory, source, key, module.project)
            if directory is None or os.path.realpath(directory) in seen:
                continue
            seen.add(os.path.realpath(directory))
            found.add(directory)
            loaded = load(directory)
            if loaded is not None:
                todo.append((Module(directory, loaded.files), key + ".", level + 1))
    return found


def is_local_source(source: str) -> bool:
    return source in (".", "..") or source.startswith(("./", "../"))


def source_directory(directory: str, source: str, key: str, init_root: ProjectFiles) -> str | None:
    """The directory of the module a call in ``directory`` names by ``source``: a local path,
    or what ``terraform init`` (run in ``init_root``) installed for the call's ``key``; ``None``
    when it is neither (nothing is ever downloaded)."""
    if is_local_source(source):
        found = os.path.normpath(os.path.join(directory, source))
    else:
        installed = init_root.installed_modules().get(key)
        if installed is None:
            return None
        found = os.path.normpath(os.path.join(init_root.directory, installed.dir))
    return found if os.path.isdir(found) else None


def _named(finding: Finding, addresses: list[str]) -> Finding:
    """``finding`` with the call chain (the instances of the call first) in its message."""
    unique = list(dict.fromkeys(addresses))
    shown = ", ".join(unique[:MAX_SHOWN])
    if len(unique) > MAX_SHOWN:
        shown += f" and {len(unique) - MAX_SHOWN} more"
    data = dict(finding.data)
    via = [shown, *data.get("via", ())]
    argument = data.get("argument")
    inner = str(data.get("address", ""))
    data["via"] = via
    data["address"] = f"{unique[0]}.{inner}" if inner else unique[0]
    why = f" (from the argument {argument})" if argument else " (from the call's arguments)"
    message = f"{' → '.join(via)}: {data.get('origin_message', finding.message)}{why}"
    return Finding(
        finding.rule_id,
        finding.severity,
        message,
        finding.path,
        finding.range,
        finding.related,
        finding.scope_lines,
        finding.block_lines,
        data,
    )


def _placed(
    call: Entity,
    rel: Range,
    finding: Finding,
    message: str,
    related: tuple[Related, ...],
    data: dict[str, Any],
) -> Finding:
    lines: list[int] = []
    for r in call.block.scope_of(rel):
        line = call.abs(r).start.line
        if line not in lines:
            lines.append(line)
    block = call.abs(call.block.range)
    return Finding(
        finding.rule_id,
        finding.severity,
        message,
        call.path,
        call.abs(rel),
        related,
        tuple(lines),
        (block.start.line, block.end.line),
        data,
    )


def _key(finding: Finding) -> tuple[Any, ...]:
    origin = finding.data.get("origin")
    return (
        finding.rule_id,
        finding.path,
        finding.range,
        tuple(origin) if isinstance(origin, list) else None,
    )


def _instance_address(address: str, key: int | str | None) -> str:
    if key is None:
        return address
    if isinstance(key, int):
        return f"{address}[{key}]"
    return f"{address}[{json.dumps(key)}]"


def _freeze(value: Value) -> Hashable:
    """A hashable form of an evaluated value (types kept apart: 1, 1.0, True, "1")."""
    if value is UNKNOWN:
        return ("?",)
    if isinstance(value, dict):
        return ("{", tuple(sorted((str(k), _freeze(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("[", tuple(_freeze(v) for v in value))
    return (type(value).__name__, value)


# -- what a finding depends on -------------------------------------------------------------


def dependencies(module: Module, finding: Finding) -> list[str]:
    """The variables of ``module`` a finding's place depends on, the closest first: those the
    flagged argument refers to (through locals, other resources' arguments and iteration), then
    those of the block around it."""
    entity: Entity | None = None
    for candidate in module.entities:
        if candidate.path == finding.path and candidate.abs(candidate.block.range).contains(
            finding.range
        ):
            entity = candidate
    if entity is None:
        return []
    rel = finding.range.shifted(-entity.placed.line)
    direct: list[Expr] = []  # the flagged argument
    iteration: list[Expr] = []  # the for_each / count around it (dynamic blocks, the resource)
    around: list[Expr] = []  # the rest of the innermost block
    chain = _blocks_around(entity.block, rel)
    for block in reversed(chain):
        for attr in block.attributes.values():
            if attr.range.contains(rel) or rel.contains(attr.range):
                direct.append(attr.value)
        for name in ("for_each", "count"):
            meta = block.attributes.get(name)
            if meta is not None:
                iteration.append(meta.value)
    for block in chain[-1].walk_blocks():
        around.extend(a.value for a in block.attributes.values())
    names: list[str] = []
    seen: set[int] = set()
    for expr in (*direct, *iteration, *around):
        _variables(module, entity, expr, names, seen, 0)
    return names


def _blocks_around(block: Block, rel: Range) -> list[Block]:
    chain = [block]
    node = block
    while True:
        inner = next((b for b in node.blocks if b.range.contains(rel)), None)
        if inner is None:
            return chain
        chain.append(inner)
        node = inner


def _variables(
    module: Module, entity: Entity, expr: Expr, out: list[str], seen: set[int], depth: int
) -> None:
    if id(expr) in seen or depth > 8:
        return
    seen.add(id(expr))
    for ref in expr.references():
        root = ref.root
        steps = ref.steps
        if root == "var" and len(steps) >= 2 and isinstance(steps[1], str):
            if steps[1] not in out:
                out.append(steps[1])
        elif root == "local" and len(steps) >= 2 and isinstance(steps[1], str):
            local = module.locals.get(steps[1])
            if local is not None:
                _variables(module, entity, local.attribute.value, out, seen, depth + 1)
        elif root in ("each", "count"):
            for name in ("for_each", "count"):
                attr = entity.attr(name)
                if attr is not None:
                    _variables(module, entity, attr.value, out, seen, depth + 1)
        elif root == "module" and len(steps) >= 2 and isinstance(steps[1], str):
            call = module.module_calls.get(steps[1])
            if call is not None:
                for attr in call.block.attributes.values():
                    _variables(module, call, attr.value, out, seen, depth + 1)
        else:
            target = module.resolve(ref)
            if target is None or target.kind not in RESOURCE_KINDS:
                continue
            names = ref.names()
            skip = 3 if target.kind in ("data", "ephemeral") else 2
            attr_name = names[skip] if len(names) > skip else None
            attrs = ([target.attr(attr_name)] if attr_name is not None else []) or list(
                target.block.attributes.values()
            )
            for attr in attrs:
                if attr is not None:
                    _variables(module, target, attr.value, out, seen, depth + 1)


def _single_target(module: Module, expr: Expr | None, depth: int = 0) -> Entity | None:
    """The one resource (or data source) an output's expression refers to, if only one."""
    if expr is None or depth > 6:
        return None
    found: list[Entity] = []
    for ref in expr.references():
        candidates: list[Entity] = []
        if ref.root == "local" and len(ref.steps) >= 2 and isinstance(ref.steps[1], str):
            local = module.locals.get(ref.steps[1])
            inner = _single_target(module, local.attribute.value, depth + 1) if local else None
            candidates = [inner] if inner is not None else []
        else:
            target = module.resolve(ref)
            if target is not None and target.kind in RESOURCE_KINDS:
                candidates = [target]
        for candidate in candidates:
            if candidate not in found:
                found.append(candidate)
    return found[0] if len(found) == 1 else None


def _materialized(module: Module, entity: Entity, address: str) -> Entity:
    block = block_values(entity.block, module.evaluator(), entity.placed.line)
    return Entity(entity.kind, address, Placed(block, entity.path, 0), block)
