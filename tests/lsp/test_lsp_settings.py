"""Settings from initializationOptions, workspace/configuration and didChangeConfiguration."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from .helpers import (
    codes,
    copy_workspace,
    open_doc,
    running_server,
    settle,
    tracked,
    wait_for,
    wait_for_publish,
)

SG_RULE = "aws-ec2-no-public-ingress"


async def test_initialization_options(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    options = {
        "minimumSeverity": "critical",
        "severityMap": {"critical": "warning"},
        "workspaceScan": False,
    }
    async with running_server(root, init_options=options) as (client, _):
        sg = open_doc(client, root / "network" / "sg.tf")
        controls = open_doc(client, root / "storage" / "controls.tf")
        (diag,) = tracked((await wait_for_publish(client, sg, version=1)).diagnostics)
        assert diag.severity == types.DiagnosticSeverity.Warning
        assert codes((await wait_for_publish(client, controls, version=1)).diagnostics) == []
        assert client.messages == []


async def test_disabled_rules_accept_aliases(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    options = {"tfguard": {"disabledRules": ["CKV_AWS_24"], "workspaceScan": False}}
    async with running_server(root, "emacs-eglot-29.1", init_options=options) as (client, _):
        sg = open_doc(client, root / "network" / "sg.tf")
        assert codes((await wait_for_publish(client, sg, version=1)).diagnostics) == []


async def test_bad_settings_give_one_message_and_defaults(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    options = {
        "minimumSeverity": "urgent",
        "debounceMs": -5,
        "severityMap": {"high": "loud"},
        "workspaceScan": "yes",
        "disabledRules": "all",
    }
    async with running_server(root, init_options=options) as (client, _):
        sg = open_doc(client, root / "network" / "sg.tf")
        (diag,) = tracked((await wait_for_publish(client, sg, version=1)).diagnostics)
        assert diag.severity == types.DiagnosticSeverity.Error  # default map
        # workspaceScan fell back to true: closed files are scanned
        await wait_for_publish(client, (root / "storage" / "controls.tf").as_uri(), version=None)
        (message,) = client.messages
        assert message.type == types.MessageType.Warning
        for fragment in (
            "minimumSeverity",
            "debounceMs",
            "severityMap.high",
            "workspaceScan",
            "disabledRules",
        ):
            assert fragment in message.message


async def test_configuration_pull_and_change(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    configuration = {"tfguard": {"minimumSeverity": "critical", "workspaceScan": True}}
    async with running_server(root, "vscode-1.65", configuration=configuration) as (client, _):
        controls = (root / "storage" / "controls.tf").as_uri()
        sg = (root / "network" / "sg.tf").as_uri()
        # the scan respects the fetched configuration: the high finding is filtered
        (diag,) = tracked((await wait_for_publish(client, sg, version=None)).diagnostics)
        assert diag.code == SG_RULE
        assert not [p for p in client.published if p.uri == controls and codes(p.diagnostics)]
        registered = {r.method for r in client.registrations}
        assert types.WORKSPACE_DID_CHANGE_CONFIGURATION in registered

        count = len(client.published)
        client.set_configuration(
            {"tfguard": {"minimumSeverity": "info", "severityMap": {"critical": "hint"}}}
        )
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        again = await wait_for_publish(client, controls, version=None, since=count)
        assert codes(again.diagnostics) == ["aws-s3-no-public-acl"]
        hinted = await wait_for_publish(client, sg, since=count)
        assert tracked(hinted.diagnostics)[0].severity == types.DiagnosticSeverity.Hint

        count = len(client.published)
        client.set_configuration({"tfguard": {"workspaceScan": False}})
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        cleared = await wait_for_publish(client, controls, since=count)
        assert codes(cleared.diagnostics) == []


async def test_pushed_settings_for_clients_without_configuration(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, "neovim-0.7.2", init_options={"workspaceScan": False}) as (
        client,
        _,
    ):
        sg = open_doc(client, root / "network" / "sg.tf")
        await wait_for_publish(client, sg, version=1, predicate=lambda p: bool(p.diagnostics))
        count = len(client.published)
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"tfguard": {"disabledRules": [SG_RULE]}})
        )
        cleared = await wait_for_publish(client, sg, since=count)
        assert codes(cleared.diagnostics) == []
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"tfguard": {"debounceMs": "soon"}})
        )
        await wait_for(lambda: client.messages, what="a settings warning")
        assert "debounceMs" in client.messages[0].message
        await asyncio.sleep(0.1)
        assert len(client.messages) == 1


async def test_configuration_null_resets_an_initialization_option(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    options = {"minimumSeverity": "critical", "workspaceScan": False}
    configuration = {"tfguard": {"minimumSeverity": None, "workspaceScan": False}}
    async with running_server(
        root, "vscode-1.65", init_options=options, configuration=configuration
    ) as (client, _):
        controls = open_doc(client, root / "storage" / "controls.tf")
        published = await wait_for_publish(client, controls, version=1)
        assert codes(published.diagnostics) == ["aws-s3-no-public-acl"]  # high is shown again
        await settle(client)
        # analysis waited for the configuration: nothing was computed with the stale option
        assert [p.uri for p in client.published] == [controls]
