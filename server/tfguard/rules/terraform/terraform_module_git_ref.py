from __future__ import annotations

import re
from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.editing import comment_above, on_own_lines, plain_string, quoted
from tfguard.rules.terraform._fixhelp import checked_out_commit, git_address
from tfguard.rules.terraform._modules import module_sources
from tfguard.rules.terraform._sources import ref_kind

# The ref= parameter of a source, up to the next parameter or a //subdir after the query.
_REF_PARAM = re.compile(r"([?&])ref=((?:(?!//)[^&])*)")

# ref kind → (severity, what the message says about it)
REF_SEVERITY: dict[str, tuple[Severity, str]] = {
    "branch": (Severity.HIGH, "a branch, which moves with every push"),
    "name": (Severity.MEDIUM, "a branch or tag name, which can be moved to other code"),
    "tag": (Severity.MEDIUM, "a tag, which its owner can move to other code"),
    "short-sha": (Severity.LOW, "an abbreviated commit id, which may become ambiguous"),
}


class ModuleGitRef(Rule):
    id = "terraform-module-git-ref"
    title = "Git module source is not pinned to a commit"
    severity = Severity.HIGH
    rationale = (
        "A git module source without ?ref= follows the default branch, and a branch or tag "
        "ref can be moved to other code by anyone who can push to that repository. Whatever "
        "is there at the next terraform init runs with your credentials and shapes your "
        "infrastructure. Only a full commit SHA names fixed content."
    )
    remediation = (
        "Pin the source to a full 40-character commit SHA (?ref=<sha>), noting the release "
        "in a comment, and update it deliberately (Renovate and Dependabot can bump SHA "
        "pins). A version tag is better than a branch but can still be re-pointed."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/modules/sources#selecting-a-revision",
        "https://developer.hashicorp.com/terraform/language/modules/sources#generic-git-repository",
    )
    aliases = ("CKV_TF_1", "CKV_TF_2")
    bad_example = """
module "network" {
  source = "git::https://github.com/acme/terraform-network.git?ref=main"
}

# file: .terraform/modules/modules.json
{"Modules": [
  {"Key": "", "Source": "", "Dir": "."},
  {"Key": "network", "Source": "git::https://github.com/acme/terraform-network.git?ref=main",
   "Dir": ".terraform/modules/network"}
]}

# file: .terraform/modules/network/.git/HEAD
5d4a3f0c9b8e7d6c5b4a39281706f5e4d3c2b1a0
"""
    good_example = """
module "network" {
  # v2.4.0
  source = "git::https://github.com/acme/terraform-network.git?ref=5d4a3f0c9b8e7d6c5b4a39281706f5e4d3c2b1a0"
}
"""
    fix_description = (
        "Pins ?ref= to the full commit SHA that terraform init checked out, read from the "
        "module's .git directory under .terraform/modules (nothing changes until you move "
        "it), with a comment naming the ref it replaces. No fix when init has not installed "
        "this exact source, when the source is built from expressions, or when it asks for a "
        "shallow clone (depth=), which cannot fetch a commit by id: resolving a branch or "
        "tag otherwise needs the remote repository."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call in module_sources(ctx.module):
            if call.source.kind != "git":
                continue
            ref = call.source.param("ref")
            if not ref:
                yield ctx.report(
                    call.entity,
                    call.attribute,
                    f"{call.entity.address} takes its source from git without ?ref=: it "
                    "follows the default branch",
                    data={"source": call.source.text, "ref": None, "refKind": "missing"},
                )
                continue
            kind = ref_kind(ref)
            if kind == "sha":
                continue
            severity, what = REF_SEVERITY[kind]
            yield ctx.report(
                call.entity,
                call.attribute,
                f'{call.entity.address} pins its git source to ref "{ref}", {what}; pin a '
                "full commit SHA",
                severity=severity,
                data={"source": call.source.text, "ref": ref, "refKind": kind},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        call = entity_for(module, finding)
        source = call.attr("source") if call is not None and call.kind == "module" else None
        if call is None or source is None:
            return []
        text = plain_string(source.value)
        if text is None:
            return []
        configured = git_address(text)
        if "depth" in configured.query:
            return []  # a shallow clone takes a branch or tag name, not a commit id
        installed = module.project.installed_modules().get(call.name)
        if installed is None or not configured.same_package(git_address(installed.source)):
            return []  # init has not installed this source (yet)
        sha = checked_out_commit(module.project, installed.dir)
        ref = configured.ref
        if sha is None or (
            ref is not None and ref_kind(ref) == "short-sha" and not sha.startswith(ref.lower())
        ):
            return []
        pinned = _with_ref(text, sha)
        if pinned is None:
            return []
        editor = Editor(module)
        edits = [editor.replace_value(call, source, quoted(pinned))]
        what = f'ref "{ref}"' if ref else "the default branch"
        if on_own_lines(editor, call, source):
            line = call.abs(source.range).start.line
            note = f"was {what}; pinned to the commit terraform init installed"
            edits.insert(0, comment_above(editor, call, line, [note]))
        return [
            Fix(
                f"Pin {call.address} to commit {sha[:12]}, which terraform init installed for "
                f"{what} (run terraform init again)",
                tuple(edits),
                applicability="safe",
            )
        ]


def _with_ref(source: str, sha: str) -> str | None:
    found = list(_REF_PARAM.finditer(source))
    if len(found) > 1:
        return None
    if found:
        m = found[0]
        return f"{source[: m.start()]}{m.group(1)}ref={sha}{source[m.end() :]}"
    query = source.find("?")
    if query < 0:
        return f"{source}?ref={sha}"
    if "//" in source[query:]:
        return None  # the query comes before a //subdir: leave it to the user
    return f"{source}&ref={sha}"
