from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from tfguard.findings import Finding, Severity
from tfguard.project import ProjectFiles
from tfguard.rules.base import Context, Rule
from tfguard.rules.terraform._common import anchor_entity

STATE_NAME = re.compile(r"\.tfstate(?:\.\d+)?(?:\.backup)?$")
WORKSPACES_DIR = "terraform.tfstate.d"
BACKEND_CACHE = os.path.join(".terraform", "terraform.tfstate")


@dataclass(frozen=True, slots=True)
class StateFile:
    rel: str  # relative to the module directory, "/"-separated
    path: str
    backend_cache: bool = False


def state_files(files: ProjectFiles) -> list[StateFile]:
    """State files git could pick up in a module directory: ``*.tfstate``, ``*.tfstate.backup``
    and timestamped backups, local workspace states, and the backend settings cache."""
    directory = files.directory
    found: list[StateFile] = []
    for name, is_dir in files.list_dir():
        if not is_dir and STATE_NAME.search(name):
            found.append(StateFile(name, os.path.join(directory, name)))
        elif is_dir and name == WORKSPACES_DIR:
            found.extend(_workspace_states(files))
    if files.is_file(BACKEND_CACHE):
        cache = os.path.join(directory, BACKEND_CACHE)
        found.append(StateFile(".terraform/terraform.tfstate", cache, backend_cache=True))
    return found


def _workspace_states(files: ProjectFiles) -> Iterator[StateFile]:
    for workspace, is_dir in files.list_dir(WORKSPACES_DIR):
        if not is_dir:
            continue
        for name, _ in files.list_dir(os.path.join(WORKSPACES_DIR, workspace)):
            if STATE_NAME.search(name):
                yield StateFile(
                    f"{WORKSPACES_DIR}/{workspace}/{name}",
                    os.path.join(files.directory, WORKSPACES_DIR, workspace, name),
                )


class StateFileInWorkspace(Rule):
    id = "terraform-state-file-in-workspace"
    title = "State file in the configuration directory is not ignored by git"
    severity = Severity.HIGH
    rationale = (
        "A terraform.tfstate holds every attribute of every resource in clear text, "
        "including generated passwords, private keys and tokens. A state file next to the "
        "configuration that no .gitignore excludes is one git add away from the repository "
        "and its history, where every clone and fork keeps it; one already in the git index "
        "is already committed."
    )
    remediation = (
        "Keep state in a remote backend with encryption and locking. Add *.tfstate, "
        "*.tfstate.* and .terraform/ to the repository's .gitignore. If the file is already "
        "tracked, run git rm --cached on it, rotate every secret it contains and purge it "
        "from history."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/state/sensitive-data",
        "https://git-scm.com/docs/gitignore",
    )
    aliases = ()
    bad_example = """
terraform {
  required_version = ">= 1.10"
}

# file: .git/HEAD
ref: refs/heads/main

# file: terraform.tfstate
{"version": 4, "terraform_version": "1.10.0", "serial": 1, "resources": []}
"""
    good_example = """
terraform {
  required_version = ">= 1.10"
}

# file: .git/HEAD
ref: refs/heads/main

# file: .gitignore
.terraform/
*.tfstate
*.tfstate.*

# file: terraform.tfstate
{"version": 4, "terraform_version": "1.10.0", "serial": 1, "resources": []}
"""
    fix_description = (
        "No automatic fix: the change belongs to .gitignore and, for a committed file, to "
        "git's index (git rm --cached) and the secrets in the state (rotation), none of them "
        "configuration tfguard edits. Add *.tfstate and *.tfstate.* to .gitignore."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        files = state_files(module.project)
        if not files:
            return
        anchor = anchor_entity(module)
        if anchor is None:
            return
        entity, at = anchor
        repo = module.project.repository()
        matcher = module.project.ignore_matcher()
        tracked = module.project.tracked_paths()
        root = repo.root if repo is not None else os.path.abspath(module.directory)
        for state in files:
            rel = os.path.relpath(state.path, root).replace(os.sep, "/")
            what = (
                f"the backend settings cache {state.rel} (it holds the backend credentials)"
                if state.backend_cache
                else f"the state file {state.rel}"
            )
            data = {"stateFile": state.rel, "repositoryPath": rel, "inRepository": repo is not None}
            if rel in tracked:
                yield ctx.report(
                    entity,
                    at,
                    f"{what} is committed to git (it is in the index): remove it with git rm "
                    "--cached and rotate the secrets it holds",
                    severity=Severity.CRITICAL,
                    data={**data, "tracked": True},
                )
                continue
            if matcher.ignored_by(rel) is not None:
                continue
            where = (
                "no .gitignore or .git/info/exclude rule ignores it"
                if repo is not None
                else "the directory is not in a git repository yet and its .gitignore does "
                "not ignore it"
            )
            yield ctx.report(
                entity,
                at,
                f"{what} sits next to the configuration and {where}: a git add would commit "
                "every secret in the state",
                data={**data, "tracked": False},
            )
