"""A change in one file of a module re-diagnoses the module's other files, open or closed."""

from __future__ import annotations

from pathlib import Path

from .helpers import change_doc, codes, copy_workspace, open_doc, running_server, wait_for_publish

RULE = "aws-ec2-no-public-ingress"


async def test_open_sibling_follows_a_variable_change(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    sg = root / "network" / "sg.tf"
    variables = root / "network" / "variables.tf"
    async with running_server(root, init_options={"workspaceScan": False, "debounceMs": 0}) as (
        client,
        _,
    ):
        sg_uri = open_doc(client, sg)
        await wait_for_publish(
            client, sg_uri, version=1, predicate=lambda p: codes(p.diagnostics) == [RULE]
        )
        var_uri = open_doc(client, variables)
        await wait_for_publish(client, var_uri, version=1)

        count = len(client.published)
        text = variables.read_text().replace('"0.0.0.0/0"', '"10.0.0.0/8"')
        change_doc(client, var_uri, text)
        # sg.tf was not edited: same version, new diagnostics
        cleared = await wait_for_publish(client, sg_uri, version=1, since=count)
        assert codes(cleared.diagnostics) == []

        count = len(client.published)
        change_doc(client, var_uri, variables.read_text())
        back = await wait_for_publish(client, sg_uri, version=1, since=count)
        assert codes(back.diagnostics) == [RULE]


async def test_closed_sibling_follows_when_the_workspace_is_scanned(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    sg = root / "network" / "sg.tf"
    variables = root / "network" / "variables.tf"
    async with running_server(root, init_options={"debounceMs": 0}) as (client, _):
        sg_uri = sg.as_uri()
        on_disk = await wait_for_publish(client, sg_uri, version=None)
        assert codes(on_disk.diagnostics) == [RULE]
        var_uri = open_doc(client, variables)
        count = len(client.published)
        change_doc(client, var_uri, variables.read_text().replace('"0.0.0.0/0"', '"10.0.0.0/8"'))
        cleared = await wait_for_publish(client, sg_uri, version=None, since=count)
        assert codes(cleared.diagnostics) == []
