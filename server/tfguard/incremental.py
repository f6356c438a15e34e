"""Incremental rules: after an edit, only the rule work whose inputs changed runs again.

Each piece of rule work (a *unit*) is run with a :class:`Recorder` listening, and what it read
of the module is kept with its findings:

- ``("T", type)``: the blocks of one resource type, in order (``of_type``, ``by_type``);
- ``("E", address)``: the block at one address, or its absence (``resources``, ``resolve``,
  every reference an evaluation follows);
- ``("K",)``: which resource types the module has (the keys of ``by_type``);
- ``("A",)``: every top-level block (iterating ``entities``, ``resources``, the blocks of
  ``by_type``, ``referrers``);
- ``("F",)``: the files' whole texts (``files``);
- ``("C",)``: the called modules (``module.x.out``, resources reached through an output);
- ``("P", query, args)``: one answer of the project files (lock file, modules.json...);
- ``("V",)``: something that cannot be compared (the git index...): the unit is never kept.

Every other block of the module — variables, locals, outputs, providers, ``terraform`` and
``module`` blocks, tfvars entries — feeds values everywhere, so any change to one of them (or
to the set of files) starts every unit afresh (the *global* part). A block is compared by its
parsed node, which is shared while its text is unchanged (:mod:`tfguard.document`), so a
comparison is one identity test.

Values computed once per analysis and shared between units (``Module.cached_value``, locals,
``module.memo``) carry the reads made while computing them (for a memo entry: everything the
piece of work that set it read), kept by reference (:class:`Reads` form a graph), and a unit
that uses one inherits them, so a unit's reads do not depend on which unit happened to compute
a value first.

Units: a rule is one unit, but for the declarative rules
(:class:`tfguard.rules.kit.declarative.Check` and ``Relation``), which check each resource of
their types on its own: there each resource is a unit (its findings depend on its block, on
what its evaluation read, and for a relation on the companions that point at it), so an edit
of one resource re-checks that resource only. A rule that declares ``subject_types`` (see
:class:`tfguard.rules.base.Rule`) is run, after an edit, with the module listing only the
blocks of those types that changed (and its own memo); its findings are kept per block. Should
it read every block, or report outside the blocks it was given, it is run whole from then on.
A rule that reports only on resources of some types (those, or a declarative rule's) is not run
at all on a module without any.

Findings are kept with the block each of their places (the finding, each related location)
is in; a unit that is reused after its blocks moved (lines inserted above) has its findings
shifted, not re-created by the rule.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import itertools
import logging
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, SupportsIndex

from cachetools import LRUCache

from tfguard.document import ParsedFile
from tfguard.evaluate import Evaluator, Value
from tfguard.findings import Finding
from tfguard.module import Entity, Module
from tfguard.project import MODULES_MANIFEST, InstalledModule, ProjectFiles
from tfguard.rules.base import Context, Rule
from tfguard.syntax import Block, Expr, Placed, Reference, TopLevel

log = logging.getLogger(__name__)

Key = tuple[Any, ...]
ALL: Key = ("A",)
TYPES: Key = ("K",)
FILES: Key = ("F",)
CALLS: Key = ("C",)
VOLATILE: Key = ("V",)
MEMO = "M"

RESOURCE_KINDS = ("resource", "data", "ephemeral")

# Modules whose rule results are kept (the open and recently analysed ones), and how many
# findings they may hold together: the least recently analysed module goes first.
MAX_MODULES = 64
MAX_KEPT_FINDINGS = 400_000


class Reads:
    """What one piece of work read: its own reads, and the shared pieces it used (a value
    computed once per analysis, a memo entry), kept by reference so that a thousand units
    using one shared value hold one copy of its reads."""

    __slots__ = ("checked", "keys", "ok", "refs", "tokens")

    def __init__(self, keys: frozenset[Key], refs: tuple[Reads, ...]) -> None:
        self.keys = keys
        self.refs = refs
        # The answer to each key in the analysis that made it (set when it is kept).
        self.tokens: tuple[tuple[Key, object], ...] | None = None
        self.checked = 0  # the number of the analysis it was last checked in (not the
        self.ok = False  # analysis itself: kept reads must not keep modules alive)

    def walk(self) -> Iterator[Reads]:
        """This and every shared piece it used, once each."""
        seen: set[int] = set()
        stack: list[Reads] = [self]
        while stack:
            reads = stack.pop()
            if id(reads) in seen:
                continue
            seen.add(id(reads))
            yield reads
            stack.extend(reads.refs)

    def all_keys(self) -> set[Key]:
        out: set[Key] = set()
        for reads in self.walk():
            out |= reads.keys
        return out


class _Frame:
    __slots__ = ("keys", "memo_sets", "refs")

    def __init__(self) -> None:
        self.keys: set[Key] = set()
        self.refs: dict[int, Reads] = {}
        self.memo_sets: list[object] = []


# What a memo entry set outside any unit read: unknown.
_UNKNOWN_READS = Reads(frozenset({VOLATILE}), ())


class Recorder:
    """What the unit of rule work running now reads, as a stack of frames (a value computed
    inside a unit has its own frame, so that its reads can be kept with it)."""

    __slots__ = ("frames", "memo")

    def __init__(self) -> None:
        self.frames: list[_Frame] = []
        # The reads of the frame that set each memo entry (while that frame is open, a read
        # of the entry is a marker, resolved when the unit is kept).
        self.memo: dict[object, Reads] = {}

    def add(self, key: Key) -> None:
        frames = self.frames
        if frames:
            frames[-1].keys.add(key)

    def use(self, reads: Reads) -> None:
        frames = self.frames
        if frames:
            frames[-1].refs[id(reads)] = reads

    def push(self) -> None:
        self.frames.append(_Frame())

    def pop(self) -> Reads:
        frame = self.frames.pop()
        reads = Reads(frozenset(frame.keys), tuple(frame.refs.values()))
        for key in frame.memo_sets:
            self.memo.setdefault(key, reads)
        return reads

    def memo_read(self, key: object) -> None:
        known = self.memo.get(key)
        if known is not None:
            self.use(known)
        else:
            self.add((MEMO, key))

    def memo_set(self, key: object) -> None:
        if self.frames:
            self.frames[-1].memo_sets.append(key)
            self.add((MEMO, key))
        else:
            self.memo.setdefault(key, _UNKNOWN_READS)


# -- the module, watched ------------------------------------------------------------------------


class _Addresses(dict[str, Entity]):
    """``Module.resources``: a lookup is a read of one address, a walk a read of them all."""

    __slots__ = ("_recorder",)

    def __init__(self, items: Mapping[str, Entity], recorder: Recorder) -> None:
        super().__init__(items)
        self._recorder = recorder

    def get(self, key: str, default: Any = None) -> Any:
        self._recorder.add(("E", key))
        return dict.get(self, key, default)

    def __getitem__(self, key: str) -> Entity:
        self._recorder.add(("E", key))
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        self._recorder.add(("E", key))
        return dict.__contains__(self, key)

    def __iter__(self) -> Iterator[str]:
        self._recorder.add(ALL)
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._recorder.add(ALL)
        return dict.__len__(self)

    def keys(self) -> Any:
        self._recorder.add(ALL)
        return dict.keys(self)

    def values(self) -> Any:
        self._recorder.add(ALL)
        return dict.values(self)

    def items(self) -> Any:
        self._recorder.add(ALL)
        return dict.items(self)


class _Types(dict[str, list[Entity]]):
    """``Module.by_type``: a lookup is a read of every block of that type. While a rule
    checks some of its subjects only, a lookup of a subject type lists those."""

    __slots__ = ("_recorder", "restricted")

    def __init__(self, items: Mapping[str, list[Entity]], recorder: Recorder) -> None:
        super().__init__(items)
        self._recorder = recorder
        self.restricted: dict[str, list[Entity]] | None = None

    def get(self, key: str, default: Any = None) -> Any:
        self._recorder.add(("T", key))
        restricted = self.restricted
        if restricted is not None and key in restricted:
            return restricted[key] or default
        return dict.get(self, key, default)

    def __getitem__(self, key: str) -> list[Entity]:
        self._recorder.add(("T", key))
        restricted = self.restricted
        if restricted is not None and restricted.get(key):
            return restricted[key]
        if restricted is not None and key in restricted:
            raise KeyError(key)
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        self._recorder.add(("T", key))
        restricted = self.restricted
        if restricted is not None and isinstance(key, str) and key in restricted:
            return bool(restricted[key])
        return dict.__contains__(self, key)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._recorder.add(("T", key))
        if self.restricted is not None and key in self.restricted:
            return self[key] if self.restricted[key] else default
        return dict.setdefault(self, key, default)

    def __iter__(self) -> Iterator[str]:
        self._recorder.add(TYPES)
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._recorder.add(TYPES)
        return dict.__len__(self)

    def keys(self) -> Any:
        self._recorder.add(TYPES)
        return dict.keys(self)

    def values(self) -> Any:
        self._recorder.add(ALL)
        return dict.values(self)

    def items(self) -> Any:
        self._recorder.add(ALL)
        return dict.items(self)


class _Entities(list[Entity]):
    """``Module.entities``: any use of it is a read of every block."""

    __slots__ = ("_recorder",)

    def __init__(self, items: Iterable[Entity], recorder: Recorder) -> None:
        super().__init__(items)
        self._recorder = recorder

    def __iter__(self) -> Iterator[Entity]:
        self._recorder.add(ALL)
        return list.__iter__(self)

    def __reversed__(self) -> Iterator[Entity]:
        self._recorder.add(ALL)
        return list.__reversed__(self)

    def __len__(self) -> int:
        self._recorder.add(ALL)
        return list.__len__(self)

    def __getitem__(self, index: Any) -> Any:
        self._recorder.add(ALL)
        return list.__getitem__(self, index)

    def __contains__(self, item: object) -> bool:
        self._recorder.add(ALL)
        return list.__contains__(self, item)

    def index(self, value: Entity, start: SupportsIndex = 0, stop: SupportsIndex = 2**62) -> int:
        self._recorder.add(ALL)
        return list.index(self, value, start, stop)

    def count(self, value: Entity) -> int:
        self._recorder.add(ALL)
        return list.count(self, value)


class _Memo(dict[object, Any]):
    """``Module.memo``: what units share. Reading an entry is a read of what the frame that
    set it read."""

    __slots__ = ("_recorder",)

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self._recorder = recorder

    def get(self, key: object, default: Any = None) -> Any:
        self._recorder.memo_read(key)
        return dict.get(self, key, default)

    def __getitem__(self, key: object) -> Any:
        self._recorder.memo_read(key)
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        self._recorder.memo_read(key)
        return dict.__contains__(self, key)

    def __setitem__(self, key: object, value: Any) -> None:
        self._recorder.memo_set(key)
        dict.__setitem__(self, key, value)

    def setdefault(self, key: object, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            self._recorder.memo_read(key)
        else:
            self._recorder.memo_set(key)
        return dict.setdefault(self, key, default)

    def pop(self, key: object, *default: Any) -> Any:
        self._recorder.memo_set(key)
        return dict.pop(self, key, *default)

    def __delitem__(self, key: object) -> None:
        self._recorder.memo_set(key)
        dict.__delitem__(self, key)

    def __iter__(self) -> Iterator[object]:
        self._recorder.add(VOLATILE)
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._recorder.add(VOLATILE)
        return dict.__len__(self)


# The project-file queries whose answers can be compared from one analysis to the next; any
# other public attribute of the project files (the git repository, ignore rules, parsed
# files) makes the unit volatile.
_COMPARABLE_QUERIES = frozenset(
    {
        "data",
        "text",
        "is_file",
        "is_dir",
        "exists",
        "list_dir",
        "locked_versions",
        "locked_version",
        "installed_modules",
    }
)


class _Project(ProjectFiles):
    """The module's project files, each query recorded with its arguments."""

    def __init__(self, inner: ProjectFiles, recorder: Recorder) -> None:
        # Shares the state of ``inner`` (its per-analysis memo and the disk cache).
        self.__dict__.update(inner.__dict__)
        self._inner = inner
        self._recorder = recorder

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_") and name != "directory":
            recorder: Recorder = object.__getattribute__(self, "_recorder")
            if name not in _COMPARABLE_QUERIES:
                recorder.add(VOLATILE)
        return object.__getattribute__(self, name)

    def data(self, path: str, limit: int = 8 * 1024 * 1024) -> bytes | None:
        self._recorder.add(("P", "data", path, limit))
        return self._inner.data(path, limit)

    def text(self, path: str, limit: int = 8 * 1024 * 1024) -> str | None:
        self._recorder.add(("P", "text", path, limit))
        return self._inner.text(path, limit)

    def is_file(self, path: str) -> bool:
        self._recorder.add(("P", "is_file", path))
        return self._inner.is_file(path)

    def is_dir(self, path: str) -> bool:
        self._recorder.add(("P", "is_dir", path))
        return self._inner.is_dir(path)

    def exists(self, path: str) -> bool:
        self._recorder.add(("P", "exists", path))
        return self._inner.exists(path)

    def list_dir(self, path: str = ".") -> list[tuple[str, bool]]:
        self._recorder.add(("P", "list_dir", path))
        return self._inner.list_dir(path)

    def locked_versions(self) -> dict[str, str]:
        self._recorder.add(("P", "locked_versions"))
        return self._inner.locked_versions()

    def locked_version(self, source: str) -> str | None:
        self._recorder.add(("P", "locked_version", source))
        return self._inner.locked_version(source)

    def installed_modules(self) -> dict[str, InstalledModule]:
        self._recorder.add(("P", "installed_modules"))
        return self._inner.installed_modules()


