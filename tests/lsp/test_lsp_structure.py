"""The shape of ``tfguard.lsp``: no import cycles, a session free of protocol code, and one
module that sends messages to the client."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import tfguard.lsp

PACKAGE = "tfguard.lsp"
SOURCES = Path(tfguard.lsp.__file__).parent
MODULES = sorted(f"{PACKAGE}.{m.name}" for m in pkgutil.iter_modules([str(SOURCES)]))
# Methods that put a message on the wire (pygls's server, protocol and progress objects;
# ``notify`` and ``begin`` are left out, other objects have them too).
SENDING = frozenset(
    {
        "_send_data",
        "_send_response",
        "notify_json",
        "send_request",
        "send_request_async",
        "window_show_message",
        "window_log_message",
        "window_show_document",
        "window_show_document_async",
        "workspace_configuration",
        "workspace_configuration_async",
        "workspace_diagnostic_refresh",
        "workspace_apply_edit",
        "workspace_apply_edit_async",
        "client_register_capability",
        "client_register_capability_async",
        "text_document_publish_diagnostics",
        "create_async",  # window/workDoneProgress/create
    }
)


def _tree(module: str) -> ast.Module:
    path = SOURCES / f"{module.rsplit('.', 1)[1]}.py"
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports_in(tree: ast.Module) -> set[str]:
    """Every module ``tree`` imports, wherever (TYPE_CHECKING blocks and functions too)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            found.add(node.module)
            # `from tfguard.lsp import actions` imports the module tfguard.lsp.actions
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def imports_of(module: str) -> set[str]:
    return imports_in(_tree(module))


def graph() -> dict[str, set[str]]:
    return {m: {i for i in imports_of(m) if i in MODULES and i != m} for m in MODULES}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``edges`` (``[a, b, a]``), ``None`` when there is none."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for target in sorted(edges.get(node, ())):
            if (cycle := visit(target, [*path, node])) is not None:
                return cycle
        done.add(node)
        return None

    for node in sorted(edges):
        if (cycle := visit(node, [])) is not None:
            return cycle
    return None


def test_every_module_imports() -> None:
    assert f"{PACKAGE}.session" in MODULES and f"{PACKAGE}.server" in MODULES
    for module in MODULES:
        importlib.import_module(module)


def test_no_import_cycle_inside_the_package() -> None:
    assert find_cycle(graph()) is None


def test_the_checks_see_hidden_imports_and_cycles() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from tfguard.lsp import session\n"
        "if TYPE_CHECKING:\n"
        "    from tfguard.lsp.server import TfguardServer\n"
        "def later():\n"
        "    import pygls.uris\n"
    )
    found = imports_in(ast.parse(source))
    assert {f"{PACKAGE}.session", f"{PACKAGE}.server", "pygls.uris"} <= found
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_session_speaks_no_protocol() -> None:
    imported = imports_of(f"{PACKAGE}.session")
    protocol = sorted(m for m in imported if m.split(".")[0] in ("pygls", "lsprotocol"))
    assert protocol == [], f"session imports {protocol}"
    assert f"{PACKAGE}.server" not in imported and f"{PACKAGE}.handlers" not in imported


def test_only_the_outbound_client_sends() -> None:
    allowed = {f"{PACKAGE}.outbound", f"{PACKAGE}.protocol"}
    offenders: list[str] = []
    for module in MODULES:
        if module in allowed:
            continue
        for node in ast.walk(_tree(module)):
            if isinstance(node, ast.Attribute) and node.attr in SENDING:
                offenders.append(f"{module}:{node.lineno} .{node.attr}")
    assert offenders == []
