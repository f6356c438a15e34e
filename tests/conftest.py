from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tfguard.engine import Engine, ModuleResult

ScanFiles = Callable[..., ModuleResult]


@pytest.fixture(autouse=True, scope="session")
def _private_cache_folder() -> Iterator[None]:
    """The scans the tests start keep their results in a folder of the test run, not in the
    user's cache (``tfguard scan`` caches by default)."""
    folder = tempfile.mkdtemp(prefix="tfguard-test-cache-")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = folder
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = before
        shutil.rmtree(folder, ignore_errors=True)


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


@pytest.fixture
def scan_files(tmp_path: Path) -> ScanFiles:
    """Write files into a fresh module directory and analyse it with a fresh engine."""

    def run(files: dict[str, str | bytes], directory: str = ".") -> ModuleResult:
        write_files(tmp_path, files)
        return Engine().analyze_module(str(tmp_path / directory))

    return run


def rule_ids(result: ModuleResult) -> list[str]:
    return [f.rule_id for f in result.all_findings()]
