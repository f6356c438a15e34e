"""The ``tfguard`` command: scan, rules, explain, lsp."""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import os
import sys
from collections.abc import Callable, Sequence

from tfguard import __version__, baseline, batch, progress, unsupported
from tfguard.config import ConfigError
from tfguard.confine import Roots, report_roots, write_text
from tfguard.engine import Engine, FileError, ModuleResult, is_terraform_file
from tfguard.findings import Finding, Severity
from tfguard.fixer import fix_module
from tfguard.fixes import unified_diff
from tfguard.gitchanges import GitError, changed_files
from tfguard.plan import looks_like_plan
from tfguard.report import outputs
from tfguard.report.model import ScanReport
from tfguard.rules import registry
from tfguard.rules.explain import explain_text

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _severity(value: str) -> Severity:
    try:
        return Severity.parse(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return jobs


def _output(value: str) -> outputs.Output:
    try:
        return outputs.parse(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tfguard",
        description="Security scanner and language server for Terraform and OpenTofu.",
    )
    parser.add_argument("--version", action="version", version=f"tfguard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    scan = sub.add_parser("scan", help="scan files or directories (recursively)")
    scan.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    scan.add_argument(
        "--format",
        action="append",
        type=_output,
        default=None,
        metavar="FORMAT[=FILE]",
        help=f"{', '.join(outputs.FORMATS)} (default: text); FORMAT=FILE writes that report "
        "to FILE, repeatable, and one plain FORMAT goes to standard output or --output",
    )
    scan.add_argument(
        "--min-severity",
        type=_severity,
        default=None,
        metavar="SEVERITY",
        help="report findings at or above: info, low, medium, high, critical",
    )
    scan.add_argument("--config", default=None, help="path to a .tfguard.hcl")
    scan.add_argument("--no-color", action="store_true", help="plain text output")
    scan.add_argument("--output", "-o", default=None, help="write the report to a file")
    scan.add_argument(
        "--baseline",
        default=None,
        metavar="FILE",
        help="hide the findings recorded in FILE (default: .tfguard.hcl's baseline setting)",
    )
    scan.add_argument(
        "--write-baseline",
        default=None,
        metavar="FILE",
        help="record every current finding in FILE instead of reporting them (exit 0, or 2 "
        "when a file could not be read)",
    )
    scan.add_argument(
        "--changed-since",
        default=None,
        metavar="REF",
        help="report only the modules with files changed since the git REF (each analysed "
        "whole), committed or not",
    )
    scan.add_argument(
        "--whole-modules",
        action="store_true",
        help="a FILE argument stands for its whole module: report all of the module's files",
    )
    scan.add_argument(
        "--allow-empty",
        action="store_true",
        help="exit 0 when the paths hold no file tfguard analyses (default: exit 2)",
    )
    scan.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=None,
        metavar="N",
        help="analyse modules in N processes (default: one per core)",
    )
    scan.add_argument(
        "--cache-dir",
        default=None,
        metavar="DIR",
        help="keep module results in DIR, reused while nothing they read changed "
        "(default: $XDG_CACHE_HOME/tfguard, else ~/.cache/tfguard)",
    )
    scan.add_argument(
        "--no-cache", action="store_true", help="analyse every module, keep nothing on disk"
    )
    shown = scan.add_mutually_exclusive_group()
    shown.add_argument(
        "--progress",
        dest="progress",
        action="store_const",
        const=True,
        default=None,
        help="show progress on standard error (default: on a terminal, for long scans)",
    )
    shown.add_argument("--no-progress", dest="progress", action="store_const", const=False)

    fix = sub.add_parser("fix", help="apply the safe fix of every finding in place")
    fix.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    fix.add_argument("--diff", action="store_true", help="print a unified diff, change nothing")
    fix.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also apply unsafe fixes (they change what the infrastructure does) to findings "
        "without a safe one",
    )
    fix.add_argument(
        "--rule",
        action="append",
        default=None,
        metavar="RULE",
        help="only fix this rule (id or alias); repeatable",
    )
    fix.add_argument("--config", default=None, help="path to a .tfguard.hcl")
    fix.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="write through symbolic links to files inside the PATHs (never to files outside)",
    )

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    explain = sub.add_parser("explain", help="show a rule's documentation and examples")
    explain.add_argument("rule", help="a rule id or an alias (CKV_AWS_20, AVD-AWS-0092, ...)")

    lsp = sub.add_parser("lsp", help="run the language server (stdio by default)")
    lsp.add_argument("lsp_args", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    status = EXIT_OK
    try:
        status = _dispatch(argv)
        sys.stdout.flush()  # here, not at exit, where a closed pipe could not be handled
    except BrokenPipeError:  # `tfguard rules | head -3`: the reader has all it wanted
        return _closed_stdout(status)
    return status


def _closed_stdout(status: int) -> int:
    """End quietly when standard output was closed under us (like ruff: no traceback, and
    the status the command had; a scan keeps its findings status, so `| head` never turns
    findings green). Later writes, and Python's final flush, go to /dev/null."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass
    return status


def _dispatch(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["lsp"]:
        from tfguard.lsp.server import main as lsp_main

        return lsp_main(args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command == "scan":
        return run_scan(args)
    if args.command == "fix":
        return run_fix(args)
    if args.command == "rules":
        return run_rules(args.format)
    if args.command == "explain":
        return run_explain(args.rule)
    parser.print_help()
    return EXIT_ERROR


def _module_dirs(engine: Engine, paths: list[str]) -> tuple[dict[str, set[str] | None], list[str]]:
    """module directory → the files to report (None: all), and path errors."""
    wanted: dict[str, set[str] | None] = {}
    errors: list[str] = []
    for raw in paths:
        path = os.path.abspath(raw)
        if os.path.isdir(path):
            for directory in engine.discover(path):
                wanted[directory] = None
        elif os.path.isfile(path):
            if not is_terraform_file(path):
                reason = unsupported.explain(path)
                errors.append(
                    f"{raw}: {reason or 'not a Terraform or OpenTofu file (.tf, .tofu, .tfvars)'}"
                )
                continue
            directory = os.path.dirname(path)
            files = wanted.setdefault(directory, set())
            if files is not None:
                files.add(path)
        else:
            errors.append(f"{raw}: no such file or directory")
    return wanted, errors


def run_scan(args: argparse.Namespace) -> int:
    if args.config and not os.path.isfile(args.config):
        print(f"tfguard: error: {args.config}: configuration file not found", file=sys.stderr)
        return EXIT_ERROR
    try:
        reports = outputs.plan(args.format, args.output)
    except ValueError as problem:
        print(f"tfguard: error: {problem}", file=sys.stderr)
        return EXIT_ERROR
    if args.baseline and args.write_baseline:
        print("tfguard: error: --baseline and --write-baseline exclude each other", file=sys.stderr)
        return EXIT_ERROR
    if args.baseline and not os.path.isfile(args.baseline):
        print(f"tfguard: error: {args.baseline}: baseline file not found", file=sys.stderr)
        return EXIT_ERROR
    engine = Engine(
        config_path=args.config,
        baseline_path=args.baseline,
        use_baseline=args.write_baseline is None,
    )
    if args.min_severity is not None:
        engine.settings = type(engine.settings)(minimum_severity=args.min_severity)
    engine.roots = Roots(args.paths, os.getcwd())
    # Plans in JSON named on the command line are scanned as plans (tfguard.plan).
    plans = [p for p in args.paths if os.path.isfile(p) and looks_like_plan(os.path.abspath(p))]
    others = [p for p in args.paths if p not in plans]
    modules, errors = _module_dirs(engine, others) if others else ({}, [])
    if errors:
        for err in errors:
            print(f"tfguard: error: {err}", file=sys.stderr)
        return EXIT_ERROR
    if not modules and not plans and not _nothing_to_scan(args.paths, args.allow_empty):
        return EXIT_ERROR
    if args.whole_modules:
        modules = dict.fromkeys(modules)
    if args.changed_since is not None:
        try:
            changed = changed_files(args.changed_since, os.getcwd())
        except GitError as problem:
            print(f"tfguard: error: {problem}", file=sys.stderr)
            return EXIT_ERROR
        touched = {os.path.dirname(p) for p in changed if is_terraform_file(p)}
        # A module whose called modules changed is reported too: what it passes them is.
        modules = {
            d: only
            for d, only in modules.items()
            if d in touched or touched & engine.called_directories(d)
        }
    root = os.getcwd()
    report = ScanReport(root=root)
    used: dict[str, dict[str, int]] = {}  # baseline file -> fingerprint -> findings matched
    shown = progress.Progress(
        sys.stderr,
        len(modules) + len(plans),
        progress.choose_mode(sys.stderr, args.progress, os.environ),
        delay=0.0 if args.progress else progress.DELAY,
    )
    options = batch.Options(
        jobs=args.jobs if args.jobs is not None else batch.default_jobs(),
        cache_dir=None if args.no_cache else (args.cache_dir or batch.default_cache_dir()),
    )
    ordered = sorted(modules.items())
    results = batch.analyze(engine, [d for d, _ in ordered], options)
    for (_, only), result in zip(ordered, results, strict=True):
        shown.advance(len(result.files))
        if result.config_error is not None:
            shown.close()
            print(f"tfguard: error: {result.config_error}", file=sys.stderr)
            return EXIT_ERROR
        for path, findings in result.findings.items():
            if only is not None and path not in only:
                continue
            report.findings.extend(findings)
            with contextlib.suppress(FileError):
                report.texts[path] = engine.quotable(path)
        _add_baselined(engine, report, result, only, used)
        report.files_scanned += sum(
            1 for p in result.files if (only is None or p in only) and p not in result.file_errors
        )
        report.files.extend(
            p for p in result.files if (only is None or p in only) and p not in result.file_errors
        )
        report.file_errors.extend(result.file_errors.values())
        report.rule_errors.extend(result.rule_errors)
    for name in sorted(dict.fromkeys(plans)):
        result = engine.analyze_plan(name)
        shown.advance(1)
        if result.config_error is not None:
            shown.close()
            print(f"tfguard: error: {result.config_error}", file=sys.stderr)
            return EXIT_ERROR
        for path, findings in result.findings.items():
            report.findings.extend(findings)
            with contextlib.suppress(FileError):
                report.texts[path] = engine.quotable(path)
        _add_baselined(engine, report, result, None, used)
        report.files_scanned += sum(1 for p in result.files if p not in result.file_errors)
        report.files.extend(p for p in result.files if p not in result.file_errors)
        report.file_errors.extend(result.file_errors.values())
        report.rule_errors.extend(result.rule_errors)
    shown.close()
    report.file_errors.extend(report_roots(engine.roots, sys.stderr))
    report.findings.sort(key=Finding.sort_key)
    report.baselined.sort(key=Finding.sort_key)
    report.file_errors = [e.replace(root + os.sep, "") for e in report.file_errors]
    in_scope = functools.partial(_in_scope, modules, args.paths, args.changed_since is None)
    if args.write_baseline is not None:
        return _write_baseline(engine, args.write_baseline, report, in_scope)
    for path, counts in sorted(used.items()):
        with contextlib.suppress(ConfigError):  # read a moment ago by the engine
            report.stale_baseline += baseline.load(path).stale(counts, in_scope)
    if args.changed_since is not None and not modules:
        print(
            f"tfguard: no Terraform or OpenTofu file changed since {args.changed_since}",
            file=sys.stderr,
        )
    status = EXIT_FINDINGS if report.findings else EXIT_OK
    if report.file_errors:  # a file or directory was not analysed
        status = EXIT_ERROR
    return _write_reports(reports, report, args.no_color, status)


def _nothing_to_scan(paths: list[str], allow_empty: bool) -> bool:
    """Explain on stderr that ``paths`` hold nothing tfguard analyses; True if that is OK."""
    where = ", ".join(paths)
    level = "warning" if allow_empty else "error"
    print(
        f"tfguard: {level}: no Terraform or OpenTofu files (.tf, .tofu, .tfvars) in {where}: "
        "nothing was scanned",
        file=sys.stderr,
    )
    for line in unsupported.describe(unsupported.survey(paths), os.getcwd()):
        print(f"  {line}", file=sys.stderr)
    if not allow_empty:
        print("  (--allow-empty exits 0 when there is nothing to scan)", file=sys.stderr)
    return allow_empty


def _add_baselined(
    engine: Engine,
    report: ScanReport,
    result: ModuleResult,
    only: set[str] | None,
    used: dict[str, dict[str, int]],
) -> None:
    if result.baseline is None:
        return
    report.baseline = report.baseline or result.baseline
    used.setdefault(result.baseline, {}).update(result.baseline_used)
    for path, findings in result.baselined.items():
        if only is not None and path not in only:
            continue
        report.baselined.extend(findings)
        if path not in report.texts:
            with contextlib.suppress(FileError):
                report.texts[path] = engine.quotable(path)


def _in_scope(
    modules: dict[str, set[str] | None], paths: list[str], deleted_count: bool, path: str
) -> bool:
    """Whether this scan covered ``path`` (for baseline entries): a file of an analysed module
    (of the named files only, when files were named), or, unless only changed modules were
    scanned, a file under a scanned folder that no longer exists."""
    directory = os.path.dirname(path)
    if directory in modules:
        only = modules[directory]
        return only is None or path in only
    if not deleted_count or os.path.exists(path):
        return False
    for raw in paths:
        folder = os.path.abspath(raw)
        if os.path.isdir(folder) and (path + os.sep).startswith(folder.rstrip(os.sep) + os.sep):
            return True
    return False


def _write_baseline(
    engine: Engine, target: str, report: ScanReport, in_scope: Callable[[str], bool]
) -> int:
    old: baseline.Baseline | None = None
    if os.path.exists(target):
        try:
            old = baseline.load(target)
        except ConfigError as err:
            print(
                f"tfguard: error: {err} (not overwritten: --write-baseline replaces only a "
                "baseline file)",
                file=sys.stderr,
            )
            return EXIT_ERROR
    readers = {path: engine.line_reader(path) for path in {f.path for f in report.findings}}
    new = baseline.build(target, ((f, readers[f.path]) for f in report.findings))
    if old is not None:
        new.keep_outside(old, in_scope)
    try:
        baseline.write(new)
    except OSError as err:
        print(f"tfguard: error: cannot write {target}: {err}", file=sys.stderr)
        return EXIT_ERROR
    kept = new.total() - len(report.findings)
    note = f" (and kept {kept} for files outside this scan)" if kept else ""
    count = len(report.findings)
    print(
        f"tfguard: wrote {count} finding{'s' if count != 1 else ''} (in "
        f"{report.files_with_findings} of {report.files_scanned} files) to {target}{note}",
        file=sys.stderr,
    )
    for message in report.file_errors:  # not analysed, so not in the baseline either
        print(f"tfguard: warning: {message}", file=sys.stderr)
    return EXIT_ERROR if report.file_errors else EXIT_OK


def _write_reports(
    reports: list[outputs.Output], report: ScanReport, no_color: bool, status: int
) -> int:
    for wanted in reports[1:]:  # the files; the first report goes to stdout or --output
        if wanted.path is None:
            continue
        try:
            with open(wanted.path, "w", encoding="utf-8") as handle:
                handle.write(outputs.render(wanted.format, report))
        except OSError as err:
            print(f"tfguard: error: cannot write {wanted.path}: {err}", file=sys.stderr)
            return EXIT_ERROR
    first = reports[0]
    rendered = outputs.render(
        first.format,
        report,
        first.format == "text"
        and not no_color
        and first.path is None
        and sys.stdout.isatty()
        and "NO_COLOR" not in os.environ,
    )
    if first.path is not None:
        try:
            with open(first.path, "w", encoding="utf-8") as handle:
                handle.write(rendered)
        except OSError as err:
            print(f"tfguard: error: cannot write {first.path}: {err}", file=sys.stderr)
            return EXIT_ERROR
        return status
    try:
        sys.stdout.write(rendered)
        sys.stdout.flush()
    except BrokenPipeError:
        return _closed_stdout(status)
    return status


def run_fix(args: argparse.Namespace) -> int:
    if args.config and not os.path.isfile(args.config):
        print(f"tfguard: error: {args.config}: configuration file not found", file=sys.stderr)
        return EXIT_ERROR
    rules: set[str] | None = None
    if args.rule:
        rules = set()
        for name in args.rule:
            rule = registry.get(name)
            if rule is None:
                print(f"tfguard: error: unknown rule {name!r}", file=sys.stderr)
                return EXIT_ERROR
            rules.add(rule.id)
    engine = Engine(config_path=args.config)
    roots = engine.roots = Roots(args.paths, os.getcwd(), report_once=False)
    modules, errors = _module_dirs(engine, args.paths)
    for err in errors:
        print(f"tfguard: error: {err}", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    root = os.getcwd()
    changed = 0
    fixed = 0
    remaining = 0
    unsafe_only = 0
    for directory, only in sorted(modules.items()):
        refuse = functools.partial(engine.rewrite_refusal, follow_symlinks=args.follow_symlinks)
        outcome = fix_module(
            engine,
            directory,
            only_files=only,
            rules=rules,
            refuse=refuse,
            unsafe=args.unsafe_fixes,
        )
        fixed += len(outcome.fixed)
        unsafe_only += len(outcome.unsafe_only)
        for message in outcome.rejected:
            print(f"tfguard: warning: {message}", file=sys.stderr)
        for path, reason in sorted(outcome.skipped.items()):
            if path not in roots.notes:  # not read at all: said below
                for prefix in {root, os.path.realpath(root)}:
                    reason = reason.replace(prefix + os.sep, "")
                print(f"tfguard: warning: {roots.show(path)}: skipped: {reason}", file=sys.stderr)
        for path in sorted(outcome.after):
            before, after = outcome.before[path], outcome.after[path]
            if before == after:
                continue
            changed += 1
            rel = os.path.relpath(path, root)
            if args.diff:
                sys.stdout.write(unified_diff(rel, before, after))
                continue
            try:
                write_text(path, after, follow_symlinks=args.follow_symlinks)
            except OSError as err:
                print(f"tfguard: error: cannot write {rel}: {err}", file=sys.stderr)
                return EXIT_ERROR
        outcome.apply_to(engine)  # what the files hold now (or would, with --diff)
        result = engine.analyze_module(directory)
        remaining += sum(1 for f in result.all_findings() if only is None or f.path in only)
    unreadable = report_roots(roots, sys.stderr, "warning")
    verb = "Would fix" if args.diff else "Fixed"
    print(
        f"{verb} {fixed} finding{'s' if fixed != 1 else ''} in {changed} "
        f"file{'s' if changed != 1 else ''}; {remaining} remaining.",
        file=sys.stderr,
    )
    if unsafe_only:
        print(
            f"{unsafe_only} of them {'has' if unsafe_only == 1 else 'have'} only unsafe fixes, "
            "which change what the infrastructure does: review them with --diff "
            "--unsafe-fixes, apply them with --unsafe-fixes.",
            file=sys.stderr,
        )
    if unreadable:
        return EXIT_ERROR
    if args.diff:
        return EXIT_FINDINGS if changed else EXIT_OK
    return EXIT_FINDINGS if remaining else EXIT_OK


def run_rules(fmt: str) -> int:
    rules = registry.all_rules()
    if fmt == "json":
        payload = [
            {
                "id": r.id,
                "title": r.title,
                "severity": r.severity.label,
                "aliases": list(r.aliases),
                "url": r.doc_url,
            }
            for r in rules
        ]
        print(json.dumps(payload, indent=2))
        return EXIT_OK
    width = max(len(r.id) for r in rules)
    for r in rules:
        aliases = f"  [{', '.join(r.aliases)}]" if r.aliases else ""
        print(f"{r.id:<{width}}  {r.severity.label:<8}  {r.title}{aliases}")
    return EXIT_OK


def run_explain(name: str) -> int:
    rule = registry.get(name)
    if rule is None:
        print(f"tfguard: error: unknown rule {name!r} (see 'tfguard rules')", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(explain_text(rule))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
