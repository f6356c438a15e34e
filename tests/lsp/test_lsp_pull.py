"""Push or pull, decided by the client's capabilities, never both."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types

from .helpers import (
    PULL_CLIENTS,
    PUSH_CLIENTS,
    change_doc,
    codes,
    copy_workspace,
    open_doc,
    running_server,
    wait_for,
    wait_for_publish,
)

RULE = "aws-ec2-no-public-ingress"


@pytest.mark.parametrize("client_name", PUSH_CLIENTS)
async def test_push_clients_get_published_diagnostics(tmp_path: Path, client_name: str) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, client_name) as (client, result):
        assert result.capabilities.diagnostic_provider is None
        uri = open_doc(client, root / "network" / "sg.tf")
        published = await wait_for_publish(client, uri, version=1)
        assert codes(published.diagnostics) == [RULE]


def _pull(client: object, uri: str, previous: str | None = None) -> object:
    return client.text_document_diagnostic_async(  # type: ignore[attr-defined]
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous
        )
    )


@pytest.mark.parametrize("client_name", PULL_CLIENTS)
async def test_pull_clients_pull_and_are_never_pushed_to(tmp_path: Path, client_name: str) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, client_name, init_options={"debounceMs": 50}) as (
        client,
        result,
    ):
        provider = result.capabilities.diagnostic_provider
        assert isinstance(provider, types.DiagnosticOptions)
        assert provider.inter_file_dependencies and provider.workspace_diagnostics
        sg = root / "network" / "sg.tf"
        uri = open_doc(client, sg)
        report = await _pull(client, uri)
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert codes(report.items) == [RULE]
        assert report.result_id

        same = await _pull(client, uri, report.result_id)
        assert isinstance(same, types.RelatedUnchangedDocumentDiagnosticReport)
        assert same.result_id == report.result_id

        change_doc(client, uri, sg.read_text().replace("[var.admin_cidr]", '["10.0.0.0/8"]'))
        fixed = await _pull(client, uri, report.result_id)  # answers for the new version
        assert isinstance(fixed, types.RelatedFullDocumentDiagnosticReport)
        assert codes(fixed.items) == []
        assert fixed.result_id != report.result_id
        await asyncio.sleep(0.3)
        assert client.published == []


async def test_workspace_pull_reports_closed_files(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, "vscode-pull") as (client, _):
        controls = (root / "storage" / "controls.tf").as_uri()

        async def closed_reports() -> dict[str, types.WorkspaceFullDocumentDiagnosticReport]:
            report = await client.workspace_diagnostic_async(
                types.WorkspaceDiagnosticParams(previous_result_ids=[])
            )
            return {
                item.uri: item
                for item in report.items
                if isinstance(item, types.WorkspaceFullDocumentDiagnosticReport)
            }

        found: dict[str, types.WorkspaceFullDocumentDiagnosticReport] = {}

        async def scanned() -> bool:
            found.update(await closed_reports())
            return controls in found

        for _ in range(200):
            if await scanned():
                break
            await asyncio.sleep(0.05)
        assert codes(found[controls].items) == ["aws-s3-no-public-acl"]
        assert codes(found[(root / "network" / "sg.tf").as_uri()].items) == [RULE]
        assert not any(".terraform" in uri for uri in found)

        previous = [
            types.PreviousResultId(uri=u, value=r.result_id or "") for u, r in found.items()
        ]
        again = await client.workspace_diagnostic_async(
            types.WorkspaceDiagnosticParams(previous_result_ids=previous)
        )
        assert all(
            isinstance(item, types.WorkspaceUnchangedDocumentDiagnosticReport)
            for item in again.items
        )


async def test_pull_client_is_asked_to_refresh_after_a_cross_file_change(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    options = {"workspaceScan": False, "debounceMs": 0}
    async with running_server(root, "vscode-pull", init_options=options) as (client, _):
        sg_uri = open_doc(client, root / "network" / "sg.tf")
        assert codes((await _pull(client, sg_uri)).items) == [RULE]  # type: ignore[attr-defined]
        variables = root / "network" / "variables.tf"
        var_uri = open_doc(client, variables)
        await _pull(client, var_uri)
        before = client.diagnostic_refresh_count
        change_doc(client, var_uri, variables.read_text().replace('"0.0.0.0/0"', '"10.0.0.0/8"'))
        await _pull(client, var_uri)
        await wait_for(
            lambda: client.diagnostic_refresh_count > before, what="a diagnostic refresh"
        )
        assert codes((await _pull(client, sg_uri)).items) == []  # type: ignore[attr-defined]
