"""Module validity as ``terraform validate`` judges it without providers.

What Terraform rejects in a configuration that parses:

- two variables, outputs, locals, resources, data sources, ephemeral resources, module calls,
  check blocks or provider configurations (same name and alias) of one name;
- an argument set twice in one block (python-hcl2's tree keeps both; the syntax model records
  the earlier ones in :attr:`tfguard.syntax.Block.duplicates`);
- ``count`` together with ``for_each``;
- a reference to a variable, local value, module call, resource or data source that the module
  does not declare. References to ``each``, ``count``, ``self``, ``path``, ``terraform``, the
  names a ``for`` expression or a ``dynamic`` block binds, provider configurations and
  ``ignore_changes`` entries are not references to declarations; a template directive binds
  names of its own, so inside one only namespaced references (``var.``, ``local.``...) are
  checked. A module that is not known in full (a file that does not parse or cannot be read)
  is not checked for undeclared references.

Files named ``override.tf`` or ``*_override.tf`` merge into the blocks they name, so their
declarations are never duplicates.

The findings have the rule id ``validation``. What one block declares and refers to is
remembered with the block (:func:`tfguard.memo.per_node`), so an analysis after a keystroke
only walks the blocks that changed; :meth:`Index.regressions` tells whether new texts of some
files would add a problem, from what changes in those files alone (the guard every fix goes
through).
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain

from tfguard.document import ParsedFile
from tfguard.findings import VALIDATION_RULE_ID, Finding, Range, Related, Severity
from tfguard.fixes import Fix, FixError, TextEdit, apply_edits
from tfguard.fixlayout import edit_region
from tfguard.memo import per_node
from tfguard.module import Module
from tfguard.syntax import (
    Attribute,
    Block,
    Expr,
    ForExpr,
    Heredoc,
    ObjectExpr,
    Placed,
    Reference,
    Template,
)

SEVERITY = Severity.HIGH

# Roots that never name a declaration of the module.
_NOT_DECLARATIONS = frozenset(
    {"each", "count", "self", "path", "terraform", "null", "true", "false"}
)
# Blocks whose expressions are checked for references; moved / import / removed blocks name
# addresses rather than read values, and the terraform block holds no expressions.
_CHECKED = frozenset(
    {"resource", "data", "ephemeral", "module", "output", "locals", "variable", "provider", "check"}
)
# Top-level arguments that name provider configurations, not values.
_PROVIDER_ARGUMENTS = frozenset({"provider", "providers"})

_KINDS = {
    "var": "variable",
    "local": "local value",
    "output": "output",
    "module": "module call",
    "data": "data source",
    "ephemeral": "ephemeral resource",
    "check": "check block",
    "provider": "provider configuration",
}


def _kind_of(key: str) -> str:
    return _KINDS.get(key.split(".", 1)[0], "resource")


def _label_of(key: str) -> str:
    """How a message names a declaration: ``"x"`` for var.x, the address for a resource."""
    prefix, _, rest = key.partition(".")
    if prefix in ("var", "local", "output", "module", "check"):
        return f'"{rest}"'
    if prefix == "provider":
        name, _, alias = rest.partition(".")
        return f'"{name}" (alias "{alias}")' if alias else f'"{name}" (default, no alias)'
    return f'"{key}"'


def is_override_file(path: str) -> bool:
    stem = os.path.basename(path)
    for suffix in (".tf", ".tofu"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            return stem == "override" or stem.endswith("_override")
    return False


# -- what one block declares and refers to -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Declared:
    key: str  # var.x, local.x, output.x, module.x, aws_s3_bucket.b, data.t.n, provider.aws...
    range: Range  # relative to the block's top-level item, like every syntax-model range


@dataclass(frozen=True, slots=True)
class Referenced:
    key: str
    range: Range


@dataclass(frozen=True, slots=True)
class BlockProblem:
    """A problem visible in one block alone (an argument set twice, count with for_each)."""

    key: str  # stable: what the problem is about, without positions
    message: str
    range: Range
    related: tuple[tuple[Range, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Summary:
    declares: tuple[Declared, ...]
    references: tuple[Referenced, ...]
    problems: tuple[BlockProblem, ...]
    # The keys alone, counted per file in C (Counter.update of an iterable).
    declared_keys: tuple[str, ...] = ()
    referenced_keys: tuple[str, ...] = ()
    problem_keys: tuple[str, ...] = ()


def summary(block: Block) -> Summary:
    """What ``block`` (a top-level block) declares, refers to and gets wrong by itself."""
    return per_node("validate.summary", block, lambda: _summarise(block))


def _summarise(block: Block) -> Summary:
    declares = _declarations(block)
    references: list[Referenced] = []
    if block.type in _CHECKED:
        _block_references(block, references)
    problems = _block_problems(block)
    return Summary(
        tuple(declares),
        tuple(references),
        tuple(problems),
        tuple(d.key for d in declares),
        tuple(r.key for r in references),
        tuple(p.key for p in problems),
    )


def _declarations(block: Block) -> list[Declared]:
    kind, labels = block.type, block.labels
    header = block.header_range
    if kind == "resource" and len(labels) == 2:
        return [Declared(f"{labels[0]}.{labels[1]}", header)]
    if kind in ("data", "ephemeral") and len(labels) == 2:
        return [Declared(f"{kind}.{labels[0]}.{labels[1]}", header)]
    if kind in ("variable", "output", "module", "check") and len(labels) == 1:
        prefix = "var" if kind == "variable" else kind
        return [Declared(f"{prefix}.{labels[0]}", header)]
    if kind == "locals":
        return [Declared(f"local.{a.name}", a.name_range) for a in block.attributes.values()]
    if kind == "provider" and len(labels) == 1:
        alias = block.attributes.get("alias")
        if alias is None:
            return [Declared(f"provider.{labels[0]}", header)]
        value = getattr(alias.value, "value", None)
        if isinstance(value, str) and value:
            return [Declared(f"provider.{labels[0]}.{value}", header)]
    return []


def _block_problems(block: Block) -> list[BlockProblem]:
    out: list[BlockProblem] = []
    where = ".".join((block.type, *block.labels))
    for inner in block.walk_blocks():
        if not inner.duplicates:
            continue
        by_name: dict[str, list[Attribute]] = {}
        for attr in (*inner.duplicates, *inner.attributes.values()):
            by_name.setdefault(attr.name, []).append(attr)
        for name, attrs in by_name.items():
            if len(attrs) < 2:
                continue
            attrs.sort(key=lambda a: a.range.start)
            first = attrs[0]
            path = ".".join((where, *([] if inner is block else [inner.type]), name))
            for again in attrs[1:]:
                out.append(
                    BlockProblem(
                        f"redefined:{path}",
                        f'Attribute redefined: the argument "{name}" is already set in this '
                        "block; each argument may be set only once",
                        again.name_range,
                        ((first.name_range, f'"{name}" first set here'),),
                    )
                )
    if block.type in ("resource", "data", "ephemeral", "module"):
        count, for_each = block.attributes.get("count"), block.attributes.get("for_each")
        if count is not None and for_each is not None:
            out.append(
                BlockProblem(
                    f"count-and-for-each:{where}",
                    'Invalid combination of "count" and "for_each": a block may use only one '
                    "of them",
                    for_each.name_range,
                    ((count.name_range, '"count" is set here'),),
                )
            )
    return out


def _block_references(block: Block, out: list[Referenced]) -> None:
    bound: frozenset[str] = frozenset()
    if block.type == "variable":
        # A default may not refer to anything (Terraform says so itself); the type is a type
        # expression. Only the validation rules read values.
        for rule in block.blocks_of("validation"):
            _body(rule, bound, frozenset(), out)
        return
    if block.type == "check":
        scoped = frozenset(
            f"data.{b.labels[0]}.{b.labels[1]}"
            for b in block.blocks_of("data")
            if len(b.labels) == 2
        )
        inner: list[Referenced] = []
        for child in block.blocks:
            skip = _PROVIDER_ARGUMENTS if child.type == "data" else frozenset()
            _body(child, bound, skip, inner)
        out.extend(r for r in inner if r.key not in scoped)
        return
    skip = _PROVIDER_ARGUMENTS if block.type != "provider" else frozenset()
    _body(block, bound, skip, out)


def _body(block: Block, bound: frozenset[str], skip: frozenset[str], out: list[Referenced]) -> None:
    for attr in block.attributes.values():
        if attr.name not in skip:
            _expression(attr.value, bound, False, out)
    for child in block.blocks:
        if child.type == "lifecycle":
            _body(child, bound, frozenset({"ignore_changes"}), out)
        elif child.type == "dynamic":
            iterator = child.attributes.get("iterator")
            name = (
                iterator.value.root
                if iterator is not None and isinstance(iterator.value, Reference)
                else (child.labels[0] if child.labels else "")
            )
            _body(child, bound | {name}, frozenset({"iterator"}), out)
        else:
            _body(child, bound, frozenset(), out)


def _expression(expr: Expr, bound: frozenset[str], lenient: bool, out: list[Referenced]) -> None:
    if isinstance(expr, Reference):
        key = _reference_key(expr, bound, lenient)
        if key is not None:
            out.append(Referenced(key, expr.range))
        for index in expr.index_exprs:
            _expression(index, bound, lenient, out)
        return
    if isinstance(expr, ForExpr):
        _expression(expr.collection, bound, lenient, out)
        names = {expr.value_var} | ({expr.key_var} if expr.key_var else set())
        inner = bound | names
        for part in (expr.key, expr.value, expr.condition):
            if part is not None:
                _expression(part, inner, lenient, out)
        return
    if isinstance(expr, ObjectExpr):
        for item in expr.items:
            if item.key_name is None:  # (var.k) = ...: an expression, not a bare name
                _expression(item.key, bound, lenient, out)
            _expression(item.value, bound, lenient, out)
        return
    if isinstance(expr, (Template, Heredoc)) and expr.has_directives:
        lenient = True  # %{ for x in ... } binds names the model does not keep
    for child in expr.children():
        _expression(child, bound, lenient, out)


def _reference_key(ref: Reference, bound: frozenset[str], lenient: bool) -> str | None:
    names = ref.names()
    if not names:
        return None
    root = names[0]
    if root in bound or root in _NOT_DECLARATIONS:
        return None
    if root in ("var", "local", "module"):
        return f"{root}.{names[1]}" if len(names) >= 2 else None
    if root in ("data", "ephemeral"):
        return f"{root}.{names[1]}.{names[2]}" if len(names) >= 3 else None
    if lenient or len(names) < 2:
        return None  # a bare name: a keyword of its argument (all, destroy, string...)
    return f"{names[0]}.{names[1]}"


# -- one module -------------------------------------------------------------------------------


@dataclass(slots=True)
class _FileCounts:
    """What one file adds to the module's counts."""

    primary: Counter[str] = field(default_factory=Counter)  # declarations outside overrides
    declared: Counter[str] = field(default_factory=Counter)  # every declaration
    references: Counter[str] = field(default_factory=Counter)
    local: Counter[str] = field(default_factory=Counter)  # block problems, by key


