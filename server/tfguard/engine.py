"""The engine: files → module → rules → findings, with suppressions and configuration applied.

The language server and the command line are thin adapters over :class:`Engine`. Editor
buffers are *overlays* that win over the files on disk; parsed files are reused while their
text is unchanged, and each top-level block is parsed once per distinct text.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from tfguard.config import Config, ConfigError, Settings, find_config, load_config
from tfguard.document import CommentAt, ParsedFile
from tfguard.findings import SYNTAX_RULE_ID, Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module, is_auto_tfvars, load_json_tfvars
from tfguard.rules import registry
from tfguard.rules.base import Context, Rule
from tfguard.suppress import Suppression, Suppressor, parse_suppressions

from tfguard.project import ProjectFiles
log = logging.getLogger(__name__)

HCL_SUFFIXES = (".tf", ".tofu", ".tfvars")
JSON_SUFFIXES = (".tfvars.json",)
SKIP_DIRS = frozenset({".terraform", ".git", ".terragrunt-cache"})
MAX_FILE_BYTES = 8 * 1024 * 1024


def is_terraform_file(path: str) -> bool:
    return path.endswith(HCL_SUFFIXES) or path.endswith(JSON_SUFFIXES)


class FileError(Exception):
    """A file that cannot be analysed (unreadable, binary, too large)."""


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

    def all_findings(self) -> list[Finding]:
        out = [f for fs in self.findings.values() for f in fs]
        out.sort(key=Finding.sort_key)
        return out


def decode(data: bytes, path: str) -> str:
    if b"\x00" in data[:8192]:
        raise FileError(f"{path}: binary file (contains NUL bytes), skipped")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise FileError(
            f"{path}: not UTF-8 text (byte {err.start}: {err.reason}), skipped"
        ) from None


class Engine:
    def __init__(self, settings: Settings | None = None, config_path: str | None = None) -> None:
        self.settings = settings or Settings()
        self.config_path = os.path.abspath(config_path) if config_path else None
        self.overlays: dict[str, str] = {}
        self._parsed: dict[str, ParsedFile] = {}
        self._disk: dict[str, tuple[float, int, str | FileError]] = {}
        self._configs: dict[str, tuple[float, Config | ConfigError]] = {}

    # -- documents ---------------------------------------------------------------------------

    def set_overlay(self, path: str, text: str) -> None:
        self.overlays[os.path.abspath(path)] = text

    def drop_overlay(self, path: str) -> None:
        self.overlays.pop(os.path.abspath(path), None)

    def invalidate(self, path: str) -> None:
        path = os.path.abspath(path)
        self._disk.pop(path, None)
        self._parsed.pop(path, None)
        if os.path.basename(path) == ".tfguard.hcl":
            self._configs.clear()

    def read(self, path: str) -> str:
        """The text of a file: the editor's buffer if open, else the file on disk."""
        path = os.path.abspath(path)
        if path in self.overlays:
            return self.overlays[path]
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

    def _read_disk(self, path: str, size: int) -> str | FileError:
        if size > MAX_FILE_BYTES:
            return FileError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, skipped")
        try:
            with open(path, "rb") as handle:
                return decode(handle.read(), path)
        except FileError as err:
            return err
        except OSError as err:
            return FileError(f"{path}: cannot read: {err.strerror or err}")

    def parsed(self, path: str) -> ParsedFile:
        path = os.path.abspath(path)
        text = self.read(path)
        previous = self._parsed.get(path)
        if previous is not None and previous.text == text:
            return previous
        parsed = ParsedFile(path, text, previous)
        self._parsed[path] = parsed
        return parsed

    # -- discovery ---------------------------------------------------------------------------

    def module_files(self, directory: str) -> list[str]:
        directory = os.path.abspath(directory)
        names: set[str] = set()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    if is_terraform_file(entry.name) and entry.is_file():
                        names.add(entry.name)
        except OSError:
            pass
        for path in self.overlays:
            if os.path.dirname(path) == directory and is_terraform_file(path):
                names.add(os.path.basename(path))
        # OpenTofu reads x.tofu instead of x.tf when both exist.
        shadowed = {n[: -len(".tofu")] + ".tf" for n in names if n.endswith(".tofu")}
        return [os.path.join(directory, n) for n in sorted(names - shadowed)]

    def discover(self, root: str) -> list[str]:
        """Module directories under ``root`` (itself included), skipping tool folders."""
        root = os.path.abspath(root)
        found: list[str] = []
        for current, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            if any(is_terraform_file(f) for f in files):
                found.append(current)
        return found

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

    def enabled_rules(self, config: Config) -> list[Rule]:
        out = []
        for rule in registry.all_rules():
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
        paths = self.module_files(directory)
        files: dict[str, ParsedFile] = {}
        json_tfvars: dict[str, dict[str, object]] = {}
        file_errors: dict[str, str] = {}
        for path in paths:
            try:
                if path.endswith(JSON_SUFFIXES):
                    if is_auto_tfvars(os.path.basename(path)):
                        json_tfvars[path] = load_json_tfvars(self.read(path))
                    continue
                files[path] = self.parsed(path)
            except FileError as err:
                file_errors[path] = str(err)
            except ValueError as err:
                file_errors[path] = f"{path}: invalid JSON: {err}"
        module = Module(directory, files, json_tfvars, ProjectFiles(directory, self.overlays))
        raw: list[Finding] = []
        rule_errors: list[str] = []
        for rule in self.enabled_rules(config):
            ctx = Context(module, rule)
            try:
                for _ in rule.check(ctx) or ():
                    pass
            except Exception as err:  # a broken rule must not silence the others
                log.exception("rule %s failed on %s", rule.id, directory)
                rule_errors.append(f"{rule.id}: {type(err).__name__}: {err}")
            raw.extend(ctx.findings)
        for path, parsed in files.items():
            for problem in parsed.problems:
                raw.append(
                    Finding(SYNTAX_RULE_ID, Severity.HIGH, problem.message, path, problem.range)
                )
        findings, suppressions = self._filter(files, raw, config)
        for path in paths:
            findings.setdefault(path, [])
        return ModuleResult(
            directory,
            paths,
            findings,
            suppressions,
            config_error,
            file_errors,
            rule_errors,
            (time.perf_counter() - started) * 1000,
            module,
        )

    def _filter(
        self, files: dict[str, ParsedFile], raw: Iterable[Finding], config: Config
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
        ordered = sorted(raw, key=Finding.sort_key)
        for path, suppressor in suppressors.items():
            ordered.extend(suppressor.problems(path))
        seen: set[tuple[str, str, object, str]] = set()
        for finding in ordered:
            key = (finding.path, finding.rule_id, finding.range, finding.message)
            if key in seen:
                continue
            seen.add(key)
            if config.is_excluded(finding.path):
                continue
            owner = suppressors.get(finding.path)
            if owner is not None and owner.is_suppressed(finding):
                continue
            severity = self.severity_of(finding, config)
            if severity < minimum and not finding.is_syntax:
                continue
            if severity != finding.severity:
                finding = _with_severity(finding, severity)
            out.setdefault(finding.path, []).append(finding)
        return out, suppressions


def fixes_for(result: ModuleResult, finding: Finding) -> list[Fix]:
    """The fixes a finding's rule offers (none for syntax errors or a failing fix)."""
    rule = registry.get(finding.rule_id)
    if rule is None or result.module is None:
        return []
    try:
        return rule.fixes(finding, result.module)
    except Exception:  # a broken fix must not take the server down
        log.exception("fix of %s failed", finding.rule_id)
        return []


def _own_line(parsed: ParsedFile, comment: CommentAt) -> bool:
    line = parsed.line_text(comment.range.start.line)
    return line[: comment.range.start.character].strip() == ""


def _resolve_rule_id(name: str) -> str | None:
    if name == SYNTAX_RULE_ID:
        return name
    rule = registry.get(name)
    return rule.id if rule is not None else None


def _with_severity(finding: Finding, severity: Severity) -> Finding:
    return replace(finding, severity=severity)
