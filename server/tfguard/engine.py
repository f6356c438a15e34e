"""The engine: files → module → rules → findings, with suppressions and configuration applied.

The language server and the command line are thin adapters over :class:`Engine`. Editor
buffers are *overlays* that win over the files on disk; parsed files are reused while their
text is unchanged, and each top-level block is parsed once per distinct text.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from cachetools import LRUCache

from tfguard import calls, fixlayout, plan, validate
from tfguard.baseline import Baseline, Matcher
from tfguard.baseline import load as load_baseline
from tfguard.config import Config, ConfigError, Settings, find_config, load_config
from tfguard.confine import OUTSIDE, Roots, module_escape
from tfguard.document import CommentAt, ParsedFile
from tfguard.encoding import Decoded, decode, is_binary, problems
from tfguard.findings import CONFIGURATION_RULE_IDS, SYNTAX_RULE_ID, Finding, Range, Severity
from tfguard.fixes import Fix
from tfguard.incremental import RuleCache, TrackedModule
from tfguard.module import Module, is_auto_tfvars, load_json_tfvars
from tfguard.project import ProjectFiles
from tfguard.rules import registry
from tfguard.rules.base import Rule
from tfguard.suppress import Suppression, Suppressor, parse_suppressions
from tfguard.tfjson import CONFIG_SUFFIXES, TfJsonFile, is_config_json

log = logging.getLogger(__name__)

HCL_SUFFIXES = (".tf", ".tofu", ".tfvars")
JSON_SUFFIXES = (".tfvars.json",)
CONFIG_JSON_SUFFIXES = CONFIG_SUFFIXES  # Terraform's JSON syntax: read by tfguard.tfjson
SKIP_DIRS = frozenset({".terraform", ".git", ".terragrunt-cache"})
MAX_FILE_BYTES = 8 * 1024 * 1024
# The information diagnostic on a file that is over Settings.max_file_bytes.
TOO_LARGE_RULE_ID = "file-too-large"
KEPT_PARSED_CHARS = 8_000_000  # parsed files kept (their models take ~36 bytes a character)
KEPT_DISK_CHARS = 32_000_000  # file texts kept while unchanged on disk


def _disk_size(entry: tuple[float, int, Decoded | FileError]) -> int:
    """A text's weight in the disk cache (a larger one than the cache takes everything)."""
    size = len(entry[2].text) + 1 if isinstance(entry[2], Decoded) else 1
    return min(size, KEPT_DISK_CHARS)


def is_terraform_file(path: str) -> bool:
    return path.endswith((*HCL_SUFFIXES, *JSON_SUFFIXES, *CONFIG_JSON_SUFFIXES))


class FileError(Exception):
    """A file that cannot be analysed (unreadable, too large). Bytes Terraform rejects (not
    UTF-8, NUL, a binary file) are findings instead: see :mod:`tfguard.encoding`."""


@dataclass(slots=True)
class ModuleResult:
    directory: str
    files: list[str]
    findings: dict[str, list[Finding]]
    suppressions: dict[str, list[Suppression]]
    config_error: ConfigError | None = None
    file_errors: dict[str, str] = field(default_factory=dict)
    rule_errors: list[str] = field(default_factory=list)
    duration_ms: float = 0.0
    module: Module | None = None
    # Findings hidden by the baseline (path -> findings), the baseline file, and how many
    # findings took each of its entries (fingerprint -> count; the rest of an entry is stale).
    baselined: dict[str, list[Finding]] = field(default_factory=dict)
    baseline: str | None = None
    baseline_used: dict[str, int] = field(default_factory=dict)
    # The directories of the modules the analysis called (at any depth): a change there
    # changes this result (see tfguard.calls).
    dependencies: tuple[str, ...] = ()

    def all_findings(self) -> list[Finding]:
        out = [f for fs in self.findings.values() for f in fs]
        out.sort(key=Finding.sort_key)
        return out