def _file_entries(parsed: ParsedFile) -> list[tuple[Placed, Summary]]:
    if parsed.path.endswith(".tfvars"):
        return []
    return [(p, summary(p.node)) for p in parsed.items if isinstance(p.node, Block)]


def _tfvars_problems(parsed: ParsedFile) -> list[tuple[Placed, BlockProblem]]:
    """A variable assigned twice in one .tfvars file."""
    if not parsed.path.endswith(".tfvars"):
        return []
    first: dict[str, tuple[Placed, Attribute]] = {}
    out: list[tuple[Placed, BlockProblem]] = []
    for placed in parsed.items:
        node = placed.node
        if not isinstance(node, Attribute):
            continue
        earlier = first.get(node.name)
        if earlier is None:
            first[node.name] = (placed, node)
            continue
        shift = earlier[0].line - placed.line  # the earlier one's range, relative to this item
        out.append(
            (
                placed,
                BlockProblem(
                    f"redefined:{os.path.basename(parsed.path)}:{node.name}",
                    f'Attribute redefined: the variable "{node.name}" is already set in this '
                    "file; each variable may be set only once",
                    node.name_range,
                    ((earlier[1].name_range.shifted(shift), f'"{node.name}" first set here'),),
                ),
            )
        )
    return out


# A parsed file is kept (and shared) while its text is unchanged: its counts are too.
_file_counts: weakref.WeakKeyDictionary[ParsedFile, _FileCounts] = weakref.WeakKeyDictionary()
_file_counts_lock = threading.Lock()


