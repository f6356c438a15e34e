"""window/logMessage follows --log-level and $/setTrace; analysis timings at debug level."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .helpers import copy_workspace, open_doc, running_server, wait_for, wait_for_publish

OPTIONS = {"workspaceScan": False, "debounceMs": 0}


def _timings(messages: list[types.LogMessageParams]) -> list[str]:
    return [m.message for m in messages if m.message.startswith("analysed ")]


async def test_debug_level_logs_analysis_timings(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, init_options=OPTIONS, log_level="debug") as (client, _):
        uri = open_doc(client, root / "network" / "sg.tf")
        await wait_for_publish(client, uri, version=1)
        (line,) = await wait_for(lambda: _timings(client.log_messages), what="a timing log")
        assert "network: 2 files, 1 findings, engine" in line and line.endswith(" ms")
        assert all(
            m.type == types.MessageType.Log for m in client.log_messages if m.message == line
        )


async def test_set_trace_raises_and_lowers_the_level(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    async with running_server(root, init_options=OPTIONS, log_level="warning") as (client, _):
        sg = open_doc(client, root / "network" / "sg.tf")
        await wait_for_publish(client, sg, version=1)
        assert _timings(client.log_messages) == []

        client.set_trace(types.SetTraceParams(value=types.TraceValue.Verbose))
        controls = open_doc(client, root / "storage" / "controls.tf")
        await wait_for_publish(client, controls, version=1)
        await wait_for(lambda: _timings(client.log_messages), what="a timing log")

        client.set_trace(types.SetTraceParams(value=types.TraceValue.Off))
        count = len(_timings(client.log_messages))
        buckets = open_doc(client, root / "storage" / "buckets.tf")
        await wait_for_publish(client, buckets, version=1)
        assert len(_timings(client.log_messages)) == count