class Engine:
    def __init__(
        self,
        settings: Settings | None = None,
        config_path: str | None = None,
        baseline_path: str | None = None,
        use_baseline: bool = True,
    ) -> None:
        self.settings = settings or Settings()
        self.config_path = os.path.abspath(config_path) if config_path else None
        # A baseline file that wins over the configuration's; no baseline at all when
        # ``use_baseline`` is false (writing a new baseline).
        self.baseline_path = os.path.abspath(baseline_path) if baseline_path else None
        self.use_baseline = use_baseline
        self._baselines: dict[str, tuple[float, int, Baseline | ConfigError]] = {}
        self.overlays: dict[str, str] = {}
        # Parsed files and texts read from disk, bounded by the text they hold (the least
        # recently used go first: parsed again, read again when asked for).
        self._parsed: LRUCache[str, ParsedFile] = LRUCache(
            maxsize=KEPT_PARSED_CHARS,
            getsizeof=lambda parsed: min(len(parsed.text) + 1, KEPT_PARSED_CHARS),
        )
        self._disk: LRUCache[str, tuple[float, int, Decoded | FileError]] = LRUCache(
            maxsize=KEPT_DISK_CHARS, getsizeof=_disk_size
        )
        self._configs: dict[str, tuple[float, Config | ConfigError]] = {}
        # The command line's directories and files: set, nothing is read through a link out
        # of them, and each file is reported once (see tfguard.confine).
        self.roots: Roots | None = None
        # Called modules, analysed with their calls' arguments and kept while unchanged
        # (``follow_module_calls = False``: each module on its own, as before).
        self._calls = calls.Driver(self)
        self.follow_module_calls = True
        # Rule results kept from one analysis to the next, reused while what they read is
        # unchanged (see tfguard.incremental): the editor's engine; a scan analyses once.
        self.incremental = False
        self._rule_cache = RuleCache()

    # -- documents ---------------------------------------------------------------------------

    def set_overlay(self, path: str, text: str) -> None:
        self.overlays[os.path.abspath(path)] = text

    def drop_overlay(self, path: str) -> None:
        path = os.path.abspath(path)
        self.overlays.pop(path, None)
        # A closed document starts afresh: the next parse of this path is a full one, and a
        # reopened buffer never inherits the incremental state of the edits before it.
        self._parsed.pop(path, None)

    def invalidate(self, path: str) -> None:
        path = os.path.abspath(path)
        self._disk.pop(path, None)
        self._parsed.pop(path, None)
        if os.path.basename(path) == ".tfguard.hcl":
            self._configs.clear()
        self._baselines.pop(path, None)

    def read(self, path: str) -> str:
        """The text of a file: the editor's buffer if open, else the file on disk."""
        path = os.path.abspath(path)
        if path in self.overlays:
            return self.overlays[path]
        return self._from_disk(path).text

    def _from_disk(self, path: str) -> Decoded:
        try:
            st = os.stat(path)
        except OSError as err:
            raise FileError(f"{path}: cannot read: {err.strerror or err}") from None
        cached = self._disk.get(path)
        if cached is not None and cached[0] == st.st_mtime and cached[1] == st.st_size:
            result = cached[2]
        else:
            result = self._read_disk(path, st.st_size)
            self._disk[path] = (st.st_mtime, st.st_size, result)
        if isinstance(result, FileError):
            raise result
        return result

    def _read_disk(self, path: str, size: int) -> Decoded | FileError:
        if size > MAX_FILE_BYTES:
            return FileError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, skipped")
        try:
            with open(path, "rb") as handle:
                return decode(handle.read())
        except OSError as err:
            return FileError(f"{path}: cannot read: {err.strerror or err}")

    def parsed(self, path: str) -> ParsedFile:
        path = os.path.abspath(path)
        text = self.read(path)
        replaced = self._replaced(path, text)
        previous = self._parsed.get(path)
        if previous is not None and previous.text == text and previous.replaced == replaced:
            return previous
        kind = TfJsonFile if is_config_json(path) else ParsedFile
        parsed = kind(path, text, previous, replaced)
        self._parsed[path] = parsed
        return parsed

    def _too_large(self, path: str) -> Finding | None:
        """The notice for a file over the size limit of the settings (None: not over it)."""
        limit = self.settings.max_file_bytes
        if limit is None:
            return None
        if path in self.overlays:
            size = len(self.overlays[path])  # characters: at most the bytes
            if size > limit:
                size = len(self.overlays[path].encode("utf-8", "surrogatepass"))
        else:
            try:
                size = os.stat(path).st_size
            except OSError:
                return None
        if size <= limit:
            return None
        return Finding(
            TOO_LARGE_RULE_ID,
            Severity.LOW,  # shown as information (hints are easy to miss)
            f"{os.path.basename(path)} is {_size(size)}, more than the {_size(limit)} the "
            "editor analyses: not analysed here (tfguard scan analyses it; the setting "
            "tfguard.maxFileKiB raises the limit)",
            path,
            Range.of(0, 0, 0, 0),
        )

    def _bad_bytes(self, path: str, text: str) -> list[Finding]:
        """What Terraform rejects in a file that is not parsed (JSON variables), as findings."""
        return [
            Finding(
                SYNTAX_RULE_ID,
                Severity.HIGH,
                bad.message,
                path,
                Range.of(bad.line, bad.column, bad.line, bad.column + 1),
            )
            for bad in problems(text, self._replaced(path, text))
        ]

    def _replaced(self, path: str, text: str) -> Mapping[int, bytes] | None:
        """The bytes that the U+FFFD characters of ``text`` replaced: known for the file on
        disk, and for a buffer holding the file's text (so that the editor shows what a scan
        reports); ``None`` for an edited buffer with U+FFFD characters."""
        if "\ufffd" not in text:
            return {}
        try:
            disk = self._from_disk(path)
        except FileError:
            return None
        return disk.replaced if disk.text == text else None

    # -- discovery ---------------------------------------------------------------------------

    def module_files(self, directory: str) -> list[str]:
        directory = os.path.abspath(directory)
        names: set[str] = set()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    if not is_terraform_file(entry.name) or not entry.is_file():
                        continue
                    if self.roots is None or self.roots.admit(entry.path, entry.is_symlink()):
                        names.add(entry.name)
        except (FileNotFoundError, NotADirectoryError):
            pass  # gone: what the editor still has open is analysed
        except OSError as err:
            self._unreadable(err)
        for path in self.overlays:
            if os.path.dirname(path) == directory and is_terraform_file(path):
                names.add(os.path.basename(path))
        # OpenTofu reads x.tofu instead of x.tf when both exist.
        shadowed = {n[: -len(".tofu")] + ".tf" for n in names if n.endswith(".tofu")}
        shadowed |= {n[: -len("tofu.json")] + "tf.json" for n in names if n.endswith(".tofu.json")}
        return [os.path.join(directory, n) for n in sorted(names - shadowed)]

    def discover(self, root: str) -> list[str]:
        """Module directories under ``root`` (itself included), skipping tool folders."""
        root = os.path.abspath(root)
        found: list[str] = []
        # Links to directories are not followed (no loops, nothing outside the tree).
        for current, dirs, files in os.walk(root, onerror=self._unreadable):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            names = [f for f in files if is_terraform_file(f)]
            if names:
                found.append(current)
            if self.roots is not None:
                for name in dirs:
                    if os.path.islink(os.path.join(current, name)):
                        self.roots.skip_directory_link(os.path.join(current, name))
                for name in names:
                    path = os.path.join(current, name)
                    self.roots.admit(path, os.path.islink(path))
        return found

    def _unreadable(self, err: OSError) -> None:
        """A directory that cannot be listed: an error for the command line, a warning in the
        editor's log."""
        if self.roots is not None:
            self.roots.unreadable(err)
        else:
            log.warning("%s: cannot read the directory: %s", err.filename, err.strerror or err)

    # -- configuration -----------------------------------------------------------------------

    def config_for(self, directory: str) -> Config:
        path = self.config_path or find_config(directory)
        if path is None:
            return Config()
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            mtime = -1.0
        cached = self._configs.get(path)
        if cached is None or cached[0] != mtime:
            loaded: Config | ConfigError
            try:
                loaded = load_config(path)
            except ConfigError as err:
                loaded = err
            cached = (mtime, loaded)
            self._configs[path] = cached
        if isinstance(cached[1], ConfigError):
            raise cached[1]
        return cached[1]

    def baseline_for(self, config: Config) -> Baseline | None:
        """The baseline that applies under ``config`` (reloaded when its file changes)."""
        if not self.use_baseline:
            return None
        path = self.baseline_path or config.baseline
        if path is None:
            return None
        try:
            st = os.stat(path)
            stamp = (st.st_mtime, st.st_size)
        except OSError:
            stamp = (-1.0, -1)
        cached = self._baselines.get(path)
        if cached is None or cached[:2] != stamp:
            loaded: Baseline | ConfigError
            try:
                loaded = load_baseline(path)
            except ConfigError as err:
                loaded = err
                if stamp[1] < 0 and self.baseline_path is None and config.path is not None:
                    # Named in .tfguard.hcl but missing: point at that setting.
                    line, column = config.baseline_at
                    loaded = ConfigError(
                        config.path,
                        line,
                        column,
                        f"baseline file {os.path.relpath(path, config.root)!r} not found "
                        "(create it with 'tfguard scan --write-baseline FILE')",
                    )
            cached = (*stamp, loaded)
            self._baselines[path] = cached
        if isinstance(cached[2], ConfigError):
            raise cached[2]
        return cached[2]

    def enabled_rules(self, config: Config) -> list[Rule]:
        out = []
        for rule in (*registry.all_rules(), *config.policies):
            rc = config.rules.get(rule.id)
            if rc is not None and not rc.enabled:
                continue
            if rule.id in self.settings.disabled_rules:
                continue
            out.append(rule)
        return out

    def severity_of(self, finding: Finding, config: Config) -> Severity:
        override = self.settings.severity_overrides.get(finding.rule_id)
        if override is not None:
            return override
        rc = config.rules.get(finding.rule_id)
        if rc is not None and rc.severity is not None:
            return rc.severity
        return finding.severity

    # -- analysis ----------------------------------------------------------------------------

    def analyze(self, path: str) -> ModuleResult:
        path = os.path.abspath(path)
        directory = path if os.path.isdir(path) else os.path.dirname(path)
        return self.analyze_module(directory)

    def analyze_module(self, directory: str) -> ModuleResult:
        started = time.perf_counter()
        directory = os.path.abspath(directory)
        config_error: ConfigError | None = None
        try:
            config = self.config_for(directory)
        except ConfigError as err:
            config_error = err
            config = Config()
        baseline: Baseline | None = None
        try:
            baseline = self.baseline_for(config)
        except ConfigError as err:  # the rest of the configuration still applies
            config_error = config_error or err
        paths = self.module_files(directory)
        files: dict[str, ParsedFile] = {}
        json_tfvars: dict[str, dict[str, object]] = {}
        file_errors: dict[str, str] = {}
        raw: list[Finding] = []
        too_large: list[Finding] = []
        for path in paths:
            try:
                notice = self._too_large(path)
                if notice is not None:
                    too_large.append(notice)
                    continue
                if path.endswith(JSON_SUFFIXES):
                    if is_auto_tfvars(os.path.basename(path)):
                        text = self.read(path)
                        raw.extend(self._bad_bytes(path, text))
                        json_tfvars[path] = load_json_tfvars(text)
                    continue
                files[path] = self.parsed(path)
            except FileError as err:
                file_errors[path] = str(err)
            except ValueError as err:
                file_errors[path] = f"{path}: invalid JSON: {err}"
        project = ProjectFiles(directory, self.overlays)
        module = TrackedModule(directory, files, json_tfvars, project)
        rules = self.enabled_rules(config)
        self._calls.begin(rules if self.follow_module_calls else ())
        expansion = self._calls.expand(module, follow=self.follow_module_calls)
        found, rule_errors = self._rule_cache.run(module, rules, expansion, self.incremental)
        raw.extend(found)
        called, called_errors = expansion.findings()
        raw.extend(called)
        rule_errors.extend(called_errors)
        for path, parsed in files.items():
            for problem in [*parsed.encoding_problems, *parsed.problems]:
                raw.append(
                    Finding(SYNTAX_RULE_ID, Severity.HIGH, problem.message, path, problem.range)
                )
        # What terraform validate would reject; references only when every file was read.
        complete = not file_errors and not too_large and not any(
            p.problems or p.encoding_problems for p in files.values()
        )
        index = validate.Index(files, complete)
        module.memo[validate.Index] = index
        raw.extend(index.findings())
        matcher = baseline.matcher() if baseline is not None else None
        findings, suppressions = self._filter(files, raw, config, matcher)
        for notice in too_large:  # always shown: it says why nothing else is
            findings.setdefault(notice.path, []).append(notice)
        for path in paths:
            findings.setdefault(path, [])
        result = ModuleResult(
            directory,
            paths,
            findings,
            suppressions,
            config_error,
            file_errors,
            rule_errors,
            (time.perf_counter() - started) * 1000,
            module,
            matcher.taken if matcher is not None else {},
            baseline.path if baseline is not None else None,
            matcher.used if matcher is not None else {},
            tuple(sorted({c.directory for top in expansion.children for c in top.walk()})),
        )
        return self._reported(result)

    def analyze_plan(self, path: str) -> ModuleResult:
        """The findings of a plan in JSON (see :mod:`tfguard.plan`): the rules run on its
        planned resources, each finding shown in the configuration next to the plan when the
        resource is found there (its inline suppressions apply), else on the planned value."""
        started = time.perf_counter()
        path = os.path.abspath(path)
        directory = os.path.dirname(path)
        config_error: ConfigError | None = None
        try:
            config = self.config_for(directory)
        except ConfigError as err:
            config_error = err
            config = Config()
        baseline: Baseline | None = None
        try:
            baseline = self.baseline_for(config)
        except ConfigError as err:
            config_error = config_error or err
        result = ModuleResult(directory, [path], {path: []}, {}, config_error)
        try:
            planned = plan.read_plan(path, self._plan_text(path), self.project(directory))
        except (FileError, plan.PlanError) as err:
            result.file_errors[path] = str(err)
            return result
        found, result.rule_errors = calls.run_rules(planned.module, self.enabled_rules(config))
        configuration = plan.Configuration(planned, self.load_module, self.project)
        if configuration.present():
            found = [plan.in_configuration(configuration, planned, f) for f in found]
            found = self.unsuppressed(configuration.files(), found)
            result.files.extend(sorted(configuration.files()))
        matcher = baseline.matcher() if baseline is not None else None
        findings, _ = self._filter({}, [*found, *planned.problems], config, matcher)
        findings.setdefault(path, [])
        result.findings = findings
        result.module = planned.module
        result.duration_ms = (time.perf_counter() - started) * 1000
        if matcher is not None and baseline is not None:
            result.baselined, result.baseline, result.baseline_used = (
                matcher.taken,
                baseline.path,
                matcher.used,
            )
        return result

    def _plan_text(self, path: str) -> str:
        """A plan's text: plans of big configurations may exceed the limit of other files."""
        if path in self.overlays:
            return self.overlays[path]
        try:
            size = os.path.getsize(path)
        except OSError as err:
            raise FileError(f"{path}: cannot read: {err.strerror or err}") from None
        if size <= MAX_FILE_BYTES:
            return self.read(path)
        if size > plan.MAX_PLAN_BYTES:
            limit = plan.MAX_PLAN_BYTES // (1024 * 1024)
            raise FileError(f"{path}: larger than {limit} MiB, skipped")
        try:
            with open(path, "rb") as handle:
                return decode(handle.read()).text
        except OSError as err:
            raise FileError(f"{path}: cannot read: {err.strerror or err}") from None

    # -- called modules (tfguard.calls.Host) -------------------------------------------------

    def load_module(self, directory: str) -> calls.Loaded | None:
        """The files of a called module; ``None`` when it cannot be read, or when the scan's
        roots forbid it (a module reached through a link to a directory outside them)."""
        directory = os.path.abspath(directory)
        if self.roots is not None:
            real = os.path.realpath(directory)
            if real != directory and not self.roots.contains(real):
                self.roots.notes.setdefault(
                    directory,
                    f"a module source that is a symbolic link to {self.roots.show(real, real=True)}"
                    f", {OUTSIDE}",
                )
                return None
        files: dict[str, ParsedFile] = {}
        json_tfvars: dict[str, dict[str, object]] = {}
        stamp: list[tuple[str, int]] = []
        for path in self.module_files(directory):
            if self._too_large(path) is not None:
                continue  # reported by the module's own analysis
            try:
                text = self.read(path)
                stamp.append((path, hash(text)))
                if path.endswith(JSON_SUFFIXES):
                    if is_auto_tfvars(os.path.basename(path)):
                        json_tfvars[path] = load_json_tfvars(text)
                    continue
                files[path] = self.parsed(path)
            except (FileError, ValueError):
                continue  # reported by the module's own analysis
        if not files:
            return None
        return calls.Loaded(directory, files, json_tfvars, tuple(stamp))

    def unsuppressed(
        self, files: Mapping[str, ParsedFile], findings: list[Finding]
    ) -> list[Finding]:
        suppressors: dict[str, Suppressor] = {}
        out: list[Finding] = []
        for finding in findings:
            parsed = files.get(finding.path)
            if parsed is None:
                out.append(finding)
                continue
            suppressor = suppressors.get(finding.path)
            if suppressor is None:
                found = parse_suppressions(finding.path, parsed.comments)
                lines = {c.range.start.line for c in parsed.comments if _own_line(parsed, c)}
                suppressor = suppressors[finding.path] = Suppressor(found, lines, _resolve_rule_id)
            if not suppressor.is_suppressed(finding):
                out.append(finding)
        return out

    def project(self, directory: str) -> ProjectFiles:
        return ProjectFiles(directory, self.overlays)

    def called_directories(self, directory: str) -> set[str]:
        """The directories of the modules the module in ``directory`` calls (at any depth),
        without analysing it."""
        loaded = self.load_module(directory) if self.follow_module_calls else None
        if loaded is None:
            return set()
        module = Module(loaded.directory, loaded.files, None, self.project(loaded.directory))
        return calls.called_directories(module, self.load_module)

    def _reported(self, result: ModuleResult) -> ModuleResult:
        """Under roots, a file reached through links as well is reported under one path only
        (it is still part of each module it is in)."""
        roots = self.roots
        if roots is None or not roots.report_once:
            return result
        others = {p for p in result.files if roots.primary(p) != p}
        if others:
            result.files = [p for p in result.files if p not in others]
            result.findings = {p: f for p, f in result.findings.items() if p not in others}
            result.baselined = {p: f for p, f in result.baselined.items() if p not in others}
        return result

    def quotable(self, path: str) -> str:
        """The text reports quote source lines from (nothing from a binary file)."""
        text = self.read(path)
        return "" if is_binary(text) else text

    def rewrite_refusal(self, path: str, follow_symlinks: bool = False) -> str | None:
        """Why ``tfguard fix`` must not write ``path`` (``None``: it may): a link it must not
        write through, or bytes that are not UTF-8 text, which a rewrite would change."""
        if self.roots is not None:
            reason = self.roots.write_refusal(path, follow_symlinks)
            if reason is not None:
                return reason
        try:
            disk = self._from_disk(path)
        except FileError:
            return None  # a file the fix creates
        if disk.replaced or is_binary(disk.text):
            return "it holds bytes that are not UTF-8 text (a rewrite would change them)"
        return None

    def _filter(
        self,
        files: dict[str, ParsedFile],
        raw: Iterable[Finding],
        config: Config,
        baseline: Matcher | None = None,
    ) -> tuple[dict[str, list[Finding]], dict[str, list[Suppression]]]:
        suppressors: dict[str, Suppressor] = {}
        suppressions: dict[str, list[Suppression]] = {}
        for path, parsed in files.items():
            found = parse_suppressions(path, parsed.comments)
            suppressions[path] = found
            comment_lines = {c.range.start.line for c in parsed.comments if _own_line(parsed, c)}
            suppressors[path] = Suppressor(found, comment_lines, _resolve_rule_id)
        minimum = self.settings.minimum_severity
        if minimum is None:
            minimum = config.minimum_severity
        out: dict[str, list[Finding]] = {}
        ordered = sorted(raw, key=_sort_key)
        for path, suppressor in suppressors.items():
            ordered.extend(suppressor.problems(path))
        seen: set[tuple[object, ...]] = set()
        excluded: dict[str, bool] = {}
        for finding in ordered:
            start, end = finding.range.start, finding.range.end
            key: tuple[object, ...] = (
                finding.path, finding.rule_id, start.line, start.character, end.line
            )
            key += (end.character, finding.message)
            if key in seen:
                continue
            seen.add(key)
            if finding.path not in excluded:
                excluded[finding.path] = config.is_excluded(finding.path)
            if excluded[finding.path]:
                continue
            owner = suppressors.get(finding.path)
            if owner is not None and owner.suppressions and owner.is_suppressed(finding):
                continue
            # Matched before the threshold, so that a stricter --min-severity does not make
            # entries stale; baselined findings below the threshold are dropped like others.
            in_baseline = baseline is not None and baseline.take(
                finding, self._line_reader(files, finding.path)
            )
            severity = self.severity_of(finding, config)
            if severity < minimum and not finding.is_configuration_error:
                continue
            if severity != finding.severity:
                finding = _with_severity(finding, severity)
            if in_baseline and baseline is not None:
                baseline.taken.setdefault(finding.path, []).append(finding)
                continue
            out.setdefault(finding.path, []).append(finding)
        return out, suppressions

    def line_reader(self, path: str) -> Callable[[int], str]:
        """The lines of ``path`` as a baseline fingerprints them (0-based; "" past the end)."""
        return self._line_reader({}, os.path.abspath(path))

    def _line_reader(self, files: dict[str, ParsedFile], path: str) -> Callable[[int], str]:
        parsed = files.get(path)
        if parsed is not None:
            return parsed.line_text
        try:
            lines = self.read(path).split("\n")
        except FileError:
            lines = []
        return lambda n: lines[n].rstrip("\r") if 0 <= n < len(lines) else ""


