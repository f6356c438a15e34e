"""``tfguard lsp`` with one extra rule whose fix edits a second file, for the LSP fix tests.

The rule flags a string literal in ``secret`` of a ``test_thing`` resource; its fix replaces it
with ``var.<name>_secret`` and declares that variable at the end of the module's
``variables.tf`` (created when missing), built with the same ``Editor`` the real rules use.
Run as ``python extra_rule_server.py [tfguard lsp options]``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Module
from tfguard.rules import registry
from tfguard.rules.base import Context, Rule

RULE_ID = "test-literal-to-variable"


class LiteralToVariable(Rule):
    id = RULE_ID
    title = "A test_thing secret is a literal"
    severity = Severity.MEDIUM
    rationale = "Test rule: a literal secret ends up in version control."
    remediation = "Pass it in through a variable."
    bad_example = 'resource "test_thing" "a" {\n  secret = "x"\n}\n'
    good_example = 'resource "test_thing" "a" {\n  secret = var.a_secret\n}\n'
    fix_description = "Moves the literal to a new variable in variables.tf."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for entity in ctx.resources("test_thing"):
            attr = entity.attr("secret")
            if attr is not None and isinstance(ctx.value(attr.value), str):
                yield ctx.report(entity, attr, f"{entity.address}.secret is a literal")

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        entity = entity_for(module, finding)
        attr = entity.attr("secret") if entity is not None else None
        if entity is None or attr is None:
            return []
        editor = Editor(module)
        name = f"{entity.name}_secret"
        declaration = f'variable "{name}" {{\n  type      = string\n  sensitive = true\n}}\n'
        return [
            Fix(
                f"Move the secret to var.{name}",
                (
                    editor.replace_value(entity, attr, f"var.{name}"),
                    editor.append_to_file(
                        os.path.join(module.directory, "variables.tf"), declaration
                    ),
                ),
                preferred=True,
            )
        ]


def main() -> int:
    rules = (*registry.all_rules(), LiteralToVariable())
    registry.all_rules = lambda: rules  # type: ignore[assignment]
    from tfguard.lsp.server import main as serve

    return serve(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