def _ask(project: ProjectFiles, key: Key) -> object:
    """The answer the project files give now to the query recorded as ``key``."""
    method: Callable[..., object] = getattr(project, key[1])
    return method(*key[2:])


class TrackedModule(Module):
    """A :class:`Module` whose reads are recorded (see the module docstring). With nothing
    recording it behaves exactly like a ``Module``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.recorder = Recorder()
        self._value_deps: dict[int, Reads] = {}
        self._local_deps: dict[str, Reads] = {}
        self._referrers: dict[str, list[tuple[Entity, Reference]]] | None = None
        super().__init__(*args, **kwargs)
        recorder = self.recorder
        self.resources = _Addresses(self.resources, recorder)
        self.by_type = _Types(self.by_type, recorder)
        self.entities = _Entities(self.entities, recorder)

    # Attributes whose use is a read.

    @property
    def files(self) -> dict[str, ParsedFile]:
        self.recorder.add(FILES)
        return self._files

    @files.setter
    def files(self, value: dict[str, ParsedFile]) -> None:
        self._files = value

    @property
    def project(self) -> ProjectFiles:
        return self._project

    @project.setter
    def project(self, value: ProjectFiles) -> None:
        self._raw_project = value
        self._project = _Project(value, self.recorder)

    @property
    def calls(self) -> Any:
        if self._calls is not None:
            self.recorder.add(CALLS)
        return self._calls

    @calls.setter
    def calls(self, value: Any) -> None:
        if getattr(value, "module", None) is self:
            # The expansion refers back to its module by a weak proxy: without the cycle, an
            # analysis's module is freed as soon as the next one replaces it, not whenever
            # the cyclic collector runs (it is only ever reached through the module).
            value.module = weakref.proxy(self)
        self._calls = value

    @property
    def memo(self) -> dict[object, Any]:
        return self._memo

    @memo.setter
    def memo(self, value: dict[object, Any]) -> None:
        memo = _Memo(self.recorder)
        memo.update(value)
        self._memo = memo

    @property
    def referrers(self) -> dict[str, list[tuple[Entity, Reference]]]:
        self.recorder.add(ALL)
        if self._referrers is None:
            computed: Any = vars(Module)["referrers"]
            self._referrers = computed.func(self)
        return self._referrers

    # Values shared between units carry what computing them read.

    def cached_value(self, expr: Expr) -> Value:
        recorder = self.recorder
        deps = self._value_deps.get(id(expr))
        if deps is not None:  # computed before in this analysis: what that read, read again
            recorder.use(deps)
            return super().cached_value(expr)
        recorder.push()
        try:
            value = super().cached_value(expr)
        finally:
            found = recorder.pop()
        self._value_deps[id(expr)] = found
        recorder.use(found)
        return value

    def local_value(self, name: str, evaluator: Evaluator | None = None) -> Value:
        recorder = self.recorder
        deps = self._local_deps.get(name)
        if deps is not None:
            recorder.use(deps)
            return super().local_value(name, evaluator)
        recorder.push()
        try:
            value = super().local_value(name, evaluator)
        finally:
            found = recorder.pop()
        self._local_deps[name] = found
        recorder.use(found)
        return value

    @contextlib.contextmanager
    def only(self, subjects: dict[str, list[Entity]]) -> Iterator[None]:
        """The module as if the blocks of the types in ``subjects`` were those listed (for a
        rule that checks its subjects each on its own); rule-level values computed meanwhile
        (``memo``) are its own, dropped afterwards."""
        by_type = self.by_type
        assert isinstance(by_type, _Types)
        memo, memo_reads = self._memo, self.recorder.memo
        by_type.restricted = subjects
        self._memo = _Memo(self.recorder)
        self.recorder.memo = {}
        try:
            yield
        finally:
            by_type.restricted = None
            self._memo, self.recorder.memo = memo, memo_reads

    # Unrecorded access, for the cache itself.

    @property
    def raw_files(self) -> dict[str, ParsedFile]:
        return self._files

    @property
    def raw_project(self) -> ProjectFiles:
        return self._raw_project


# -- where blocks are ---------------------------------------------------------------------------

# A top-level item of one analysis: its file, its parsed node (shared while its text is the
# same) and which occurrence of that node in the file it is.
Ident = tuple[str, TopLevel, int]


class _FileLayout:
    __slots__ = ("ends", "idents", "line_of", "starts")

    def __init__(self, path: str, parsed: ParsedFile) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.idents: list[Ident] = []
        self.line_of: dict[Ident, int] = {}
        seen: dict[int, int] = {}
        for placed in parsed.items:
            node = placed.node
            k = seen.get(id(node), 0)
            seen[id(node)] = k + 1
            ident = (path, node, k)
            self.starts.append(placed.line + node.range.start.line)
            self.ends.append(placed.line + node.range.end.line)
            self.idents.append(ident)
            self.line_of[ident] = placed.line

    def at(self, line: int) -> Ident | None:
        i = bisect.bisect_right(self.starts, line) - 1
        if i >= 0 and line <= self.ends[i]:
            return self.idents[i]
        return None


class _Layout:
    """The places of the module's items in this analysis (built per file when asked)."""

    def __init__(self, files: Mapping[str, ParsedFile]) -> None:
        self._files = files
        self._layouts: dict[str, _FileLayout | None] = {}
        self._placed: dict[int, Ident] = {}

    def file(self, path: str) -> _FileLayout | None:
        if path not in self._layouts:
            parsed = self._files.get(path)
            self._layouts[path] = _FileLayout(path, parsed) if parsed is not None else None
        return self._layouts[path]

    def line_of(self, ident: Ident) -> int | None:
        layout = self.file(ident[0])
        return layout.line_of.get(ident) if layout is not None else None

    def ident_of(self, placed: Placed) -> Ident | None:
        """The item ``placed`` is (for a subject's identity)."""
        layout = self.file(placed.path)
        if layout is None:
            return None
        if not self._placed:
            for path, parsed in self._files.items():
                file_layout = self.file(path)
                if file_layout is None:
                    continue
                for item, ident in zip(parsed.items, file_layout.idents, strict=True):
                    self._placed[id(item)] = ident
        return self._placed.get(id(placed))


