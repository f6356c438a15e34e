"""Workspace scan with $/progress, the scan command, and files changed on disk."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from .helpers import (
    Client,
    codes,
    copy_workspace,
    open_doc,
    running_server,
    wait_for,
    wait_for_publish,
)

SG_RULE = "aws-ec2-no-public-ingress"


def _scan_reports(client: Client) -> list[list[object]]:
    return [v for k, v in client.progress_reports.items() if str(k).startswith("tfguard-scan-")]


def _watched(client: Client, path: Path, kind: types.FileChangeType) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=kind)])
    )


async def test_scan_reports_progress_and_closed_files(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, "vscode-1.65") as (client, _):
        reports = await wait_for(
            lambda: [
                r
                for r in _scan_reports(client)
                if r and isinstance(r[-1], types.WorkDoneProgressEnd)
            ],
            what="the end of the scan",
        )
        (events,) = reports
        begin, *middle, end = events
        assert isinstance(begin, types.WorkDoneProgressBegin) and begin.cancellable
        assert begin.title == "tfguard: scanning workspace"
        assert [type(e) for e in middle] == [types.WorkDoneProgressReport] * 3
        assert [e.percentage for e in middle] == [33, 66, 100]  # type: ignore[attr-defined]
        published = {p.uri: p for p in client.published}
        total = sum(len(p.diagnostics) for p in published.values())
        assert isinstance(end, types.WorkDoneProgressEnd)
        assert end.message == f"{total} findings in 3 modules"
        assert codes(published[(root / "network" / "sg.tf").as_uri()].diagnostics) == [SG_RULE]
        assert codes(published[(root / "storage" / "controls.tf").as_uri()].diagnostics) == [
            "aws-s3-no-public-acl"
        ]
        assert codes(published[(root / "broken" / "main.tf").as_uri()].diagnostics) == ["syntax"]
        assert all(p.version is None for p in published.values())
        assert not [uri for uri in published if "/.terraform/" in uri]

        summary = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="tfguard.scanWorkspace", arguments=[])
        )
        assert summary == {"modules": 3, "files": 5, "findings": total, "cancelled": False}
        assert len(_scan_reports(client)) == 2


async def test_closing_a_scanned_file_keeps_its_disk_findings(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    sg = root / "network" / "sg.tf"
    async with running_server(root, "neovim-0.7.2", init_options={"debounceMs": 0}) as (client, _):
        uri = open_doc(
            client, sg, text=sg.read_text().replace("[var.admin_cidr]", '["10.0.0.0/8"]')
        )
        await wait_for_publish(client, uri, version=1, predicate=lambda p: not p.diagnostics)
        count = len(client.published)
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        disk = await wait_for_publish(client, uri, since=count)
        assert disk.version is None and codes(disk.diagnostics) == [SG_RULE]


async def test_cancelling_the_scan(tmp_path: Path) -> None:
    root = tmp_path / "many"
    for index in range(400):
        module = root / f"m{index:03d}"
        module.mkdir(parents=True)
        (module / "main.tf").write_text(
            f'resource "aws_s3_bucket_acl" "b{index}" {{\n'
            f'  bucket = "b{index}"\n'
            '  acl    = "public-read"\n'
            "}\n"
        )
    async with running_server(root, "vscode-1.65") as (client, _):
        (token,) = await wait_for(
            lambda: [
                k
                for k, v in client.progress_reports.items()
                if str(k).startswith("tfguard-scan-") and len(v) >= 2
            ],
            what="the scan to report progress",
        )
        client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
        await wait_for(
            lambda: isinstance(client.progress_reports[token][-1], types.WorkDoneProgressEnd),
            what="the scan to end",
        )
        end = client.progress_reports[token][-1]
        assert isinstance(end, types.WorkDoneProgressEnd) and end.message == "cancelled"
        await asyncio.sleep(0.2)
        scanned = {p.uri for p in client.published}
        assert 0 < len(scanned) < 400


async def test_watched_files_refresh_open_documents(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    options = {"workspaceScan": False, "debounceMs": 0}
    async with running_server(root, "vscode-1.65", init_options=options) as (client, _):
        await wait_for(lambda: client.registrations, what="a capability registration")
        (watch,) = [
            r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        ]
        globs = [w["globPattern"] for w in watch.register_options["watchers"]]  # type: ignore[index]
        assert "**/*.tf" in globs and "**/.tfguard.hcl" in globs

        sg = open_doc(client, root / "network" / "sg.tf")
        await wait_for_publish(
            client, sg, version=1, predicate=lambda p: codes(p.diagnostics) == [SG_RULE]
        )

        variables = root / "network" / "variables.tf"  # e.g. a git checkout changes it
        variables.write_text(variables.read_text().replace('"0.0.0.0/0"', '"10.0.0.0/8"'))
        count = len(client.published)
        _watched(client, variables, types.FileChangeType.Changed)
        assert codes((await wait_for_publish(client, sg, since=count)).diagnostics) == []

        variables.write_text(variables.read_text().replace('"10.0.0.0/8"', '"0.0.0.0/0"'))
        count = len(client.published)
        _watched(client, variables, types.FileChangeType.Changed)
        assert codes((await wait_for_publish(client, sg, since=count)).diagnostics) == [SG_RULE]

        config = root / ".tfguard.hcl"
        config.write_text(f'rule "{SG_RULE}" {{\n  enabled = false\n}}\n')
        count = len(client.published)
        _watched(client, config, types.FileChangeType.Created)
        assert codes((await wait_for_publish(client, sg, since=count)).diagnostics) == []

        config.write_text('minimum_severity = "urgent"\n')
        count = len(client.published)
        _watched(client, config, types.FileChangeType.Changed)
        assert codes((await wait_for_publish(client, sg, since=count)).diagnostics) == [SG_RULE]
        await wait_for(lambda: client.messages, what="the configuration error")
        assert ".tfguard.hcl:1:" in client.messages[-1].message
        assert "using the default configuration" in client.messages[-1].message


async def test_deleted_files_lose_their_diagnostics(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    controls = root / "storage" / "controls.tf"
    async with running_server(root, "vscode-1.65") as (client, _):
        await wait_for_publish(client, controls.as_uri(), predicate=lambda p: bool(p.diagnostics))
        controls.unlink()
        count = len(client.published)
        _watched(client, controls, types.FileChangeType.Deleted)
        gone = await wait_for_publish(client, controls.as_uri(), since=count)
        assert codes(gone.diagnostics) == []


async def test_workspace_folders_can_change(tmp_path: Path) -> None:
    first = copy_workspace(tmp_path)
    second = tmp_path / "second" / "app"
    second.mkdir(parents=True)
    (second / "main.tf").write_text(
        'resource "aws_s3_bucket_acl" "second" {\n'
        '  bucket = "second"\n'
        '  acl    = "public-read"\n'
        "}\n"
    )
    async with running_server(first, "neovim-0.7.2") as (client, _):
        controls = (first / "storage" / "controls.tf").as_uri()
        await wait_for_publish(client, controls, predicate=lambda p: bool(codes(p.diagnostics)))
        count = len(client.published)
        client.workspace_did_change_workspace_folders(
            types.DidChangeWorkspaceFoldersParams(
                event=types.WorkspaceFoldersChangeEvent(
                    added=[
                        types.WorkspaceFolder(uri=(tmp_path / "second").as_uri(), name="second")
                    ],
                    removed=[types.WorkspaceFolder(uri=first.as_uri(), name=first.name)],
                )
            )
        )
        added = await wait_for_publish(client, (second / "main.tf").as_uri(), since=count)
        assert codes(added.diagnostics) == ["aws-s3-no-public-acl"]
        cleared = await wait_for_publish(client, controls, since=count)
        assert codes(cleared.diagnostics) == []
