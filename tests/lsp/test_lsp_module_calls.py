"""A finding a module call's arguments cause is shown on the argument in the caller, live: an
edit of the caller or of the called module re-diagnoses the caller."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from .helpers import change_doc, codes, open_doc, running_server, tracked, wait_for_publish

RULE = "aws-ec2-no-public-ingress"
CALLER = """module "sg" {
  source = "./modules/sg"
  cidrs  = ["0.0.0.0/0"]
}
"""
CHILD = """variable "cidrs" { type = list(string) }
resource "aws_security_group" "this" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.cidrs
  }
}
"""


def _workspace(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "live"
    (root / "modules" / "sg").mkdir(parents=True)
    (root / "main.tf").write_text(CALLER, encoding="utf-8")
    (root / "modules" / "sg" / "main.tf").write_text(CHILD, encoding="utf-8")
    return root / "main.tf", root / "modules" / "sg" / "main.tf"


def _on_argument(diagnostics: list[types.Diagnostic]) -> types.Diagnostic:
    (found,) = tracked(diagnostics)
    assert found.range.start == types.Position(line=2, character=2)
    assert found.range.end == types.Position(line=2, character=24)  # cidrs = ["0.0.0.0/0"]
    return found


async def test_an_open_range_passed_to_a_module_is_shown_on_the_argument(tmp_path: Path) -> None:
    caller, child = _workspace(tmp_path)
    options = {"workspaceScan": False, "debounceMs": 0}
    async with running_server(caller.parent, init_options=options) as (client, _):
        uri = open_doc(client, caller)
        first = await wait_for_publish(
            client, uri, version=1, predicate=lambda p: codes(p.diagnostics) == [RULE]
        )
        found = _on_argument(first.diagnostics)
        assert found.message.startswith("module.sg: aws_security_group.this allows ingress")
        assert found.related_information is not None
        assert found.related_information[0].location.uri == child.as_uri()
        assert found.related_information[0].location.range.start.line == 6  # cidr_blocks

        # The caller is edited to a private range: cleared as the user types.
        count = len(client.published)
        change_doc(client, uri, CALLER.replace("0.0.0.0/0", "10.0.0.0/8"))
        cleared = await wait_for_publish(client, uri, version=2, since=count)
        assert codes(cleared.diagnostics) == []

        count = len(client.published)
        change_doc(client, uri, CALLER)
        back = await wait_for_publish(client, uri, version=3, since=count)
        assert codes(back.diagnostics) == [RULE]


async def test_an_edit_of_the_called_module_rediagnoses_its_open_caller(tmp_path: Path) -> None:
    caller, child = _workspace(tmp_path)
    options = {"workspaceScan": False, "debounceMs": 0}
    async with running_server(caller.parent, init_options=options) as (client, _):
        caller_uri = open_doc(client, caller)
        await wait_for_publish(
            client, caller_uri, version=1, predicate=lambda p: codes(p.diagnostics) == [RULE]
        )
        child_uri = open_doc(client, child)
        await wait_for_publish(client, child_uri, version=1)

        # The module stops using the argument for the ingress range: the caller's finding
        # goes, although the caller was not edited (same version, new diagnostics).
        count = len(client.published)
        change_doc(client, child_uri, CHILD.replace("var.cidrs", '["10.0.0.0/8"]'))
        cleared = await wait_for_publish(client, caller_uri, version=1, since=count)
        assert codes(cleared.diagnostics) == []

        count = len(client.published)
        change_doc(client, child_uri, CHILD)
        back = await wait_for_publish(client, caller_uri, version=1, since=count)
        _on_argument(back.diagnostics)