# -- kept findings ------------------------------------------------------------------------------

# Where one place of a finding is: the item it is in and that item's first line then; None
# for a place outside the module's files (a called module's file), which never moves.
Anchor = tuple[Ident, int] | None


@dataclass(slots=True)
class _Kept:
    finding: Finding
    anchors: tuple[Anchor, ...]  # the finding's own range, then each related location


def _anchor(layout: _Layout, path: str, line: int) -> Anchor | bool:
    """The anchor of a place; False when it is in a file of the module but in no item."""
    file_layout = layout.file(path)
    if file_layout is None:
        return None
    ident = file_layout.at(line)
    if ident is None:
        return False
    return (ident, file_layout.line_of[ident])


def _keep(layout: _Layout, finding: Finding) -> tuple[_Kept, bool]:
    """``finding`` with its anchors; and whether every place could be anchored."""
    places = [(finding.path, finding.range.start.line)]
    places.extend((r.path, r.range.start.line) for r in finding.related)
    anchors: list[Anchor] = []
    placed = True
    for path, line in places:
        anchor = _anchor(layout, path, line)
        if anchor is False:
            placed = False
            anchors.append(None)
        else:
            assert anchor is not True
            anchors.append(anchor)
    return _Kept(finding, tuple(anchors)), placed


_PLAIN_FINDING = tuple(f.name for f in dataclasses.fields(Finding)) == (
    "rule_id",
    "severity",
    "message",
    "path",
    "range",
    "related",
    "scope_lines",
    "block_lines",
    "data",
)


