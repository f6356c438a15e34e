"""The ``tfguard`` command: scan, rules, explain, lsp."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence

from tfguard import __version__
from tfguard.engine import Engine, FileError, is_terraform_file
from tfguard.findings import Finding, Severity
from tfguard.fixer import fix_module
from tfguard.fixes import unified_diff
from tfguard.report import json_report, sarif, text
from tfguard.report.model import ScanReport
from tfguard.rules import registry
from tfguard.rules.explain import explain_text

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _severity(value: str) -> Severity:
    try:
        return Severity.parse(value)
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
    scan.add_argument("--format", choices=("text", "json", "sarif"), default="text")
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

    fix = sub.add_parser("fix", help="apply the preferred fix of every finding in place")
    fix.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    fix.add_argument("--diff", action="store_true", help="print a unified diff, change nothing")
    fix.add_argument(
        "--rule",
        action="append",
        default=None,
        metavar="RULE",
        help="only fix this rule (id or alias); repeatable",
    )
    fix.add_argument("--config", default=None, help="path to a .tfguard.hcl")

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    explain = sub.add_parser("explain", help="show a rule's documentation and examples")
    explain.add_argument("rule", help="a rule id or an alias (CKV_AWS_20, AVD-AWS-0092, ...)")

    lsp = sub.add_parser("lsp", help="run the language server (stdio by default)")
    lsp.add_argument("lsp_args", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
                errors.append(f"{raw}: not a Terraform or OpenTofu file (.tf, .tofu, .tfvars)")
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
    engine = Engine(config_path=args.config)
    if args.min_severity is not None:
        engine.settings = type(engine.settings)(minimum_severity=args.min_severity)
    modules, errors = _module_dirs(engine, args.paths)
    if errors:
        for err in errors:
            print(f"tfguard: error: {err}", file=sys.stderr)
        return EXIT_ERROR
    root = os.getcwd()
    report = ScanReport(root=root)
    for directory, only in sorted(modules.items()):
        result = engine.analyze_module(directory)
        if result.config_error is not None:
            print(f"tfguard: error: {result.config_error}", file=sys.stderr)
            return EXIT_ERROR
        for path, findings in result.findings.items():
            if only is not None and path not in only:
                continue
            report.findings.extend(findings)
            with contextlib.suppress(FileError):
                report.texts[path] = engine.read(path)
        report.files_scanned += sum(
            1 for p in result.files if (only is None or p in only) and p not in result.file_errors
        )
        report.file_errors.extend(result.file_errors.values())
        report.rule_errors.extend(result.rule_errors)
    report.findings.sort(key=Finding.sort_key)
    report.file_errors = [e.replace(root + os.sep, "") for e in report.file_errors]
    if args.format == "json":
        output = json_report.render(report)
    elif args.format == "sarif":
        output = sarif.render(report)
    else:
        color = not args.no_color and args.output is None and sys.stdout.isatty()
        color = color and "NO_COLOR" not in os.environ
        output = text.render(report, color)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as handle:
                handle.write(output)
        except OSError as err:
            print(f"tfguard: error: cannot write {args.output}: {err}", file=sys.stderr)
            return EXIT_ERROR
    else:
        sys.stdout.write(output)
    return EXIT_FINDINGS if report.findings else EXIT_OK


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
    modules, errors = _module_dirs(engine, args.paths)
    for err in errors:
        print(f"tfguard: error: {err}", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    root = os.getcwd()
    changed = 0
    fixed = 0
    remaining = 0
    for directory, only in sorted(modules.items()):
        outcome = fix_module(engine, directory, only_files=only, rules=rules)
        fixed += len(outcome.fixed)
        for message in outcome.rejected:
            print(f"tfguard: warning: {message}", file=sys.stderr)
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
                with open(path, "w", encoding="utf-8", newline="") as handle:
                    handle.write(after)
            except OSError as err:
                print(f"tfguard: error: cannot write {rel}: {err}", file=sys.stderr)
                return EXIT_ERROR
        outcome.apply_to(engine)  # what the files hold now (or would, with --diff)
        result = engine.analyze_module(directory)
        remaining += sum(1 for f in result.all_findings() if only is None or f.path in only)
    verb = "Would fix" if args.diff else "Fixed"
    print(
        f"{verb} {fixed} finding{'s' if fixed != 1 else ''} in {changed} "
        f"file{'s' if changed != 1 else ''}; {remaining} remaining.",
        file=sys.stderr,
    )
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
