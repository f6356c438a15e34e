"""Quick fixes and fix-all over stdio: offered, resolved lazily (or sent eagerly), applied by
the test as an editor would, and re-diagnosed; multi-file edits with versions and CreateFile;
resolves after the document moved on; positions in the negotiated encoding."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig

from tfguard.findings import Finding, Range, Severity
from tfguard.fixes import Fix, TextEdit
from tfguard.fixes import apply_edits as apply_engine_edits
from tfguard.lsp.capabilities import ClientFeatures
from tfguard.lsp.quickfix import (
    EditSupport,
    FileState,
    FixRef,
    diff_edits,
    match_finding,
    pick_fix,
    to_workspace_edit,
)

from .helpers import (
    CLIENT_SETS,
    HERE,
    Client,
    apply_edits,
    change_doc,
    close_doc,
    make_client,
    open_doc,
    position_of,
    running_server,
    wait_for_publish,
    with_encodings,
)

OPTIONS = {"workspaceScan": False, "debounceMs": 0}
EXTRA_RULE = "test-literal-to-variable"

BACKEND = """\
terraform {
  backend "s3" {
    bucket = "acme-state"
    key    = "app.tfstate"
    region = "eu-west-1"
  }
}
"""
KMS = """\
resource "aws_kms_key" "state" {
  description = "state"
}
"""
DATABASE = """\
resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "app"
  password          = var.db_password
}
"""
ACL = """\
resource "aws_s3_bucket_acl" "site" {
  bucket = "site"
  acl    = "public-read"
}
"""
SECURITY_GROUP = """\
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "admin" {
  name   = "admin"
  vpc_id = VPC_ID

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
THING = """\
resource "test_thing" "api" {
  name   = "api"
  secret = "hunter2"
}
"""


# -- helpers ------------------------------------------------------------------------------------


def _write(directory: Path, files: dict[str, str]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8", newline="")


async def _diagnostic(client: Client, uri: str, rule: str, version: int) -> types.Diagnostic:
    published = await wait_for_publish(
        client, uri, version=version, predicate=lambda p: any(d.code == rule for d in p.diagnostics)
    )
    (diagnostic,) = [d for d in published.diagnostics if d.code == rule]
    return diagnostic


async def _code_actions(
    client: Client,
    uri: str,
    diagnostics: Sequence[types.Diagnostic],
    *,
    only: list[str] | None = None,
    range_: types.Range | None = None,
) -> list[types.CodeAction]:
    if range_ is None:
        range_ = diagnostics[0].range
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=range_,
            context=types.CodeActionContext(diagnostics=list(diagnostics), only=only),
        )
    )
    assert result is not None
    return [a for a in result if isinstance(a, types.CodeAction)]


def _fixes(actions: Sequence[types.CodeAction]) -> list[types.CodeAction]:
    return [a for a in actions if isinstance(a.data, dict) and a.data.get("kind") == "tfguard.fix"]


def _preferred(actions: Sequence[types.CodeAction], rule: str) -> types.CodeAction:
    (action,) = [a for a in _fixes(actions) if a.is_preferred and a.data["ruleId"] == rule]
    return action


def _first(actions: Sequence[types.CodeAction], rule: str) -> types.CodeAction:
    """The rule's first quick fix (safe or not)."""
    return next(a for a in _fixes(actions) if a.data["ruleId"] == rule)


def _document_edits(
    edit: types.WorkspaceEdit,
) -> tuple[list[types.CreateFile], dict[str, tuple[int | None, list[types.TextEdit]]]]:
    """The CreateFile operations and, per URI, the (version, edits) of a documentChanges edit."""
    assert edit.changes is None and edit.document_changes is not None
    created: list[types.CreateFile] = []
    by_uri: dict[str, tuple[int | None, list[types.TextEdit]]] = {}
    for change in edit.document_changes:
        if isinstance(change, types.CreateFile):
            assert change.uri not in by_uri  # created before it is edited
            created.append(change)
        else:
            assert isinstance(change, types.TextDocumentEdit)
            edits = [e for e in change.edits if isinstance(e, types.TextEdit)]
            by_uri[change.text_document.uri] = (change.text_document.version, edits)
    return created, by_uri