def _replayed(kept: _Kept, layout: _Layout) -> Finding | None:
    """The kept finding where its items are now (shifted if they moved); None when an item
    it was in is gone."""
    deltas: list[int] = []
    moved = False
    for anchor in kept.anchors:
        if anchor is None:
            deltas.append(0)
            continue
        line = layout.line_of(anchor[0])
        if line is None:
            return None
        delta = line - anchor[1]
        moved = moved or delta != 0
        deltas.append(delta)
    if not moved:
        return kept.finding
    finding = kept.finding
    shift = deltas[0]
    related = tuple(
        dataclasses.replace(r, range=r.range.shifted(d)) if d else r
        for r, d in zip(finding.related, deltas[1:], strict=True)
    )
    block_lines = finding.block_lines
    if block_lines is not None and shift:
        block_lines = (block_lines[0] + shift, block_lines[1] + shift)
    scope_lines = tuple(line + shift for line in finding.scope_lines)
    if _PLAIN_FINDING:  # the fields known here: built directly (dataclasses.replace is slow)
        shifted = Finding(
            finding.rule_id,
            finding.severity,
            finding.message,
            finding.path,
            finding.range.shifted(shift),
            related,
            scope_lines,
            block_lines,
            finding.data,
        )
    else:
        shifted = dataclasses.replace(
            finding,
            range=finding.range.shifted(shift),
            related=related,
            scope_lines=scope_lines,
            block_lines=block_lines,
        )
    kept.finding = shifted
    kept.anchors = tuple(
        None if a is None else (a[0], a[1] + d) for a, d in zip(kept.anchors, deltas, strict=True)
    )
    return shifted