def _counts(parsed: ParsedFile) -> _FileCounts:
    with _file_counts_lock:
        cached = _file_counts.get(parsed)
    if cached is not None:
        return cached
    counts = _FileCounts()
    summaries = [found for _placed, found in _file_entries(parsed)]
    counts.declared.update(chain.from_iterable(f.declared_keys for f in summaries))
    if not is_override_file(parsed.path):
        counts.primary.update(counts.declared)
    counts.references.update(chain.from_iterable(f.referenced_keys for f in summaries))
    counts.local.update(chain.from_iterable(f.problem_keys for f in summaries))
    counts.local.update(problem.key for _placed, problem in _tfvars_problems(parsed))
    with _file_counts_lock:
        _file_counts[parsed] = counts
    return counts


def _add_delta(
    old: ParsedFile | None, new: ParsedFile, gone: _FileCounts, came: _FileCounts
) -> None:
    """Count what ``new`` (a new text of the file ``old``) no longer has into ``gone`` and
    what it has anew into ``came``, block by block."""
    before = _file_entries(old) if old is not None else []
    _count_delta(new.path, before, _file_entries(new), gone, came)
    if new.path.endswith(".tfvars"):
        if old is not None:
            gone.local.update(problem.key for _p, problem in _tfvars_problems(old))
        came.local.update(problem.key for _p, problem in _tfvars_problems(new))


