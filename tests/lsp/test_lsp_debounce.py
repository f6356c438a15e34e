"""Debounce and cancellation: rapid edits end with diagnostics for the final version only."""

from __future__ import annotations

from pathlib import Path

from .helpers import (
    change_doc,
    codes,
    copy_workspace,
    open_doc,
    running_server,
    settle,
    wait_for_publish,
)

RULE = "aws-ec2-no-public-ingress"
OPEN = '"0.0.0.0/0"'
CLOSED = '"10.0.0.0/8"'


def _texts(template: str, count: int) -> list[str]:
    # Odd edits open the group to the internet, even edits close it again.
    return [
        template.replace("[var.admin_cidr]", f"[{OPEN if i % 2 else CLOSED}]")
        for i in range(1, count + 1)
    ]


async def test_rapid_edits_publish_only_the_final_version(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    sg = root / "network" / "sg.tf"
    options = {"workspaceScan": False, "debounceMs": 400}
    async with running_server(root, init_options=options) as (client, _):
        uri = open_doc(client, sg)
        await wait_for_publish(client, uri, version=1)
        count = len(client.published)
        texts = _texts(sg.read_text(), 9)
        versions = [change_doc(client, uri, text) for text in texts]
        final = await wait_for_publish(client, uri, version=versions[-1], since=count)
        assert codes(final.diagnostics) == [RULE]  # the 9th edit opens the group
        await settle(client)
        later = [p.version for p in client.published[count:] if p.uri == uri]
        assert later == [versions[-1]], f"published for superseded versions: {later}"


async def test_without_debounce_every_publish_matches_its_version(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    sg = root / "network" / "sg.tf"
    options = {"workspaceScan": False, "debounceMs": 0}
    async with running_server(root, init_options=options) as (client, _):
        uri = open_doc(client, sg)
        await wait_for_publish(client, uri, version=1)
        count = len(client.published)
        texts = _texts(sg.read_text(), 40)
        versions = [change_doc(client, uri, text) for text in texts]
        await wait_for_publish(client, uri, version=versions[-1], since=count)
        await settle(client)
        seen = [p for p in client.published[count:] if p.uri == uri]
        assert seen[-1].version == versions[-1]
        numbers = [p.version for p in seen]
        assert numbers == sorted(set(numbers)), f"versions out of order or repeated: {numbers}"
        for params in seen:
            assert params.version is not None
            expected = [RULE] if texts[params.version - 2].count(OPEN) else []
            assert codes(params.diagnostics) == expected, (
                f"stale result published for v{params.version}"
            )
