"""Which reports one scan writes, and where: ``--format X`` (standard output, or ``--output``)
and any number of ``--format X=FILE``."""

from __future__ import annotations

import os
from dataclasses import dataclass

from tfguard.report import gitlab, json_report, junit, markdown, sarif, text
from tfguard.report.model import ScanReport

FORMATS = ("text", "json", "sarif", "junit", "gitlab", "markdown")


@dataclass(frozen=True, slots=True)
class Output:
    format: str
    path: str | None  # None: standard output

    def describe(self) -> str:
        return f"{self.format}={self.path}" if self.path else self.format


def parse(value: str) -> Output:
    """``json`` or ``sarif=results.sarif``; raises ValueError with a message for users."""
    name, sep, path = value.partition("=")
    name = name.strip().lower()
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")
    if sep and not path:
        raise ValueError(f"--format {value}: a file name must follow '='")
    return Output(name, path or None)


def plan(requested: list[Output] | None, output: str | None) -> list[Output]:
    """The reports to write. One plain format goes to ``output`` (or standard output); without
    one, the text report does, so that a CI log shows the findings while files get the rest."""
    requested = list(requested or [])
    plain = [o for o in requested if o.path is None]
    if len(plain) > 1:
        names = " and ".join(o.format for o in plain)
        raise ValueError(
            f"--format {names}: only one report can go to standard output; "
            "write the others to files with --format FORMAT=FILE"
        )
    to_files = [o for o in requested if o.path is not None]
    main = Output(plain[0].format if plain else "text", output)
    targets = [os.path.abspath(o.path) for o in to_files if o.path is not None]
    if output is not None:
        targets.append(os.path.abspath(output))
    if len(set(targets)) != len(targets):
        raise ValueError("two reports would be written to the same file")
    return [main, *to_files]


def render(fmt: str, report: ScanReport, color: bool = False) -> str:
    if fmt == "json":
        return json_report.render(report)
    if fmt == "sarif":
        return sarif.render(report)
    if fmt == "junit":
        return junit.render(report)
    if fmt == "gitlab":
        return gitlab.render(report)
    if fmt == "markdown":
        return markdown.render(report)
    if fmt == "text":
        return text.render(report, color)
    raise ValueError(f"unknown format {fmt!r}")