def _count_delta(
    path: str,
    before: list[tuple[Placed, Summary]],
    now: list[tuple[Placed, Summary]],
    gone: _FileCounts,
    came: _FileCounts,
) -> None:
    """The blocks of ``before`` that ``now`` lacks into ``gone``, and the reverse into
    ``came`` (a block is the same object while its text is unchanged)."""
    summaries = {id(p.node): found for p, found in (*before, *now)}
    old_ids = Counter(id(p.node) for p, _ in before)
    new_ids = Counter(id(p.node) for p, _ in now)
    primary = not is_override_file(path)
    for ids, into in ((old_ids - new_ids, gone), (new_ids - old_ids, came)):
        for node, times in ids.items():
            found = summaries[node]
            for _ in range(times):
                into.declared.update(found.declared_keys)
                if primary:
                    into.primary.update(found.declared_keys)
                into.references.update(found.referenced_keys)
                into.local.update(found.problem_keys)


class Index:
    """The declarations, references and block problems of one module's files.

    ``complete``: every file of the module was read and parsed, so a name that is not declared
    here is declared nowhere (only then are references checked)."""

    def __init__(self, files: Mapping[str, ParsedFile], complete: bool) -> None:
        self.files = dict(files)
        self.complete = complete
        self._by_path = {path: _counts(parsed) for path, parsed in self.files.items()}
        self.primary: Counter[str] = Counter()
        self.declared: Counter[str] = Counter()
        self.references: Counter[str] = Counter()
        self.local: Counter[str] = Counter()
        for counts in self._by_path.values():
            self.primary.update(counts.primary)
            self.declared.update(counts.declared)
            self.references.update(counts.references)
            self.local.update(counts.local)

    # -- how bad ------------------------------------------------------------------------------

    def _problems(self, primary: int, declared: int, references: int) -> tuple[int, int]:
        """(duplicates, undeclared references) of one declaration key."""
        missing = references if self.complete and declared == 0 else 0
        return max(0, primary - 1), missing

    def regressions(self, changed: Mapping[str, ParsedFile]) -> list[str]:
        """What the module would get wrong that it does not today, if the files ``changed``
        had these texts (files not named keep theirs): the keys of the new problems
        (``duplicate:var.x``, ``undeclared:local.y``, ``redefined:...``). Computed from the
        blocks that differ alone (a parsed block is shared while its text is unchanged), so
        the cost follows the fix, not the file."""
        gone, came = _FileCounts(), _FileCounts()
        for path, parsed in changed.items():
            _add_delta(self.files.get(path), parsed, gone, came)
        return self.regressions_between(gone, came)

    def regressions_between(self, gone: _FileCounts, came: _FileCounts) -> list[str]:
        """:meth:`regressions` when ``gone`` is no longer counted and ``came`` is."""

        def after(total: Counter[str], attr: str, key: str) -> int:
            value: int = total[key]
            return value - int(getattr(gone, attr)[key]) + int(getattr(came, attr)[key])

        keys: set[str] = set()
        for counts in (gone, came):
            keys.update(counts.primary, counts.declared, counts.references)
        worse: list[str] = []
        for key in sorted(keys):
            dup_before, missing_before = self._problems(
                self.primary[key], self.declared[key], self.references[key]
            )
            dup_after, missing_after = self._problems(
                after(self.primary, "primary", key),
                after(self.declared, "declared", key),
                after(self.references, "references", key),
            )
            if dup_after > dup_before:
                worse.append(f"duplicate:{key}")
            if missing_after > missing_before:
                worse.append(f"undeclared:{key}")
        for key in sorted(set(gone.local) | set(came.local)):
            if after(self.local, "local", key) > self.local[key]:
                worse.append(key)
        return worse

    # -- findings -----------------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        duplicated = {k for k, n in self.primary.items() if n > 1}
        undeclared = (
            {k for k in self.references if self.declared[k] == 0} if self.complete else set()
        )
        if not duplicated and not undeclared and not self.local:
            return []  # the usual case: nothing to place
        out: list[Finding] = []
        first_at: dict[str, tuple[str, Range]] = {}
        for path in sorted(self.files):
            parsed = self.files[path]
            override = is_override_file(path)
            for placed, found in _file_entries(parsed):
                for d in found.declares:
                    if override or d.key not in duplicated:
                        continue
                    where = placed.abs(d.range)
                    first = first_at.get(d.key)
                    if first is None:
                        first_at[d.key] = (path, where)
                        continue
                    kind = _kind_of(d.key)
                    out.append(
                        _finding(
                            f"Duplicate {kind} {_label_of(d.key)}: {kind} names must be unique "
                            "within a module",
                            path,
                            where,
                            [(first[0], first[1], f"{_label_of(d.key)} first declared here")],
                            {"problem": f"duplicate:{d.key}"},
                        )
                    )
                for r in found.references:
                    if r.key in undeclared:
                        out.append(
                            _finding(
                                _undeclared(r.key),
                                path,
                                placed.abs(r.range),
                                [],
                                {"problem": f"undeclared:{r.key}"},
                            )
                        )
                for p in found.problems:
                    out.append(_block_finding(path, placed, p))
            for placed, problem in _tfvars_problems(parsed):
                out.append(_block_finding(path, placed, problem))
        return out


