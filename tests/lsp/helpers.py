"""Driving ``tfguard lsp`` over stdio with pytest-lsp's client, like an editor would."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import shutil
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from lsprotocol.converters import get_converter
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
CLIENTS = HERE / "clients"
SERVER_COMMAND = [sys.executable, "-m", "tfguard", "lsp", "--log-level", "debug"]
TIMEOUT = 15.0


# -- client capability sets -------------------------------------------------------------------


def recorded_capabilities(name: str) -> types.ClientCapabilities:
    """A capability set recorded from a real client, stored next to these tests."""
    data = json.loads((CLIENTS / f"{name}.json").read_text(encoding="utf-8"))
    return get_converter().structure(data, types.InitializeParams).capabilities


def vscode_pull_capabilities() -> types.ClientCapabilities:
    """VS Code 1.65.2 as recorded by pytest-lsp, plus the pull-diagnostics capabilities that
    vscode-languageclient 8+ adds (``textDocument.diagnostic``, ``workspace.diagnostics``)."""
    caps = copy.deepcopy(client_capabilities("visual-studio-code@v1.65.2"))
    assert caps.text_document is not None and caps.workspace is not None
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities(
        dynamic_registration=True, related_document_support=False
    )
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    return caps


CLIENT_SETS: dict[str, Callable[[], types.ClientCapabilities]] = {
    "neovim-0.7.2": lambda: recorded_capabilities("neovim_v0.7.2"),
    "neovim-0.10": lambda: client_capabilities("neovim@v0.10.0"),
    "neovim-0.11": lambda: client_capabilities("neovim@v0.11.0"),
    "emacs-eglot-29.1": lambda: client_capabilities("emacs@v29.1"),
    "vscode-1.65": lambda: client_capabilities("visual-studio-code@v1.65.2"),
    "vscode-pull": vscode_pull_capabilities,
}
PUSH_CLIENTS = ("neovim-0.7.2", "emacs-eglot-29.1", "vscode-1.65")
PULL_CLIENTS = ("neovim-0.10", "neovim-0.11", "vscode-pull")


def with_encodings(
    caps: types.ClientCapabilities, encodings: Sequence[str]
) -> types.ClientCapabilities:
    caps = copy.deepcopy(caps)
    caps.general = caps.general or types.GeneralClientCapabilities()
    caps.general.position_encodings = [types.PositionEncodingKind(e) for e in encodings]
    return caps


# -- the client ---------------------------------------------------------------------------------


class Client(LanguageClient):
    """pytest-lsp's client, also keeping every publish and registration in order."""

    published: list[types.PublishDiagnosticsParams]
    registrations: list[types.Registration]
    texts: dict[str, str]
    versions: dict[str, int]


def _record_publish(client: Client, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)


def _register_capability(client: Client, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def _unregister_capability(client: Client, params: types.UnregistrationParams) -> None:
    ids = {u.id for u in params.unregisterations}
    client.registrations[:] = [r for r in client.registrations if r.id not in ids]


def _command_or_code_action(converter: Any) -> Callable[[Any, type], Any]:
    # lsprotocol reads any object with a "command" key as a Command, although a CodeAction
    # may carry a Command object under that key; decide on the key's type, as the spec says.
    def hook(obj: Any, _: type) -> types.Command | types.CodeAction:
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, types.Command)  # type: ignore[no-any-return]
        return converter.structure(obj, types.CodeAction)  # type: ignore[no-any-return]

    return hook


def make_client() -> Client:
    client = Client(converter_factory=default_converter)
    converter = client.protocol._converter
    converter.register_structure_hook(
        types.Command | types.CodeAction,
        _command_or_code_action(converter),  # type: ignore[arg-type]
    )
    client.published = []
    client.registrations = []
    client.texts = {}
    client.versions = {}
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record_publish
    features[types.CLIENT_REGISTER_CAPABILITY] = _register_capability
    features[types.CLIENT_UNREGISTER_CAPABILITY] = _unregister_capability
    for method, handler in features.items():
        client.feature(method)(handler)
    return client