async def _apply(
    client: Client, uri: str, edits: Sequence[types.TextEdit], encoding: str = "utf-16"
) -> types.PublishDiagnosticsParams:
    """Apply edits to the open document like an editor (one didChange) and wait for the
    diagnostics of the new version."""
    count = len(client.published)
    text = apply_edits(client.texts[uri], edits, encoding)
    version = change_doc(client, uri, text, encoding=encoding)
    return await wait_for_publish(client, uri, version=version, since=count)


def _rules(published: types.PublishDiagnosticsParams) -> set[str]:
    return {str(d.code) for d in published.diagnostics}


@contextlib.asynccontextmanager
async def _extra_rule_server(
    root: Path, client_name: str
) -> AsyncIterator[tuple[Client, types.InitializeResult]]:
    """The server with one more rule whose fix adds a variable to variables.tf."""
    command = [sys.executable, str(HERE / "extra_rule_server.py"), "--log-level", "debug"]
    config = ClientServerConfig(server_command=command, client_factory=make_client)
    client = await config.start()
    assert isinstance(client, Client)
    uri = root.as_uri()
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=CLIENT_SETS[client_name](),
            root_uri=uri,
            workspace_folders=[types.WorkspaceFolder(uri=uri, name=root.name)],
            initialization_options=OPTIONS,
        )
    )
    try:
        yield client, result
    finally:
        await client.shutdown_session()
        await client.stop()


# -- one fix ------------------------------------------------------------------------------------