def _undeclared(key: str) -> str:
    prefix, _, rest = key.partition(".")
    if prefix == "var":
        return (
            f'Reference to undeclared input variable "{rest}": declare it with a variable '
            "block in this module"
        )
    if prefix == "local":
        return f'Reference to undeclared local value "{rest}": no locals block defines it'
    if prefix == "module":
        return f'Reference to undeclared module "{rest}": no module block has this name'
    if prefix in ("data", "ephemeral"):
        kind, name = rest.split(".", 1)
        what = "data source" if prefix == "data" else "ephemeral resource"
        return f'Reference to undeclared {what}: {prefix} "{kind}" "{name}" is not declared'
    kind, name = key.split(".", 1)
    return (
        f'Reference to undeclared resource: a resource "{kind}" "{name}" is not declared in '
        "this module"
    )


def _block_finding(path: str, placed: Placed, problem: BlockProblem) -> Finding:
    related = [(path, placed.abs(r), message) for r, message in problem.related]
    return _finding(
        problem.message, path, placed.abs(problem.range), related, {"problem": problem.key}
    )


def _finding(
    message: str,
    path: str,
    where: Range,
    related: Iterable[tuple[str, Range, str]],
    data: dict[str, str],
) -> Finding:
    return Finding(
        VALIDATION_RULE_ID,
        SEVERITY,
        message,
        path,
        where,
        related=tuple(Related(p, r, m) for p, r, m in related),
        data=data,
    )


