"""Code actions: ignore comments (eager and lazily resolved), explain, and re-diagnosis."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from .helpers import (
    Client,
    change_doc,
    codes,
    copy_workspace,
    open_doc,
    running_server,
    tracked,
    wait_for,
    wait_for_publish,
)

RULE = "aws-ec2-no-public-ingress"
OPTIONS = {"workspaceScan": False, "debounceMs": 0}


async def _actions(
    client: Client, uri: str, diagnostic: types.Diagnostic, only: list[str] | None = None
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic], only=only),
        )
    )
    assert result is not None
    return [a for a in result if isinstance(a, types.CodeAction)]


def _ignore_and_explain(actions: list[types.CodeAction]) -> list[types.CodeAction]:
    """The actions these tests are about (the rule's own quick fixes are tested elsewhere)."""
    return [a for a in actions if a.title.startswith(("Ignore ", "Explain "))]


def _edits(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    return list(action.edit.changes[uri])


async def _apply_and_rediagnose(
    client: Client, uri: str, edits: list[types.TextEdit]
) -> types.PublishDiagnosticsParams:
    count = len(client.published)
    version = change_doc(client, uri, edits=edits)
    return await wait_for_publish(client, uri, version=version, since=count)


async def test_lazy_ignore_for_this_line(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, "neovim-0.7.2", init_options=OPTIONS) as (client, result):
        options = result.capabilities.code_action_provider
        assert isinstance(options, types.CodeActionOptions) and options.resolve_provider
        uri = open_doc(client, root / "network" / "sg.tf")
        (diag,) = tracked((await wait_for_publish(client, uri, version=1)).diagnostics)
        actions = await _actions(client, uri, diag)
        titles = [a.title for a in _ignore_and_explain(actions)]
        assert titles == [
            f"Ignore {RULE} for this line",
            f"Ignore {RULE} for this resource",
            f"Explain {RULE}",
        ]
        line_action = _ignore_and_explain(actions)[0]
        assert line_action.edit is None  # resolved lazily
        assert line_action.kind == types.CodeActionKind.QuickFix
        resolved = await client.code_action_resolve_async(line_action)
        (edit,) = _edits(resolved, uri)
        assert edit.range.start == types.Position(line=8, character=0) == edit.range.end
        assert edit.new_text == f"    # tfguard:ignore:{RULE}\n"
        published = await _apply_and_rediagnose(client, uri, [edit])
        assert codes(published.diagnostics) == []
        assert f"    # tfguard:ignore:{RULE}\n    cidr_blocks" in client.texts[uri]


async def test_eager_ignore_for_this_resource(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, "emacs-eglot-29.1", init_options=OPTIONS) as (client, _):
        uri = open_doc(client, root / "network" / "sg.tf")
        (diag,) = tracked((await wait_for_publish(client, uri, version=1)).diagnostics)
        actions = {a.title: a for a in await _actions(client, uri, diag)}
        action = actions[f"Ignore {RULE} for this resource"]
        (edit,) = _edits(action, uri)  # no resolve support: the edit comes along
        assert edit.range.start == types.Position(line=0, character=0)
        assert edit.new_text == f"# tfguard:ignore:{RULE}\n"
        published = await _apply_and_rediagnose(client, uri, [edit])
        assert codes(published.diagnostics) == []


async def test_ignore_joins_an_existing_comment(tmp_path: Path) -> None:
    module = tmp_path / "ws" / "mixed"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(
        'resource "aws_s3_bucket" "logs" {\n'
        '  bucket = "logs"\n'
        "  # tfguard:ignore:aws-s3-no-public-acl accepted for the static site\n"
        '  acl    = "public-read"\n'
        "}\n"
        "\n"
        'resource "aws_security_group" "web" {\n'
        "  ingress {\n"
        "    from_port   = 22\n"
        "    to_port     = 22\n"
        '    protocol    = "tcp"\n'
        "    # tfguard:ignore:aws-s3-no-public-acl\n"
        '    cidr_blocks = ["0.0.0.0/0"]\n'
        "  }\n"
        "}\n"
    )
    async with running_server(tmp_path / "ws", "emacs-eglot-29.1", init_options=OPTIONS) as (
        client,
        _,
    ):
        uri = open_doc(client, module / "main.tf")
        published = await wait_for_publish(client, uri, version=1)
        (diag,) = [d for d in published.diagnostics if d.code == RULE]
        actions = {a.title: a for a in await _actions(client, uri, diag)}
        (edit,) = _edits(actions[f"Ignore {RULE} for this line"], uri)
        assert edit.range.start == types.Position(
            line=11, character=len("    # tfguard:ignore:aws-s3-no-public-acl")
        )
        assert edit.new_text == f",{RULE}"
        after = await _apply_and_rediagnose(client, uri, [edit])
        assert RULE not in codes(after.diagnostics)
        assert f"# tfguard:ignore:aws-s3-no-public-acl,{RULE}\n" in client.texts[uri]


async def test_filters_and_stale_resolve(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, "neovim-0.7.2", init_options=OPTIONS) as (client, _):
        sg = root / "network" / "sg.tf"
        uri = open_doc(client, sg)
        (diag,) = tracked((await wait_for_publish(client, uri, version=1)).diagnostics)
        source = await _actions(client, uri, diag, only=["source"])
        assert all(str(a.kind).startswith("source.") for a in source)  # at most fix-all
        quick = await _actions(client, uri, diag, only=["quickfix"])
        assert [a.title for a in _ignore_and_explain(quick)] == [
            f"Ignore {RULE} for this line",
            f"Ignore {RULE} for this resource",
        ]
        change_doc(client, uri, "\n" + sg.read_text())  # every line moves down
        await wait_for_publish(client, uri, version=2)
        with pytest.raises(JsonRpcException, match="changed"):
            await client.code_action_resolve_async(_ignore_and_explain(quick)[0])


async def test_actions_without_context_diagnostics_use_the_range(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, "emacs-eglot-29.1", init_options=OPTIONS) as (client, _):
        uri = open_doc(client, root / "network" / "sg.tf")
        (diag,) = tracked((await wait_for_publish(client, uri, version=1)).diagnostics)
        result = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=diag.range.start, end=diag.range.start),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        assert result is not None
        assert f"Ignore {RULE} for this line" in [a.title for a in result]


async def test_explain_opens_the_rule_documentation(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, "vscode-1.65", init_options=OPTIONS) as (client, result):
        assert result.capabilities.execute_command_provider is not None
        commands = result.capabilities.execute_command_provider.commands
        assert sorted(commands) == ["tfguard.explainRule", "tfguard.scanWorkspace"]
        uri = open_doc(client, root / "network" / "sg.tf")
        (diag,) = tracked((await wait_for_publish(client, uri, version=1)).diagnostics)
        explain = [a for a in await _actions(client, uri, diag) if a.command is not None]
        (action,) = explain
        assert action.command is not None
        answer = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command=action.command.command, arguments=action.command.arguments
            )
        )
        assert answer["ruleId"] == RULE and answer["opened"] is True
        assert "Remediation" in answer["markdown"]
        (shown,) = client.shown_documents
        assert shown.uri.endswith(f"{RULE}.md") and shown.external


async def test_explain_falls_back_to_a_message(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, "neovim-0.7.2", init_options=OPTIONS) as (client, _):
        answer = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="tfguard.explainRule", arguments=["CKV_AWS_20"])
        )
        assert answer["ruleId"] == "aws-s3-no-public-acl" and answer["opened"] is False
        await wait_for(lambda: client.messages, what="a message")
        assert "aws-s3-no-public-acl" in client.messages[-1].message
        with pytest.raises(JsonRpcException, match="unknown rule"):
            await client.workspace_execute_command_async(
                types.ExecuteCommandParams(
                    command="tfguard.explainRule", arguments=["no-such-rule"]
                )
            )