# -- the cache ----------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Entry:
    """One unit's findings, kept with what it read (and the answers then)."""

    kept: list[_Kept]
    reads: Reads
    extra: object = None  # a relation subject: the companions that pointed at it


@dataclass(slots=True, eq=False)
class _RuleState:
    rule: Rule
    whole: _Entry | None = None
    subjects: dict[Ident, _Entry] = field(default_factory=dict)
    # False once the rule was seen reading beyond what ``subject_types`` promises.
    shardable: bool = True


@dataclass(slots=True, eq=False)
class _ModuleState:
    token: object
    rules: dict[int, _RuleState] = field(default_factory=dict)
    children: list[Any] | None = None  # the called modules of the last analysis
    findings: int = 0


@dataclass(slots=True, eq=False)
class _Fresh:
    """A unit run in this analysis, kept once its reads are final."""

    reads: Reads
    store: Callable[[Reads], None]


@dataclass(slots=True)
class Stats:
    """What the last :meth:`RuleCache.run` did (for tests and benchmarks)."""

    units_run: int = 0
    units_reused: int = 0
    findings_shifted: int = 0


class _Snapshot:
    """The current answer for each kind of read, computed once per analysis."""

    def __init__(
        self,
        module: TrackedModule,
        state: _ModuleState | None,
        expansion: Any,
    ) -> None:
        self.module = module
        self.state = state
        self.expansion = expansion
        self._tokens: dict[Key, object] = {}
        self.number = next(_ANALYSES)

    def token(self, key: Key) -> object:
        try:
            return self._tokens[key]
        except KeyError:
            pass
        value = self._compute(key)
        self._tokens[key] = value
        return value

    def _compute(self, key: Key) -> object:
        module = self.module
        kind = key[0]
        if kind == "T":
            return tuple((e.path, e.block) for e in dict.get(module.by_type, key[1], ()))
        if kind == "E":
            entity = dict.get(module.resources, key[1])
            return (entity.path, entity.block) if entity is not None else None
        if kind == "K":
            return tuple(dict.keys(module.by_type))
        if kind == "A":
            return tuple((e.path, e.block) for e in list.__iter__(module.entities))
        if kind == "F":
            return tuple((path, parsed.text) for path, parsed in module.raw_files.items())
        if kind == "P":
            return _ask(module.raw_project, key)
        if kind == "C":
            return self._calls()
        return object()  # never equal: VOLATILE and anything unknown

    def _calls(self) -> object:
        """The called modules (each directory's texts, from the last analysis's list), what
        terraform init installed, and the blocks the calls' arguments refer to."""
        state = self.state
        if state is None or state.children is None or self.expansion is None:
            return object()
        driver = self.expansion.driver
        directories = sorted({c.directory for top in state.children for c in top.walk()})
        fingerprints = tuple((d, driver.fingerprint(d)) for d in directories)
        manifest = self.module.raw_project.text(MODULES_MANIFEST)
        arguments = tuple((k, self.token(k)) for k in sorted(_call_argument_reads(self.module)))
        return (fingerprints, manifest, arguments)

    def valid(self, entry: _Entry) -> bool:
        """Whether every answer the unit's reads got is still the answer (each shared piece
        checked once per analysis)."""
        root = entry.reads
        number = self.number
        if root.checked == number:
            return root.ok
        token = self.token
        # Depth first; a piece is valid when its own answers hold and every piece it used is
        # valid, decided once per analysis.
        stack: list[tuple[Reads, bool]] = [(root, False)]
        while stack:
            reads, expanded = stack.pop()
            if reads.checked == number:
                continue
            if not expanded:
                stack.append((reads, True))
                stack.extend((r, False) for r in reads.refs if r.checked != number)
                continue
            tokens = reads.tokens
            reads.ok = (
                tokens is not None
                and all(token(k) == v for k, v in tokens)
                and all(r.ok for r in reads.refs if r.checked == number)
            )
            reads.checked = number
        return root.ok

    def settle(self, reads: Reads, memo: Mapping[object, Reads]) -> bool:
        """Complete ``reads`` (made in this analysis) for keeping: memo entries read while
        they were being computed become references to what computing them read, and every
        key gets its answer. False when something cannot be compared."""
        for part in list(reads.walk()):
            if part.tokens is not None:
                continue
            markers = [k for k in part.keys if k[0] == MEMO]
            if markers:
                extra = [memo[k[1]] for k in markers if k[1] in memo and memo[k[1]] is not part]
                part.keys = frozenset(k for k in part.keys if k[0] != MEMO)
                part.refs = part.refs + tuple(extra)
        for part in reads.walk():
            if part.tokens is None:
                if VOLATILE in part.keys:
                    return False
                token = self.token
                part.tokens = tuple((key, token(key)) for key in part.keys)
            elif any(key == VOLATILE for key, _ in part.tokens):
                return False
        return True