# -- the guard of every fix -------------------------------------------------------------------

CONFIGURATION_SUFFIXES = (".tf", ".tofu", ".tfvars")


def index_of(module: Module) -> Index:
    """The index the engine built with ``module`` (built now, without reference checks, for a
    module made elsewhere)."""
    found = module.memo.get(Index)
    if not isinstance(found, Index):
        found = Index(module.files, complete=False)
        module.memo[Index] = found
    return found


def harm(module: Module, texts: Mapping[str, str]) -> str | None:
    """Why the module must not take these new texts of some of its files (``None``: it may):
    a file would parse worse than it does, or the module would validate worse (a problem it
    does not have today). Files outside the module's configuration (.gitignore) are not
    judged here."""
    changed: dict[str, ParsedFile] = {}
    for path, text in sorted(texts.items()):
        if os.path.dirname(path) != module.directory:
            continue
        before = module.files.get(path)
        if before is not None:
            parsed = type(before)(path, text, before)  # HCL, or Terraform's JSON syntax
        elif path.endswith(CONFIGURATION_SUFFIXES):
            parsed = ParsedFile(path, text)
        else:
            continue
        if len(parsed.problems) > (len(before.problems) if before is not None else 0):
            return f"{os.path.basename(path)} would no longer parse"
        changed[path] = parsed
    if not changed:
        return None
    return _verdict(index_of(module).regressions(changed))


def _verdict(worse: list[str]) -> str | None:
    if worse:
        return "the module would not validate: " + ", ".join(_described(k) for k in worse[:3])
    return None


def fix_harm(module: Module, fix: Fix) -> str | None:
    """:func:`harm` of the texts ``fix`` makes. An HCL file of the module is judged from the
    top-level items the fix touches (:func:`tfguard.fixlayout.edit_region`), so the cost
    follows the fix, not the file; the changes of every file the fix edits are judged
    together (a reference in main.tf to the variable it declares in variables.tf)."""
    by_path: dict[str, list[TextEdit]] = {}
    for edit in fix.edits:
        by_path.setdefault(edit.path, []).append(edit)
    gone, came = _FileCounts(), _FileCounts()
    for path, edits in sorted(by_path.items()):
        if os.path.dirname(path) != module.directory:
            continue
        before = module.files.get(path)
        regional = (
            before is not None
            and type(before) is ParsedFile
            and path.endswith((".tf", ".tofu"))
            and not before.binary
        )
        if before is not None and regional:
            region = edit_region(before.text, edits, before)
            if region is None:
                return "overlapping edits"
            lines = range(region.first_line, region.last_line + 1)
            inside = ParsedFile(path, region.new)  # the region alone, lines counted from it
            had = sum(1 for p in before.problems if p.range.start.line in lines)
            if len(inside.problems) > had:
                return f"{os.path.basename(path)} would no longer parse"
            old = [
                (p, summary(p.node))
                for p in before.items
                if isinstance(p.node, Block) and p.line in lines
            ]
            _count_delta(path, old, _file_entries(inside), gone, came)
            continue
        if before is None and not path.endswith(CONFIGURATION_SUFFIXES):
            continue  # not configuration (.gitignore)
        try:
            text = apply_edits(before.text if before is not None else "", edits)
        except FixError as err:
            return str(err)
        parsed = type(before)(path, text, before) if before is not None else ParsedFile(path, text)
        if len(parsed.problems) > (len(before.problems) if before is not None else 0):
            return f"{os.path.basename(path)} would no longer parse"
        _add_delta(before, parsed, gone, came)
    if not any((gone.declared, came.declared, gone.references, came.references)) and not any(
        (gone.local, came.local)
    ):
        return None  # the fix changes no declaration, reference or block problem
    return _verdict(index_of(module).regressions_between(gone, came))


def _described(key: str) -> str:
    """A problem key in words: "var.x declared twice", "redefined argument in ..."."""
    what, _, where = key.partition(":")
    if what == "duplicate":
        return f"{where} declared twice"
    if what == "undeclared":
        return f"{where} not declared"
    if what == "redefined":
        return f"{where} set twice"
    return f"count and for_each both set in {where}"
