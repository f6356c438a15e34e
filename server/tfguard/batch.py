"""Scanning many modules: on every core, and not again while nothing they read changed.

**Cores.** :func:`analyze` analyses the modules of a scan in a pool of processes forked from
the command (the rules and the parser are loaded once, before the fork; each process gets a
copy of the engine as discovery left it). Results come back in the order the modules were
asked for, so the report is the same as with ``--jobs 1``. Where processes cannot be forked
(not Linux), modules are analysed one after the other.

**Cache.** A module's result is kept on disk (``--cache-dir``, by default
``$XDG_CACHE_HOME/tfguard``, else ``~/.cache/tfguard``) with everything its analysis read from
the file system: every file it opened (by the SHA-256 of its bytes), every path it looked at
(whether it exists, and as what) and every directory it listed (the names in it). Those reads
are recorded while the module is analysed — tfguard's own files and Python's excepted — so
whatever a rule reads (the module's files, called modules, the lock file, modules.json, the git
index, ``.gitignore`` files, the configuration, a baseline) is covered without a list of them.
The entry is used only when every read gives the same answer again, and only by the same
tfguard (its version and the size and time of each of its files: a changed rule is another
rule set), the same Python and parser libraries, and the same settings and scan roots. An
entry is JSON written to a temporary file and renamed, so concurrent scans never see half an
entry (the last writer wins, and both wrote the same result); an unreadable entry is a miss.
The cache is pruned to :data:`MAX_CACHE_BYTES`, least recently used first.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import multiprocessing
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import hcl2.version
import lark

import tfguard
from tfguard.config import ConfigError
from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Finding, Position, Range, Related, Severity

log = logging.getLogger(__name__)

CACHE_FORMAT = "scan-1"
MAX_CACHE_BYTES = 256 * 1024 * 1024


def default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tfguard")


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Options:
    jobs: int = 1
    cache_dir: str | None = None  # None: no cache


# -- what an analysis reads ---------------------------------------------------------------------

# A read: ("file", path) its bytes; ("path", path) whether it exists and as what (lstat: a
# link is a link); ("list", path) the names in a directory.
Read = tuple[str, str]


def _ignored_roots() -> tuple[str, ...]:
    """Where tfguard's own code and Python's live: reading them is not reading the scan."""
    roots = {os.path.dirname(os.path.abspath(tfguard.__file__))}
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix):
        roots.add(os.path.abspath(prefix))
    for entry in sys.path:
        if os.path.isabs(entry) and ("site-packages" in entry or "dist-packages" in entry):
            roots.add(entry)
    return tuple(sorted(r.rstrip(os.sep) + os.sep for r in roots))


class ReadLog:
    """Records the file-system reads made while it is active (see the module docstring)."""

    def __init__(self) -> None:
        self.reads: set[Read] = set()
        self._ignored = _ignored_roots()

    def _note(self, kind: str, path: object) -> None:
        if not isinstance(path, (str, bytes, os.PathLike)):  # a descriptor: seen when opened
            return
        text = os.fsdecode(os.fspath(path))
        full = os.path.abspath(text)
        if full.startswith(self._ignored) or f"{os.sep}__pycache__{os.sep}" in full:
            return
        self.reads.add((kind, full))

    @contextlib.contextmanager
    def active(self) -> Iterator[ReadLog]:
        real_open, real_io_open = builtins.open, io.open
        real_stat, real_lstat = os.stat, os.lstat
        real_scandir, real_listdir = os.scandir, os.listdir

        def opened(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if not any(flag in mode for flag in "wax+"):
                self._note("file", file)
            return real_open(file, mode, *args, **kwargs)

        def stat_of(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
            self._note("path", path)
            return real_stat(path, *args, **kwargs)

        def lstat_of(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
            self._note("link", path)
            return real_lstat(path, *args, **kwargs)

        def scandir(path: Any = ".") -> Any:
            self._note("list", path)
            return real_scandir(path)

        def listdir(path: Any = ".") -> list[Any]:
            self._note("list", path)
            return real_listdir(path)

        builtins.open = io.open = opened
        os.stat, os.lstat = stat_of, lstat_of
        os.scandir, os.listdir = scandir, listdir
        try:
            yield self
        finally:
            builtins.open, io.open = real_open, real_io_open
            os.stat, os.lstat = real_stat, real_lstat
            os.scandir, os.listdir = real_scandir, real_listdir


def answer(read: Read) -> object:
    """What the file system answers to ``read`` now: a JSON value (strings, lists, numbers),
    so that it compares equal to the answer kept in an entry."""
    kind, path = read
    try:
        if kind == "file":
            with open(path, "rb") as handle:
                return hashlib.sha256(handle.read()).hexdigest()
        if kind in ("path", "link"):
            st = os.stat(path) if kind == "path" else os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                return ["link", os.readlink(path)]
            if stat.S_ISDIR(st.st_mode):
                return ["dir"]
            return ["file"] if stat.S_ISREG(st.st_mode) else ["other"]
        if kind == "list":
            return sorted(os.listdir(path))
    except OSError as err:
        return ["error", err.errno]
    return None


# -- results as JSON ----------------------------------------------------------------------------


def _range(r: Range) -> list[int]:
    return [r.start.line, r.start.character, r.end.line, r.end.character]


def _unrange(values: list[int]) -> Range:
    return Range(Position(values[0], values[1]), Position(values[2], values[3]))


def _finding(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in dataclasses.fields(Finding):
        value = getattr(f, spec.name)
        if spec.name == "range":
            value = _range(value)
        elif spec.name == "related":
            value = [_related(r) for r in value]
        elif spec.name == "severity":
            value = int(value)
        elif spec.name == "data":
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[spec.name] = value
    return out


def _related(r: Related) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in dataclasses.fields(Related):
        value = getattr(r, spec.name)
        out[spec.name] = _range(value) if spec.name == "range" else value
    return out


def _unfinding(data: dict[str, Any]) -> Finding:
    values = dict(data)
    values["range"] = _unrange(values["range"])
    values["severity"] = Severity(values["severity"])
    values["related"] = tuple(
        Related(**{**r, "range": _unrange(r["range"])}) for r in values.get("related", [])
    )
    values["scope_lines"] = tuple(values.get("scope_lines", ()))
    block = values.get("block_lines")
    values["block_lines"] = tuple(block) if block is not None else None
    return Finding(**values)


def _findings(by_path: dict[str, list[Finding]]) -> dict[str, list[dict[str, Any]]]:
    return {path: [_finding(f) for f in found] for path, found in by_path.items()}


def _unfindings(by_path: dict[str, list[dict[str, Any]]]) -> dict[str, list[Finding]]:
    return {path: [_unfinding(f) for f in found] for path, found in by_path.items()}


def result_to_json(result: ModuleResult) -> dict[str, Any]:
    error = result.config_error
    return {
        "directory": result.directory,
        "files": result.files,
        "findings": _findings(result.findings),
        "config_error": (
            [error.path, error.line, error.column, error.message] if error is not None else None
        ),
        "file_errors": result.file_errors,
        "rule_errors": result.rule_errors,
        "baselined": _findings(result.baselined),
        "baseline": result.baseline,
        "baseline_used": result.baseline_used,
        "dependencies": list(result.dependencies),
    }


def result_from_json(data: dict[str, Any]) -> ModuleResult:
    error = data["config_error"]
    return ModuleResult(
        directory=data["directory"],
        files=list(data["files"]),
        findings=_unfindings(data["findings"]),
        suppressions={},
        config_error=ConfigError(*error) if error is not None else None,
        file_errors=dict(data["file_errors"]),
        rule_errors=list(data["rule_errors"]),
        baselined=_unfindings(data["baselined"]),
        baseline=data["baseline"],
        baseline_used=dict(data["baseline_used"]),
        dependencies=tuple(data["dependencies"]),
    )


# -- the cache ----------------------------------------------------------------------------------


def rule_set() -> str:
    """tfguard itself: its version and the size and time of each of its files, the Python and
    parser versions (a scan by another tfguard is another scan)."""
    package = os.path.dirname(os.path.abspath(tfguard.__file__))
    digest = hashlib.sha256()
    digest.update(f"{tfguard.__version__} {sys.version} {hcl2.version.version}".encode())
    digest.update(lark.__version__.encode())
    for current, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".bin")):
                st = os.stat(os.path.join(current, name))
                rel = os.path.relpath(os.path.join(current, name), package)
                digest.update(f"{rel} {st.st_size} {st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class ScanCache:
    """Module results on disk (see the module docstring)."""

    def __init__(self, directory: str, engine: Engine) -> None:
        self.directory = os.path.join(directory, CACHE_FORMAT)
        roots = engine.roots
        settings = engine.settings
        self._base = {
            "tfguard": rule_set(),
            "settings": [
                settings.minimum_severity,
                sorted(settings.disabled_rules),
                sorted((k, int(v)) for k, v in settings.severity_overrides.items()),
                settings.max_file_bytes,
            ],
            "config": engine.config_path,
            "baseline": [engine.baseline_path, engine.use_baseline],
            "calls": engine.follow_module_calls,
            "roots": (
                [list(roots.dirs), sorted(roots.files), roots.base, roots.report_once]
                if roots is not None
                else None
            ),
        }
        self.hits = 0
        self.misses = 0

    def _path(self, module: str) -> str:
        key = json.dumps({**self._base, "module": module}, sort_keys=True, default=str)
        digest = hashlib.sha256(key.encode()).hexdigest()
        return os.path.join(self.directory, digest[:2], digest + ".json")

    def get(self, module: str) -> tuple[ModuleResult, dict[str, Any]] | None:
        """The kept result of ``module`` and the roots' notes its analysis made, if every read
        of it answers the same now."""
        path = self._path(module)
        try:
            with open(path, encoding="utf-8") as handle:
                entry = json.load(handle)
            if entry.get("module") != module:
                raise ValueError("another module")
            for kind, read_path, expected in entry["reads"]:
                if answer((kind, read_path)) != expected:
                    self.misses += 1
                    return None
            result = result_from_json(entry["result"])
            notes = entry["roots"]
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used
        self.hits += 1
        return result, notes

    def put(
        self, module: str, result: ModuleResult, reads: Sequence[Read], notes: dict[str, Any]
    ) -> None:
        path = self._path(module)
        try:
            entry = {
                "module": module,
                "reads": [[kind, p, answer((kind, p))] for kind, p in sorted(reads)],
                "result": result_to_json(result),
                "roots": notes,
            }
            text = json.dumps(entry)
        except (TypeError, ValueError) as err:  # a finding that JSON cannot hold: not kept
            log.debug("%s: not cached: %s", module, err)
            return
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, path)
        except OSError as err:
            log.debug("%s: not cached: %s", module, err)
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(temporary)

    def prune(self, limit: int = MAX_CACHE_BYTES) -> None:
        """Remove the least recently used entries until the cache holds at most ``limit``."""
        entries: list[tuple[float, int, str]] = []
        total = 0
        for current, _, files in os.walk(self.directory):
            for name in files:
                full = os.path.join(current, name)
                try:
                    st = os.stat(full)
                except OSError:
                    continue
                if name.endswith(".tmp") and st.st_mtime < time.time() - 3600:
                    with contextlib.suppress(OSError):
                        os.unlink(full)  # left by a scan that was killed
                    continue
                entries.append((st.st_mtime, st.st_size, full))
                total += st.st_size
        for _, size, full in sorted(entries):
            if total <= limit:
                break
            with contextlib.suppress(OSError):
                os.unlink(full)
                total -= size


# -- analysing ----------------------------------------------------------------------------------

# The engine of the scan, copied into each forked worker.
_ENGINE: Engine | None = None
_RECORD = False


def _roots_state(engine: Engine) -> tuple[dict[str, str], dict[str, str]]:
    roots = engine.roots
    return (dict(roots.notes), dict(roots.errors)) if roots is not None else ({}, {})


def _analyze_one(engine: Engine, directory: str, record: bool) -> tuple[Any, ...]:
    """A module's result (without its module), the reads made, and the roots' new notes."""
    notes_before, errors_before = _roots_state(engine)
    log_reads = ReadLog()
    if record:
        with log_reads.active():
            result = engine.analyze_module(directory)
    else:
        result = engine.analyze_module(directory)
    result.module = None
    error = result.config_error  # sent as its parts (an exception pickles by its message)
    result.config_error = None
    notes, errors = _roots_state(engine)
    new = {
        "notes": {k: v for k, v in notes.items() if notes_before.get(k) != v},
        "errors": {k: v for k, v in errors.items() if errors_before.get(k) != v},
    }
    parts = (error.path, error.line, error.column, error.message) if error is not None else None
    return result, sorted(log_reads.reads), new, parts


def _in_worker(directory: str) -> tuple[Any, ...]:
    assert _ENGINE is not None
    return _analyze_one(_ENGINE, directory, _RECORD)


def _apply_notes(engine: Engine, notes: dict[str, Any]) -> None:
    if engine.roots is not None:
        engine.roots.notes.update(notes.get("notes", {}))
        engine.roots.errors.update(notes.get("errors", {}))


def analyze(engine: Engine, directories: Sequence[str], options: Options) -> Iterator[ModuleResult]:
    """The results of ``directories``, in their order (see the module docstring)."""
    cache = ScanCache(options.cache_dir, engine) if options.cache_dir else None
    record = cache is not None
    kept: dict[str, ModuleResult] = {}
    if cache is not None:
        for directory in directories:
            hit = cache.get(directory)
            if hit is not None:
                kept[directory] = hit[0]
                _apply_notes(engine, hit[1])
    missing = [d for d in directories if d not in kept]
    fresh = _fresh_results(engine, missing, options.jobs, record)
    for directory in directories:
        if directory in kept:
            yield kept[directory]
            continue
        result, reads, notes, error = next(fresh)
        if error is not None:
            result.config_error = ConfigError(*error)
        _apply_notes(engine, notes)
        if cache is not None and not result.file_errors and not result.rule_errors:
            cache.put(directory, result, reads, notes)
        yield result
    if cache is not None:
        cache.prune()
        log.debug("scan cache: %d hits, %d misses", cache.hits, cache.misses)


def _fresh_results(
    engine: Engine, directories: list[str], jobs: int, record: bool
) -> Iterator[tuple[Any, ...]]:
    if jobs <= 1 or len(directories) < 2 or not _can_fork():
        for directory in directories:
            yield _analyze_one(engine, directory, record)
        return
    global _ENGINE, _RECORD
    _preload()
    _ENGINE, _RECORD = engine, record
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(processes=min(jobs, len(directories))) as pool:
            yield from pool.imap(_in_worker, directories, chunksize=1)
    finally:
        _ENGINE = None


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _preload() -> None:
    """What every worker needs, loaded once before the fork: the rules and the parser."""
    from tfguard import hclparse
    from tfguard.rules import registry

    registry.all_rules()
    hclparse.parser()