def _call_argument_reads(module: TrackedModule) -> set[Key]:
    """The blocks that the arguments of the module's calls refer to, through locals."""
    out: set[Key] = set()
    seen: set[str] = set()
    pending: list[Expr] = []
    for call in module.module_calls.values():
        pending.extend(call.block.expressions())
    while pending:
        expr = pending.pop()
        for ref in expr.references():
            address = ref.address()
            root = ref.root
            if root == "local" and address is not None:
                if address not in seen:
                    seen.add(address)
                    local = module.locals.get(address[len("local.") :])
                    if local is not None:
                        pending.append(local.attribute.value)
            elif root in ("var", "module", "each", "count", "self", "path", "terraform"):
                continue
            elif address is None:
                out.add(ALL)
            else:
                out.add(("E", address))
    return out


_UNSHARDABLE = frozenset({ALL, FILES, VOLATILE})


_SUBJECT_TYPES: dict[type[Rule], tuple[str, ...]] = {}


def _subject_types(kind: type[Rule]) -> tuple[str, ...]:
    """The by_type keys a rule reports on only (empty: it may report on anything): its
    ``subject_types``, or a declarative rule's resource types when it checks them as the kit
    does."""
    from tfguard.rules.kit.declarative import Check, Relation

    if kind not in _SUBJECT_TYPES:
        found: tuple[str, ...] = kind.subject_types
        for base in (Check, Relation):
            if (
                not found
                and issubclass(kind, base)
                and kind.check is base.check
                and kind.subjects is base.subjects
            ):
                found = tuple(getattr(kind, "resource_types", ()))
        _SUBJECT_TYPES[kind] = found
    return _SUBJECT_TYPES[kind]
_ANALYSES = itertools.count(1)


def _type_key(entity: Entity) -> str:
    """The key of ``entity`` in ``Module.by_type``."""
    return entity.type if entity.kind == "resource" else f"{entity.kind}.{entity.type}"


def _is_resource(path: str, node: TopLevel) -> bool:
    """Whether the module indexes ``node`` as a resource, data source or ephemeral resource
    (the rest of the module is its global part)."""
    return (
        isinstance(node, Block)
        and node.type in RESOURCE_KINDS
        and len(node.labels) == 2
        and not path.endswith(".tfvars")
    )


def global_token(module: TrackedModule) -> object:
    """What every unit depends on: the files, every item but resources, JSON variables and
    a called module's inputs."""
    files = module.raw_files
    items = tuple(
        (path, placed.node)
        for path in sorted(files)
        for placed in files[path].items
        if not _is_resource(path, placed.node)
    )
    return (tuple(sorted(files)), items, module.json_tfvars, module.inputs)