async def test_quick_fix_is_offered_resolved_and_applied(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "keys"
    _write(module, {"main.tf": KMS})
    async with running_server(tmp_path / "ws", "neovim-0.7.2", init_options=OPTIONS) as (
        client,
        result,
    ):
        options = result.capabilities.code_action_provider
        assert isinstance(options, types.CodeActionOptions) and options.resolve_provider
        assert options.code_action_kinds is not None
        assert "source.fixAll.tfguard" in options.code_action_kinds
        uri = open_doc(client, module / "main.tf")
        diagnostic = await _diagnostic(client, uri, "aws-kms-key-rotation", 1)
        actions = await _code_actions(client, uri, [diagnostic])
        fix = actions[0]  # the rule's own fix comes before ignoring or explaining it
        assert fix is _preferred(actions, "aws-kms-key-rotation")
        assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred is True
        assert list(fix.diagnostics or []) == [diagnostic]
        assert fix.edit is None  # Neovim resolves: the edit waits for codeAction/resolve
        assert isinstance(fix.data, dict)
        assert {k: fix.data[k] for k in ("uri", "version", "ruleId", "fix", "title")} == {
            "uri": uri,
            "version": 1,
            "ruleId": "aws-kms-key-rotation",
            "fix": 0,
            "title": fix.title,
        }
        assert [a.title for a in actions[1:]] == [
            "Ignore aws-kms-key-rotation for this resource",
            "Explain aws-kms-key-rotation",
            "Fix all auto-fixable tfguard findings in this file",
        ]

        resolved = await client.code_action_resolve_async(fix)
        # Neovim does not announce documentChanges: the plain map, without versions.
        assert resolved.edit is not None and resolved.edit.document_changes is None
        assert resolved.edit.changes is not None and list(resolved.edit.changes) == [uri]
        published = await _apply(client, uri, resolved.edit.changes[uri])
        assert "aws-kms-key-rotation" not in _rules(published)
        assert client.texts[uri] == (
            'resource "aws_kms_key" "state" {\n'
            '  description         = "state"\n'
            "  enable_key_rotation = true\n"
            "}\n"
        )
        assert (module / "main.tf").read_text() == KMS  # the server never writes files


@pytest.mark.parametrize(
    ("rule", "files", "expected", "safe"),
    [
        pytest.param(
            "terraform-backend-s3-encryption",
            {"main.tf": BACKEND},
            ["encrypt = true"],
            True,
            id="add-encryption",
        ),
        pytest.param(
            "aws-secret-argument-write-only",
            {"main.tf": DATABASE},
            ["password_wo ", "password_wo_version = 1"],
            False,  # resets the password of an existing database
            id="password-write-only",
        ),
        pytest.param(
            "aws-ec2-no-public-ingress",
            {"main.tf": SECURITY_GROUP.replace("VPC_ID", "aws_vpc.main.id")},
            ["cidr_blocks = [aws_vpc.main.cidr_block]"],
            False,  # narrowing a range changes who can connect
            id="narrow-cidr-to-the-vpc",
        ),
    ],
)
async def test_named_fixes_through_the_editor(
    tmp_path: Path, rule: str, files: dict[str, str], expected: list[str], safe: bool
) -> None:
    module = tmp_path / "ws" / "app"
    _write(module, files)
    async with running_server(tmp_path / "ws", "vscode-1.65", init_options=OPTIONS) as (
        client,
        _,
    ):
        uri = open_doc(client, module / "main.tf")
        diagnostic = await _diagnostic(client, uri, rule, 1)
        fix = _first(await _code_actions(client, uri, [diagnostic]), rule)
        # Only a safe fix is preferred; an unsafe one says so, and what it changes.
        assert bool(fix.is_preferred) is safe
        assert ("\N{EM DASH} unsafe" in fix.title) is not safe
        resolved = await client.code_action_resolve_async(fix)
        assert resolved.edit is not None
        created, by_uri = _document_edits(resolved.edit)
        assert created == [] and list(by_uri) == [uri]
        version, edits = by_uri[uri]
        assert version == 1  # the version the edit was computed for
        published = await _apply(client, uri, edits)
        assert rule not in _rules(published)
        for snippet in expected:
            assert snippet in client.texts[uri]


async def test_client_without_resolve_gets_the_edit_at_once(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "state"
    _write(module, {"main.tf": BACKEND})
    async with running_server(tmp_path / "ws", "emacs-eglot-29.1", init_options=OPTIONS) as (
        client,
        _,
    ):
        uri = open_doc(client, module / "main.tf")
        rule = "terraform-backend-s3-encryption"
        diagnostic = await _diagnostic(client, uri, rule, 1)
        actions = await _code_actions(client, uri, [diagnostic])
        fix = _preferred(actions, rule)
        assert fix.edit is not None  # eglot does not resolve edits
        _, by_uri = _document_edits(fix.edit)  # eglot takes documentChanges
        version, edits = by_uri[uri]
        assert version == 1
        # Fix-all is computed eagerly only when asked for by kind.
        assert not [a for a in actions if a.kind == "source.fixAll.tfguard"]
        published = await _apply(client, uri, edits, encoding="utf-32")  # eglot's encoding
        assert rule not in _rules(published)
        assert "    encrypt = true\n" in client.texts[uri]


async def test_quick_fix_for_a_pull_client(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "keys"
    _write(module, {"main.tf": KMS})
    rule = "aws-kms-key-rotation"
    async with running_server(tmp_path / "ws", "neovim-0.11", init_options=OPTIONS) as (
        client,
        _,
    ):
        uri = open_doc(client, module / "main.tf")
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        (diagnostic,) = [d for d in report.items if d.code == rule]
        fix = _preferred(await _code_actions(client, uri, [diagnostic]), rule)
        resolved = await client.code_action_resolve_async(fix)
        assert resolved.edit is not None and resolved.edit.changes is not None
        text = apply_edits(client.texts[uri], resolved.edit.changes[uri])
        change_doc(client, uri, text)
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert rule not in {d.code for d in report.items}
        assert client.published == []  # pulled, never pushed


# -- positions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
async def test_fix_ranges_after_emoji(tmp_path: Path, encoding: str) -> None:
    module = tmp_path / "ws" / "wide"
    text = (
        'resource "aws_kms_key" "state" {\n'
        '  description = "Clé 😀 state" # 🚀\n'
        "}\n"
        "\n"
        'resource "aws_s3_bucket_acl" "site" {\n'
        '  bucket = "site"\n'
        '  /* 日本😀 */ acl = "public-read"\n'
        "}\n"
    )
    _write(module, {"main.tf": text})
    caps = with_encodings(CLIENT_SETS["vscode-1.65"](), [encoding])
    async with running_server(tmp_path / "ws", capabilities=caps, init_options=OPTIONS) as (
        client,
        result,
    ):
        assert result.capabilities.position_encoding == encoding
        uri = open_doc(client, module / "main.tf")
        acl = await _diagnostic(client, uri, "aws-s3-no-public-acl", 1)
        key = await _diagnostic(client, uri, "aws-kms-key-rotation", 1)

        # (an unsafe fix: offered, not preferred)
        fix = _first(await _code_actions(client, uri, [acl]), "aws-s3-no-public-acl")
        resolved = await client.code_action_resolve_async(fix)
        assert resolved.edit is not None
        edits = _document_edits(resolved.edit)[1][uri][1]
        # The value, and the blanks that align "bucket" with the commented "acl" line (a
        # comment before a name is part of hclwrite's lead cell).
        (edit,) = [e for e in edits if e.new_text == '"private"']
        assert edit.range.start == position_of(text, '"public-read"', encoding)
        assert edit.range.end == position_of(text, '"public-read"', encoding, offset=13)
        published = await _apply(client, uri, edits, encoding)
        assert "aws-s3-no-public-acl" not in _rules(published)
        assert '  /* 日本😀 */ acl = "private"\n' in client.texts[uri]

        key = await _diagnostic(client, uri, "aws-kms-key-rotation", published.version or 0)
        fix = _preferred(await _code_actions(client, uri, [key]), "aws-kms-key-rotation")
        resolved = await client.code_action_resolve_async(fix)
        assert resolved.edit is not None
        _, by_uri = _document_edits(resolved.edit)
        version, edits = by_uri[uri]
        assert version == published.version
        published = await _apply(client, uri, edits, encoding)
        assert "aws-kms-key-rotation" not in _rules(published)
        assert client.texts[uri].startswith(
            'resource "aws_kms_key" "state" {\n'
            '  description         = "Clé 😀 state" # 🚀\n'
            "  enable_key_rotation = true\n"
            "}\n"
        )


# -- other files ---------------------------------------------------------------------------------


async def test_fix_touching_another_file(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    missing, closed, opened = root / "missing", root / "closed", root / "opened"
    declared = 'variable "region" {\n  type = string\n}\n'
    _write(missing, {"main.tf": THING})
    _write(closed, {"main.tf": THING, "variables.tf": declared})
    _write(opened, {"main.tf": THING, "variables.tf": declared})
    new_variable = 'variable "api_secret" {\n  type      = string\n  sensitive = true\n}\n'
    async with _extra_rule_server(root, "vscode-1.65") as (client, _):
        # variables.tf does not exist: it is created, then edited (no version: not open).
        uri = open_doc(client, missing / "main.tf")
        diagnostic = await _diagnostic(client, uri, EXTRA_RULE, 1)
        fix = _preferred(await _code_actions(client, uri, [diagnostic]), EXTRA_RULE)
        resolved = await client.code_action_resolve_async(fix)
        assert resolved.edit is not None
        created, by_uri = _document_edits(resolved.edit)
        variables_uri = (missing / "variables.tf").as_uri()
        assert [c.uri for c in created] == [variables_uri]
        assert created[0].options is not None and created[0].options.ignore_if_exists
        assert sorted(by_uri) == sorted([uri, variables_uri])
        assert by_uri[uri][0] == 1 and by_uri[variables_uri][0] is None
        assert apply_edits("", by_uri[variables_uri][1]) == new_variable
        published = await _apply(client, uri, by_uri[uri][1])
        assert EXTRA_RULE not in _rules(published)
        assert "  secret = var.api_secret\n" in client.texts[uri]
        assert not (missing / "variables.tf").exists()  # the editor creates it, not the server

        # variables.tf exists but is closed: edited without a version, nothing created.
        uri = open_doc(client, closed / "main.tf")
        diagnostic = await _diagnostic(client, uri, EXTRA_RULE, 1)
        fix = _preferred(await _code_actions(client, uri, [diagnostic]), EXTRA_RULE)
        resolved = await client.code_action_resolve_async(fix)
        assert resolved.edit is not None
        created, by_uri = _document_edits(resolved.edit)
        variables_uri = (closed / "variables.tf").as_uri()
        assert created == [] and by_uri[variables_uri][0] is None
        assert apply_edits(declared, by_uri[variables_uri][1]) == declared + "\n" + new_variable

        # variables.tf is open and changes after the actions were listed: the edit is made
        # for its newest version, and says so.
        uri = open_doc(client, opened / "main.tf")
        variables_uri = open_doc(client, opened / "variables.tf")
        diagnostic = await _diagnostic(client, uri, EXTRA_RULE, 1)
        fix = _preferred(await _code_actions(client, uri, [diagnostic]), EXTRA_RULE)
        edited = "# shared inputs\n\n" + declared
        version = change_doc(client, variables_uri, edited)
        assert version == 2
        resolved = await client.code_action_resolve_async(fix)
        assert resolved.edit is not None
        created, by_uri = _document_edits(resolved.edit)
        assert created == []
        assert by_uri[uri][0] == 1 and by_uri[variables_uri][0] == 2
        assert apply_edits(edited, by_uri[variables_uri][1]) == edited + "\n" + new_variable

        # Fix-all takes the same route.
        uri = open_doc(client, missing / "main.tf", text=THING)  # reopened as a new version
        (fix_all,) = await _code_actions(
            client, uri, [], only=["source.fixAll"], range_=_start_range()
        )
        resolved = await client.code_action_resolve_async(fix_all)
        assert resolved.edit is not None
        created, by_uri = _document_edits(resolved.edit)
        assert [c.uri for c in created] == [(missing / "variables.tf").as_uri()]
        assert apply_edits("", by_uri[created[0].uri][1]) == new_variable


async def test_narrow_a_cidr_to_a_new_variable(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "network"
    _write(module, {"main.tf": SECURITY_GROUP.replace("VPC_ID", '"vpc-123"')})
    rule = "aws-ec2-no-public-ingress"
    async with running_server(tmp_path / "ws", "vscode-1.65", init_options=OPTIONS) as (
        client,
        _,
    ):
        uri = open_doc(client, module / "main.tf")
        diagnostic = await _diagnostic(client, uri, rule, 1)
        actions = await _code_actions(client, uri, [diagnostic])
        fix = _first(actions, rule)
        assert "var.admin_allowed_cidrs" in fix.title and "unsafe" in fix.title
        # Narrowing and the removal are both offered, neither preferred: both change who can
        # connect.
        assert len(_fixes(actions)) >= 2 and not any(a.is_preferred for a in _fixes(actions))
        resolved = await client.code_action_resolve_async(fix)
        assert resolved.edit is not None
        created, by_uri = _document_edits(resolved.edit)
        variables_uri = (module / "variables.tf").as_uri()
        assert [c.uri for c in created] == [variables_uri]
        assert by_uri[uri][0] == 1 and by_uri[variables_uri][0] is None
        declared = apply_edits("", by_uri[variables_uri][1])
        assert declared.startswith('variable "admin_allowed_cidrs" {\n')
        assert "  type        = list(string)\n" in declared and "default" not in declared
        published = await _apply(client, uri, by_uri[uri][1])
        assert rule not in _rules(published)
        assert "    cidr_blocks = var.admin_allowed_cidrs\n" in client.texts[uri]


async def test_other_file_without_document_changes(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "app"
    _write(module, {"main.tf": THING})
    async with _extra_rule_server(tmp_path / "ws", "neovim-0.7.2") as (client, _):
        uri = open_doc(client, module / "main.tf")
        diagnostic = await _diagnostic(client, uri, EXTRA_RULE, 1)
        fix = _preferred(await _code_actions(client, uri, [diagnostic]), EXTRA_RULE)
        resolved = await client.code_action_resolve_async(fix)
        assert resolved.edit is not None and resolved.edit.document_changes is None
        assert resolved.edit.changes is not None
        variables_uri = (module / "variables.tf").as_uri()
        assert sorted(resolved.edit.changes) == sorted([uri, variables_uri])
        assert apply_edits("", resolved.edit.changes[variables_uri]).startswith(
            'variable "api_secret" {'
        )


# -- fix all -------------------------------------------------------------------------------------


def _start_range() -> types.Range:
    return types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
    )


async def test_fix_all_applies_every_preferred_fix(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "app"
    text = BACKEND + "\n" + KMS + "\n" + ACL
    _write(module, {"main.tf": text})
    rules = {"terraform-backend-s3-encryption", "aws-kms-key-rotation", "aws-s3-no-public-acl"}
    async with running_server(tmp_path / "ws", "vscode-1.65", init_options=OPTIONS) as (
        client,
        _,
    ):
        uri = open_doc(client, module / "main.tf")
        published = await wait_for_publish(
            client, uri, version=1, predicate=lambda p: rules <= _rules(p)
        )
        quick = await _code_actions(client, uri, [], only=["quickfix"], range_=_start_range())
        assert all(a.kind == types.CodeActionKind.QuickFix for a in quick)
        for only in (["source"], ["source.fixAll"], ["source.fixAll.tfguard"]):
            (action,) = await _code_actions(client, uri, [], only=only, range_=_start_range())
            assert action.kind == "source.fixAll.tfguard" and action.edit is None
        resolved = await client.code_action_resolve_async(action)
        assert resolved.edit is not None
        _, by_uri = _document_edits(resolved.edit)
        version, edits = by_uri[uri]
        assert version == 1
        published = await _apply(client, uri, edits)
        # The ACL's fix is unsafe (a bucket may be public on purpose): fix-all leaves it.
        assert rules & _rules(published) == {"aws-s3-no-public-acl"}
        fixed = client.texts[uri]
        assert "encrypt = true" in fixed and "enable_key_rotation = true" in fixed
        assert '"public-read"' in fixed and '"private"' not in fixed
        assert (module / "main.tf").read_text() == text  # nothing written to disk
        # Nothing left with a safe fix: no fix-all offered any more.
        assert await _code_actions(client, uri, [], only=["source"], range_=_start_range()) == []


async def test_fix_all_on_save_right_after_typing(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "app"
    _write(module, {"main.tf": KMS})
    options = {"workspaceScan": False, "debounceMs": 5000}  # no analysis before the save
    async with running_server(tmp_path / "ws", "vscode-1.65", init_options=options) as (
        client,
        _,
    ):
        uri = open_doc(client, module / "main.tf")
        await _diagnostic(client, uri, "aws-kms-key-rotation", 1)
        version = change_doc(client, uri, client.texts[uri] + "\n" + ACL)
        (action,) = await _code_actions(
            client, uri, [], only=["source.fixAll"], range_=_start_range()
        )
        resolved = await client.code_action_resolve_async(action)
        assert resolved.edit is not None
        _, by_uri = _document_edits(resolved.edit)
        assert by_uri[uri][0] == version == 2
        fixed = apply_edits(client.texts[uri], by_uri[uri][1])
        # Safe fixes only: the ACL (maybe public on purpose) is left as it is.
        assert "enable_key_rotation = true" in fixed and 'acl    = "public-read"' in fixed


async def test_fix_all_for_a_client_without_resolve(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "app"
    text = KMS + "\n" + ACL
    _write(module, {"main.tf": text})
    async with running_server(tmp_path / "ws", "emacs-eglot-29.1", init_options=OPTIONS) as (
        client,
        _,
    ):
        uri = open_doc(client, module / "main.tf")
        await _diagnostic(client, uri, "aws-s3-no-public-acl", 1)
        (action,) = await _code_actions(
            client, uri, [], only=["source.fixAll.tfguard"], range_=_start_range()
        )
        assert action.edit is not None
        _, by_uri = _document_edits(action.edit)
        published = await _apply(client, uri, by_uri[uri][1], encoding="utf-32")
        rules = _rules(published)
        assert "aws-kms-key-rotation" not in rules and "aws-s3-no-public-acl" in rules


# -- stale actions ---------------------------------------------------------------------------------


async def test_resolve_after_the_document_changed(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "keys"
    text = KMS + "\n" + KMS.replace('"state"', '"logs"')
    _write(module, {"main.tf": text})
    rule = "aws-kms-key-rotation"
    # A long debounce: only the resolve itself can bring the analysis up to date.
    options = {"workspaceScan": False, "debounceMs": 1000}
    async with running_server(tmp_path / "ws", "neovim-0.7.2", init_options=options) as (
        client,
        _,
    ):
        uri = open_doc(client, module / "main.tf")
        published = await wait_for_publish(
            client,
            uri,
            version=1,
            predicate=lambda p: len([d for d in p.diagnostics if d.code == rule]) == 2,
        )
        first, second = sorted(
            (d for d in published.diagnostics if d.code == rule), key=lambda d: d.range.start.line
        )
        fix_first = _preferred(await _code_actions(client, uri, [first]), rule)
        fix_second = _preferred(await _code_actions(client, uri, [second]), rule)
        assert fix_first.data["version"] == fix_second.data["version"] == 1  # type: ignore[index]

        # Two lines arrive above both keys; the actions were made for version 1.
        change_doc(client, uri, "# keys\n\n" + client.texts[uri])
        resolved = await client.code_action_resolve_async(fix_first)
        assert resolved.edit is not None and resolved.edit.changes is not None
        # The new line goes after the description line, moved down by two (and the
        # description's "=" is realigned with it, as terraform fmt does).
        edits = resolved.edit.changes[uri]
        assert [e.range.start.line for e in edits] == [1 + 2, 1 + 2]
        count = len(client.published)
        version = change_doc(client, uri, apply_edits(client.texts[uri], edits))

        # That finding is fixed now: resolving its action again has nothing to apply.
        again = await client.code_action_resolve_async(fix_first)
        assert again.edit is None

        # The other key's action still works, against the newest text.
        resolved = await client.code_action_resolve_async(fix_second)
        assert resolved.edit is not None and resolved.edit.changes is not None
        count = len(client.published)
        version = change_doc(
            client, uri, apply_edits(client.texts[uri], resolved.edit.changes[uri])
        )
        published = await wait_for_publish(client, uri, version=version, since=count)
        assert rule not in _rules(published)
        assert client.texts[uri].count("enable_key_rotation = true") == 2


async def test_resolve_of_a_closed_document_is_refused(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "keys"
    _write(module, {"main.tf": KMS})
    async with running_server(tmp_path / "ws", "neovim-0.7.2", init_options=OPTIONS) as (
        client,
        _,
    ):
        uri = open_doc(client, module / "main.tf")
        diagnostic = await _diagnostic(client, uri, "aws-kms-key-rotation", 1)
        fix = _preferred(await _code_actions(client, uri, [diagnostic]), "aws-kms-key-rotation")
        close_doc(client, uri)
        with pytest.raises(JsonRpcException, match="no longer open"):
            await client.code_action_resolve_async(fix)
        mangled: dict[str, Any] = dict(fix.data)  # type: ignore[arg-type]
        mangled["range"] = "everywhere"
        fix.data = mangled
        assert (await client.code_action_resolve_async(fix)).edit is None


# -- the pure parts, in process -----------------------------------------------------------------

text_lines = st.lists(st.sampled_from(["a = 1", "  b = 2", "}", "", 'c = "😀"', "# é"]), max_size=8)


@given(text_lines, text_lines, st.booleans(), st.booleans(), st.sampled_from(["\n", "\r\n"]))
def test_diff_edits_rebuild_the_new_text(
    old: list[str], new: list[str], old_newline: bool, new_newline: bool, eol: str
) -> None:
    before = eol.join(old) + (eol if old_newline else "")
    after = eol.join(new) + (eol if new_newline else "")
    edits = diff_edits("/m/main.tf", before, after)
    assert apply_engine_edits(before, edits) == after
    # Through the protocol: converted for the client, applied as an editor would.
    edit = to_workspace_edit(
        edits, {"/m/main.tf": FileState(before, True, 4)}, EditSupport("utf-16"), _uri
    )
    assert edit.changes is not None
    assert apply_edits(before, list(edit.changes.get(_uri("/m/main.tf"), [])), "utf-16") == after


def _uri(path: str) -> str:
    return "file://" + path


def test_workspace_edit_shapes() -> None:
    at = Range.of(0, 0, 0, 0)
    edits = [
        TextEdit("/m/main.tf", Range.of(1, 5, 1, 7), "x"),
        TextEdit("/m/variables.tf", at, "b"),
        TextEdit("/m/variables.tf", at, "a"),  # same place: kept in tfguard fix's order
    ]
    files = {
        "/m/main.tf": FileState("r {\n  😀😀😀 = 1\n}\n", True, 7),
        "/m/variables.tf": FileState("", False, None),
    }
    full = to_workspace_edit(edits, files, EditSupport("utf-16", True, True), _uri)
    created, by_uri = _document_edits(full)
    assert [c.uri for c in created] == ["file:///m/variables.tf"]
    assert by_uri["file:///m/main.tf"][0] == 7
    (main_edit,) = by_uri["file:///m/main.tf"][1]
    assert main_edit.range.start.character == 8 and main_edit.range.end.character == 10
    assert [e.new_text for e in by_uri["file:///m/variables.tf"][1]] == ["a", "b"]
    assert by_uri["file:///m/variables.tf"][0] is None
    # A file to create, but the client cannot create files: the plain map.
    no_create = to_workspace_edit(edits, files, EditSupport("utf-32", True, False), _uri)
    assert no_create.document_changes is None and no_create.changes is not None
    (main_edit,) = no_create.changes["file:///m/main.tf"]
    assert main_edit.range.start.character == 5  # utf-32 counts code points


def _finding(line: int, message: str = "key a has no rotation") -> Finding:
    return Finding("r", Severity.LOW, message, "/m/main.tf", Range.of(line, 0, line, 5))


def test_finding_and_fix_are_found_again() -> None:
    ref = FixRef("file:///m/main.tf", 1, "r", Range.of(3, 0, 3, 5), "key a has no rotation", 1, "B")
    assert FixRef.from_data(ref.to_data()) == ref
    assert FixRef.from_data({**ref.to_data(), "fix": True}) is None
    assert FixRef.from_data({**ref.to_data(), "kind": "tfguard.ignore"}) is None
    same = _finding(3)
    moved = _finding(5)
    other = _finding(3, "key b has no rotation")
    assert match_finding([other, same], ref, same_text=True) is same
    assert match_finding([other, moved], ref, same_text=True) is other  # same text: same place
    assert match_finding([other, moved], ref, same_text=False) is moved
    assert match_finding([other, moved, _finding(9)], ref, same_text=False) is None  # ambiguous
    assert match_finding([other], ref, same_text=False) is None
    a, b = Fix("A", ()), Fix("B", ())
    assert pick_fix([a, b], ref) is b
    assert pick_fix([b], ref) is b  # the list changed, the title is still unique
    assert pick_fix([a], ref) is None


@pytest.mark.parametrize(
    ("client_name", "expected"),
    [
        ("neovim-0.7.2", (True, False, True)),
        ("neovim-0.11", (True, False, True)),
        ("vscode-1.65", (True, True, True)),
        ("emacs-eglot-29.1", (False, True, False)),
    ],
)
def test_what_clients_can_take(client_name: str, expected: tuple[bool, bool, bool]) -> None:
    features = ClientFeatures.of(CLIENT_SETS[client_name]())
    assert (
        features.code_action_resolve,
        features.document_changes,
        features.create_files,
    ) == expected
    caps = CLIENT_SETS[client_name]()
    assert caps.text_document is not None and caps.text_document.code_action is not None
    caps.text_document.code_action.code_action_literal_support = None
    assert not ClientFeatures.of(caps).code_action_resolve  # resolve needs CodeAction literals