def fixes_for(result: ModuleResult, finding: Finding) -> list[Fix]:
    """The fixes a finding's rule offers (none for syntax errors or a failing fix), but those
    that would write a file outside the module's directory, and those after which the module
    would parse or validate worse than it does (:func:`tfguard.validate.harm`)."""
    out: list[Fix] = []
    for fix in offered_fixes(result, finding):
        escape = module_escape(result.directory, finding.path, fix)
        if escape is not None:
            log.debug("%s: not offered: %s: %s", fix.title, *escape)
            continue
        harm = validate.fix_harm(result.module, fix) if result.module is not None else None
        if harm is not None:
            log.debug("%s: not offered: %s", fix.title, harm)
            continue
        out.append(fix)
    return out


def offered_fixes(result: ModuleResult, finding: Finding) -> list[Fix]:
    """The fixes a finding's rule offers, unchecked (see :func:`fixes_for`). Fixes write HCL:
    none for a finding in a ``.tf.json`` file, none that would edit one, and none for a
    finding a module call's arguments cause (the value to pass is the author's choice) or of
    a plan scan."""
    rule = registry.get(finding.rule_id)
    if rule is None or result.module is None:
        return []
    if is_config_json(finding.path) or "via" in finding.data or "plan" in finding.data:
        return []
    try:
        fixes = rule.fixes(finding, result.module)
    except Exception:  # a broken fix must not take the server down
        log.exception("fix of %s failed", finding.rule_id)
        return []
    return [
        _laid_out(result.module, finding, fix)
        for fix in fixes
        if not any(is_config_json(p) for p in fix.paths)
    ]


def _laid_out(module: Module, finding: Finding, fix: Fix) -> Fix:
    """``fix`` with the lines around its edits laid out as terraform fmt lays them out
    (:mod:`tfguard.fixlayout`); as the rule wrote it if that fails."""
    try:
        return fixlayout.realign(module, fix)
    except Exception:
        log.exception("laying out the fix %r of %s failed", fix.title, finding.rule_id)
        return fix


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    return f"{size / 1024:.0f} KiB"


def _sort_key(finding: Finding) -> tuple[str, int, int, str]:
    """:meth:`Finding.sort_key` in plain values (cheaper to compare)."""
    start = finding.range.start
    return (finding.path, start.line, start.character, finding.rule_id)


def _own_line(parsed: ParsedFile, comment: CommentAt) -> bool:
    line = parsed.line_text(comment.range.start.line)
    return line[: comment.range.start.character].strip() == ""


def _resolve_rule_id(name: str) -> str | None:
    if name in CONFIGURATION_RULE_IDS:
        return name
    rule = registry.get(name)
    return rule.id if rule is not None else None


def _with_severity(finding: Finding, severity: Severity) -> Finding:
    return replace(finding, severity=severity)