class RuleCache:
    """Rule results per module directory, reused while what they read is unchanged."""

    def __init__(self, max_modules: int = MAX_MODULES) -> None:
        self._states: LRUCache[str, _ModuleState] = LRUCache(maxsize=max_modules)
        self.stats = Stats()

    @property
    def kept_findings(self) -> int:
        return sum(s.findings for s in self._states.values())

    def run(
        self,
        module: TrackedModule,
        rules: Sequence[Rule],
        expansion: Any = None,
        keep: bool = True,
    ) -> tuple[list[Finding], list[str]]:
        """The findings of ``rules`` on ``module`` (localized by ``expansion``: see
        :meth:`tfguard.calls.Expansion.localized`) and the errors of the rules that failed.
        With ``keep`` false nothing is reused or kept (a one-off analysis)."""
        self.stats = Stats()
        directory = module.directory
        token = global_token(module)
        state = self._states.get(directory) if keep else None
        if state is not None and state.token != token:
            state = None
        if state is None and keep:
            state = _ModuleState(token)
        snapshot = _Snapshot(module, state, expansion)
        layout = _Layout(module.raw_files)
        run = _Run(module, snapshot, layout, expansion, self.stats, keep)
        found: list[Finding] = []
        errors: list[str] = []
        live_rules: dict[int, _RuleState] = {}
        for rule in rules:
            rule_state = state.rules.get(id(rule)) if state is not None else None
            if rule_state is None or rule_state.rule is not rule:
                rule_state = _RuleState(rule)
            live_rules[id(rule)] = rule_state
            error = run.rule(rule_state, found)
            if error is not None:
                errors.append(error)
        run.finish()
        if state is not None:
            state.rules = live_rules
            state.children = expansion.children if expansion is not None else None
            state.findings = sum(
                len(e.kept)
                for r in live_rules.values()
                for e in ([r.whole] if r.whole is not None else []) + list(r.subjects.values())
            )
            self._states.pop(directory, None)
            self._states[directory] = state
            self._bound()
        return found, errors

    def _bound(self) -> None:
        while len(self._states) > 1 and self.kept_findings > MAX_KEPT_FINDINGS:
            self._states.popitem()