@contextlib.asynccontextmanager
async def running_server(
    root: Path,
    client_name: str = "neovim-0.7.2",
    *,
    capabilities: types.ClientCapabilities | None = None,
    init_options: Any = None,
    configuration: dict[str, Any] | None = None,
    trace: types.TraceValue | None = None,
    log_level: str = "debug",
) -> AsyncIterator[tuple[Client, types.InitializeResult]]:
    command = [*SERVER_COMMAND[:-1], log_level]
    config = ClientServerConfig(server_command=command, client_factory=make_client)
    client = await config.start()
    assert isinstance(client, Client)
    if configuration is not None:
        client.set_configuration(configuration)
    caps = capabilities if capabilities is not None else CLIENT_SETS[client_name]()
    uri = root.as_uri()
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=uri,
            workspace_folders=[types.WorkspaceFolder(uri=uri, name=root.name)],
            initialization_options=init_options,
            trace=trace,
        )
    )
    try:
        yield client, result
    finally:
        await client.shutdown_session()
        await client.stop()


def copy_workspace(tmp_path: Path, name: str = "workspace") -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


# -- documents ----------------------------------------------------------------------------------


def open_doc(
    client: Client, path: Path, language_id: str = "terraform", text: str | None = None
) -> str:
    uri = path.as_uri()
    body = path.read_text(encoding="utf-8") if text is None else text
    client.texts[uri] = body
    client.versions[uri] = 1
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language_id, version=1, text=body
            )
        )
    )
    return uri


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def position_of(
    text: str, needle: str, encoding: str = "utf-16", offset: int = 0
) -> types.Position:
    """The client position of ``needle`` (plus ``offset`` code points) in ``text``."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    line_start = text.rfind("\n", 0, index) + 1
    return types.Position(line=line, character=units(text[line_start:index], encoding))


def _offset(text: str, position: types.Position, encoding: str) -> int:
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    count = 0
    for index, char in enumerate(line):
        if count >= position.character:
            return start + index
        count += units(char, encoding)
    return start + len(line)


def apply_edits(text: str, edits: Sequence[types.TextEdit], encoding: str = "utf-16") -> str:
    spans = sorted(
        (
            (
                _offset(text, e.range.start, encoding),
                _offset(text, e.range.end, encoding),
                e.new_text,
            )
            for e in edits
        ),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def change_doc(
    client: Client,
    uri: str,
    new_text: str | None = None,
    *,
    edits: Sequence[types.TextEdit] = (),
    encoding: str = "utf-16",
) -> int:
    """Send one didChange (incremental edits, or one full-range replacement)."""
    old = client.texts[uri]
    if new_text is not None:
        lines = old.split("\n")
        end = types.Position(line=len(lines) - 1, character=units(lines[-1], encoding))
        edits = [
            types.TextEdit(
                range=types.Range(start=types.Position(line=0, character=0), end=end),
                new_text=new_text,
            )
        ]
    text = old
    changes: list[types.TextDocumentContentChangeEvent] = []
    for edit in edits:  # applied one after the other, as editors send them
        changes.append(types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text))
        text = apply_edits(text, [edit], encoding)
    version = client.versions[uri] + 1
    client.versions[uri] = version
    client.texts[uri] = text
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=changes,
        )
    )
    return version


def close_doc(client: Client, uri: str) -> None:
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


# -- waiting ------------------------------------------------------------------------------------


async def wait_for(
    predicate: Callable[[], Any], timeout: float = TIMEOUT, what: str = "condition"
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        await asyncio.sleep(0.01)


async def wait_for_publish(
    client: Client,
    uri: str,
    *,
    version: int | str | None = "any",
    since: int = 0,
    predicate: Callable[[types.PublishDiagnosticsParams], bool] = lambda p: True,
    timeout: float = TIMEOUT,
) -> types.PublishDiagnosticsParams:
    """The first publish for ``uri`` after index ``since`` matching ``version``/``predicate``."""

    def find() -> types.PublishDiagnosticsParams | None:
        for params in client.published[since:]:
            if params.uri != uri:
                continue
            if version != "any" and params.version != version:
                continue
            if predicate(params):
                return params
        return None

    return await wait_for(find, timeout, f"diagnostics for {uri} (version {version})")  # type: ignore[no-any-return]


# The rules these tests exercise. The rule set keeps growing, so assertions look at these
# and ignore findings of other rules the fixtures may also trigger.
TRACKED = frozenset({"aws-ec2-no-public-ingress", "aws-s3-no-public-acl", "syntax"})


def codes(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics if d.code in TRACKED)


def tracked(diagnostics: Sequence[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.code in TRACKED]


async def settle(client: Client, quiet: float = 0.4, timeout: float = TIMEOUT) -> None:
    """Wait until no publish arrived for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    count = -1
    while time.monotonic() < deadline:
        if len(client.published) == count:
            return
        count = len(client.published)
        await asyncio.sleep(quiet)
    raise AssertionError("the server kept publishing diagnostics")