class _Run:
    """One :meth:`RuleCache.run`."""

    def __init__(
        self,
        module: TrackedModule,
        snapshot: _Snapshot,
        layout: _Layout,
        expansion: Any,
        stats: Stats,
        keep: bool,
    ) -> None:
        self.module = module
        self.recorder = module.recorder
        self.snapshot = snapshot
        self.layout = layout
        self.expansion = expansion
        self.stats = stats
        self.keep = keep
        self.fresh: list[_Fresh] = []

    # -- units -------------------------------------------------------------------------------

    def _unit(
        self, rule: Rule, check: Callable[[Context], Iterable[Finding] | None]
    ) -> tuple[list[Finding], Reads, str | None]:
        ctx = Context(self.module, rule)
        error: str | None = None
        self.recorder.push()
        try:
            for _ in check(ctx) or ():
                pass
        except Exception as err:  # a broken rule must not silence the others
            log.exception("rule %s failed on %s", rule.id, self.module.directory)
            error = f"{rule.id}: {type(err).__name__}: {err}"
        finally:
            reads = self.recorder.pop()
        found = ctx.findings
        if self.expansion is not None:
            found = self.expansion.localized(found)
        self.stats.units_run += 1
        return found, reads, error

    def _replay(self, entry: _Entry | None) -> list[Finding] | None:
        """The findings of a kept unit if it is still valid."""
        if entry is None or not self.snapshot.valid(entry):
            return None
        out: list[Finding] = []
        for kept in entry.kept:
            before = kept.finding
            finding = _replayed(kept, self.layout)
            if finding is None:
                return None
            if finding is not before:
                self.stats.findings_shifted += 1
            out.append(finding)
        self.stats.units_reused += 1
        return out

    def _kept(self, found: list[Finding], reads: Reads, store: Callable[[_Entry], None]) -> None:
        """Keep a unit run now, once every memo entry it read is complete (at the end)."""
        if not self.keep:
            return
        kept: list[_Kept] = []
        placed = True
        for finding in found:
            item, anchored = _keep(self.layout, finding)
            placed = placed and anchored
            kept.append(item)
        if not placed:  # a place in no block: any text moving could move it
            reads = Reads(reads.keys | {FILES}, reads.refs)

        def finish(complete: Reads) -> None:
            store(_Entry(kept, complete))

        self.fresh.append(_Fresh(reads, finish))

    # -- rules -------------------------------------------------------------------------------

    def rule(self, state: _RuleState, out: list[Finding]) -> str | None:
        from tfguard.rules.kit.declarative import Check, Relation

        rule = state.rule
        kind = type(rule)
        needs = _subject_types(kind)
        if needs and not any(self.module.by_type.get(t) for t in needs):
            # It reports only on resources of these types, and the module has none (decided
            # again at every analysis, so nothing is kept).
            state.whole, state.subjects = None, {}
            return None
        if not self.keep:  # nothing is kept: each rule once, as a whole
            return self._whole(state, out)
        if isinstance(rule, Check) and kind.check is Check.check:
            return self._per_subject(state, out, None)
        if isinstance(rule, Relation) and kind.check is Relation.check:
            return self._relation(state, out)
        if rule.subject_types and state.shardable and self.keep:
            return self._sharded(state, out)
        return self._whole(state, out)

    def _sharded(self, state: _RuleState, out: list[Finding]) -> str | None:
        """A rule that checks the blocks of its ``subject_types`` each on its own: the blocks
        an edit changed are checked with the module listing only them."""
        rule = state.rule
        module = self.module
        layout = self.layout
        blocks: list[tuple[Ident | None, Entity]] = []
        for subject_type in rule.subject_types:
            for entity in dict.get(module.by_type, subject_type, ()):
                blocks.append((layout.ident_of(entity.placed), entity))
        kept = state.subjects
        reused: dict[Ident, list[Finding]] = {}
        dirty: list[tuple[Ident, Entity]] = []
        for ident, entity in blocks:
            if ident is None:
                return self._unshard(state, out, "a subject outside the module's files")
            found = self._replay(kept.get(ident))
            if found is None:
                dirty.append((ident, entity))
            else:
                reused[ident] = found
        if dirty:
            # Blocks with the same text share their nodes, and a rule that tells places apart
            # by node would see them as one: they are checked together.
            nodes = {id(entity.block) for _, entity in dirty}
            for ident, entity in blocks:
                if ident in reused and id(entity.block) in nodes:
                    del reused[ident]
            # In the module's order, as a whole run would see them.
            dirty = [(i, e) for i, e in blocks if i is not None and i not in reused]
        fresh: dict[Ident, list[Finding]] = {}
        if dirty:
            only: dict[str, list[Entity]] = {t: [] for t in rule.subject_types}
            for ident, entity in dirty:
                only[_type_key(entity)].append(entity)
                fresh[ident] = []
            with module.only(only):
                found, reads, error = self._unit(rule, rule.check)
            if error is not None:
                return self._unshard(state, out, None)
            if reads.all_keys() & _UNSHARDABLE:
                return self._unshard(state, out, "it read every block")
            for finding in found:
                anchor = _anchor(layout, finding.path, finding.range.start.line)
                if not isinstance(anchor, tuple) or anchor[0] not in fresh:
                    return self._unshard(state, out, "a finding outside the subjects")
                fresh[anchor[0]].append(finding)
            # The run's memo was its own; the subject types were listed for it.
            listed = {("T", t) for t in rule.subject_types}
            own = frozenset(k for k in reads.keys if k[0] != MEMO and k not in listed)
            reads = Reads(own, reads.refs)
            for ident, _ in dirty:

                def store(entry: _Entry, ident: Ident = ident) -> None:
                    state.subjects[ident] = entry

                self._kept(fresh[ident], reads, store)
        state.subjects = {i: kept[i] for i in reused}
        for ident, _ in blocks:
            assert ident is not None
            out.extend(reused[ident] if ident in reused else fresh[ident])
        return None

    def _unshard(self, state: _RuleState, out: list[Finding], why: str | None) -> str | None:
        """Run a rule whole from now on (it does not keep to its ``subject_types``)."""
        if why is not None:
            log.debug("rule %s is checked whole: %s", state.rule.id, why)
        state.shardable = False
        state.subjects = {}
        return self._whole(state, out)

    def _whole(self, state: _RuleState, out: list[Finding]) -> str | None:
        reused = self._replay(state.whole) if self.keep else None
        if reused is not None:
            out.extend(reused)
            return None
        state.whole = None
        rule = state.rule
        found, reads, error = self._unit(rule, rule.check)
        out.extend(found)
        if error is None:

            def store(entry: _Entry) -> None:
                state.whole = entry

            self._kept(found, reads, store)
        return error

    def _per_subject(
        self,
        state: _RuleState,
        out: list[Finding],
        linked: Mapping[int, list[Entity]] | None,
    ) -> str | None:
        """A declarative rule, resource by resource (``linked``: a relation's companions)."""
        rule: Any = state.rule
        module = self.module
        self.recorder.push()
        try:
            subjects = list(rule.subjects(module))
        except Exception as err:
            self.recorder.pop()
            log.exception("rule %s failed on %s", rule.id, module.directory)
            state.subjects = {}
            return f"{rule.id}: {type(err).__name__}: {err}"
        self.recorder.pop()  # which resources are checked is looked at again every time
        kept_before = state.subjects
        state.subjects = {}
        for subject in subjects:
            ident = self.layout.ident_of(subject.placed)
            extra: object = None
            if linked is not None:
                companions = linked.get(id(subject), [])
                extra = tuple((c.path, c.block) for c in companions)
            entry = kept_before.get(ident) if ident is not None else None
            if entry is not None and entry.extra == extra and self.keep:
                reused = self._replay(entry)
                if reused is not None:
                    out.extend(reused)
                    assert ident is not None
                    state.subjects[ident] = entry
                    continue

            def check(ctx: Context, subject: Entity = subject) -> Iterable[Finding]:
                if linked is None:
                    return rule.check_subject(ctx, subject)  # type: ignore[no-any-return]
                return rule.check_subject(ctx, subject, linked)  # type: ignore[no-any-return]

            found, reads, error = self._unit(rule, check)
            out.extend(found)
            if error is not None:
                return error  # as the whole rule would: the resources after it are not checked
            if ident is not None:

                def store(entry: _Entry, ident: Ident = ident, extra: object = extra) -> None:
                    entry.extra = extra
                    state.subjects[ident] = entry

                self._kept(found, reads, store)
        return None

    def _relation(self, state: _RuleState, out: list[Finding]) -> str | None:
        rule: Any = state.rule
        module = self.module
        self.recorder.push()
        try:
            linked, complete = rule.companions(module)
        except Exception as err:
            self.recorder.pop()
            log.exception("rule %s failed on %s", rule.id, module.directory)
            return f"{rule.id}: {type(err).__name__}: {err}"
        self.recorder.pop()
        if not complete:
            return None
        return self._per_subject(state, out, linked)

    # -- the end -----------------------------------------------------------------------------

    def finish(self) -> None:
        """Keep the units run now: every memo entry is complete by now."""
        fresh, self.fresh = self.fresh, []
        memo = self.recorder.memo
        for unit in fresh:
            if self.snapshot.settle(unit.reads, memo):
                unit.store(unit.reads)
