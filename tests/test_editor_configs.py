"""The editor configurations in the README, read from the README itself.

Neovim's snippets run in the Neovim installed here when its version has the API they use
(the others are skipped, saying so). Helix's ``languages.toml``, Zed's settings and Sublime
Text's LSP settings cannot be run here: they are parsed and their keys checked against the
schema each editor documents, and the tfguard settings in every one of them against the
server's own parser.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tfguard.lsp.settings import KNOWN_KEYS, parse_settings

README = Path(__file__).resolve().parent.parent / "README.md"


def _section(heading: str) -> str:
    text = README.read_text()
    match = re.search(rf"^{re.escape(heading)}\n(.*?)(?=^#)", text, re.M | re.S)
    assert match, f"README.md has no section {heading!r}"
    return match.group(1)


def _block(heading: str, language: str) -> str:
    match = re.search(rf"```{language}\n(.*?)```", _section(heading), re.S)
    assert match, f"no {language} block under {heading!r}"
    return match.group(1)


def _valid_tfguard_settings(raw: Any) -> None:
    assert isinstance(raw, dict) and raw, raw
    assert set(raw.get("tfguard", raw)) <= KNOWN_KEYS, raw
    _, problems = parse_settings(raw, lambda rule: rule)
    assert problems == [], problems


# -- Helix -------------------------------------------------------------------------------------
# The keys Helix documents for a [language-server.NAME] table and a [[language]] entry
# (book/src/languages.md), and its built-in languages for Terraform files (languages.toml).
HELIX_SERVER_KEYS = {
    "command",
    "args",
    "config",
    "timeout",
    "environment",
    "required-root-patterns",
}
HELIX_LANGUAGE_KEYS = {
    "name", "language-id", "scope", "injection-regex", "file-types", "shebangs", "roots",
    "auto-format", "diagnostic-severity", "comment-tokens", "comment-token",
    "block-comment-tokens", "indent", "language-servers", "grammar", "formatter", "soft-wrap",
    "text-width", "rulers", "workspace-lsp-roots", "persistent-diagnostic-sources",
    "auto-pairs", "debugger", "path-completion", "word-completion",
}  # fmt: skip
HELIX_TERRAFORM_LANGUAGES = {"hcl", "tfvars"}
HELIX_BUILTIN_SERVERS = {"terraform-ls"}


def test_helix_languages_toml_matches_the_documented_schema() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads(_block("### Helix (`languages.toml`)", "toml"))
    assert set(config) == {"language-server", "language"}
    servers = config["language-server"]
    assert set(servers) == {"tfguard"}
    server = servers["tfguard"]
    assert set(server) <= HELIX_SERVER_KEYS, set(server) - HELIX_SERVER_KEYS
    assert (server["command"], server["args"]) == ("tfguard", ["lsp"])
    _valid_tfguard_settings(server["config"])  # sent as initializationOptions
    names = []
    for language in config["language"]:
        assert set(language) <= HELIX_LANGUAGE_KEYS, set(language) - HELIX_LANGUAGE_KEYS
        names.append(language["name"])
        listed = language["language-servers"]
        assert "tfguard" in listed
        assert set(listed) <= HELIX_BUILTIN_SERVERS | set(servers), listed
    assert sorted(names) == sorted(HELIX_TERRAFORM_LANGUAGES)


# -- Zed ---------------------------------------------------------------------------------------
# Zed's settings: "lsp": {NAME: {binary, initialization_options, settings}}, and per language
# "language_servers", where "..." stands for the language's other servers. Its Terraform
# extension names the languages "Terraform" and "Terraform Vars".
ZED_LSP_KEYS = {"binary", "initialization_options", "settings"}
ZED_LANGUAGES = {"Terraform", "Terraform Vars"}


def test_zed_settings_match_the_documented_schema() -> None:
    settings = json.loads(_block("### Zed", "json"))
    assert set(settings) == {"lsp", "languages"}
    server = settings["lsp"]["tfguard"]
    assert set(server) <= ZED_LSP_KEYS, set(server) - ZED_LSP_KEYS
    _valid_tfguard_settings(server["initialization_options"])
    _valid_tfguard_settings(server["settings"])
    assert set(settings["languages"]) <= ZED_LANGUAGES
    for language in settings["languages"].values():
        assert set(language) == {"language_servers"}
        assert "tfguard" in language["language_servers"]
        assert "..." in language["language_servers"]
    text = _section("### Zed")
    assert "[language_servers.tfguard]" in text and '"Terraform Vars"' in text


# -- Sublime Text ------------------------------------------------------------------------------
# The LSP package's client configuration keys (its "Client configuration" documentation).
SUBLIME_CLIENT_KEYS = {
    "enabled", "command", "selector", "priority_selector", "diagnostics_selector", "tcp_port",
    "env", "settings", "initializationOptions", "disabled_capabilities", "file_watcher",
    "schemes",
}  # fmt: skip


def test_sublime_lsp_settings_match_the_documented_schema() -> None:
    settings = json.loads(_block("### Sublime Text (LSP package)", "json"))
    client = settings["clients"]["tfguard"]
    assert set(client) <= SUBLIME_CLIENT_KEYS, set(client) - SUBLIME_CLIENT_KEYS
    assert client["command"] == ["tfguard", "lsp"]
    assert "source.terraform" in client["selector"]
    _valid_tfguard_settings(client["initializationOptions"])
    _valid_tfguard_settings(client["settings"])


# -- Neovim: the snippets run --------------------------------------------------------------------
DATABASE_TF = """\
resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "app"
  password          = var.db_password
}
"""
# Opens the file, waits for tfguard's diagnostics and reports what it saw.
CHECK_LUA = r"""
local function finish(result)
  local handle = assert(io.open(os.getenv("TFGUARD_RESULT"), "w"))
  handle:write(vim.fn.json_encode(result))
  handle:close()
  vim.cmd("qall!")
end
local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("TFGUARD_FILE")))
  local buf = vim.api.nvim_get_current_buf()
  local function codes()
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.source == "tfguard" then table.insert(found, d.code) end
    end
    return found
  end
  local seen = vim.wait(30000, function()
    return vim.tbl_contains(codes(), "aws-rds-backup-retention")
  end, 50)
  vim.wait(500)
  local clients = {}
  for _, c in pairs((vim.lsp.get_clients or vim.lsp.get_active_clients)()) do
    table.insert(clients, c.name)
  end
  local v = vim.version()
  finish({ ok = seen, codes = codes(), clients = clients, filetype = vim.bo.filetype,
           version = string.format("%d.%d.%d", v.major, v.minor, v.patch) })
end)
if not ok then finish({ ok = false, error = tostring(err) }) end
"""


def _nvim_version(nvim: str) -> tuple[int, int]:
    out = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=30).stdout
    match = re.search(r"NVIM v(\d+)\.(\d+)", out)
    assert match, out
    return int(match.group(1)), int(match.group(2))


def _run_nvim_snippet(tmp_path: Path, snippet: str, minimum: tuple[int, int]) -> dict[str, Any]:
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("nvim is not installed (.ci/run installs Debian's neovim package)")
    version = _nvim_version(nvim)
    if version < minimum:
        pytest.skip(f"this snippet needs Neovim {minimum[0]}.{minimum[1]}+; here: {version}")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "tfguard"  # the snippet's `tfguard`: this checkout's server, isolated
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -I -m tfguard "$@"\n')
    wrapper.chmod(0o755)
    (tmp_path / "init.lua").write_text(snippet)
    (tmp_path / "check.lua").write_text(CHECK_LUA)
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "main.tf").write_text(DATABASE_TF)
    result = tmp_path / "result.json"
    env = dict(
        os.environ,
        PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        TFGUARD_FILE=str(tmp_path / "ws" / "main.tf"),
        TFGUARD_RESULT=str(result),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    completed = subprocess.run(
        [nvim, "--headless", "-n", "-i", "NONE", "-u", str(tmp_path / "init.lua"),
         "-c", f"luafile {tmp_path / 'check.lua'}"],
        env=env, cwd=tmp_path / "ws", stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=90,
    )  # fmt: skip
    assert result.exists(), f"nvim wrote no result ({completed.returncode}): {completed.stderr}"
    outcome: dict[str, Any] = json.loads(result.read_text())
    assert outcome["ok"], outcome
    return outcome


def test_neovim_start_client_snippet_runs(tmp_path: Path) -> None:
    snippet = _block("### Neovim 0.7 – 0.10 (`vim.lsp.start_client`)", "lua")
    outcome = _run_nvim_snippet(tmp_path, snippet, (0, 7))
    assert outcome["clients"] == ["tfguard"]
    assert outcome["filetype"] == "terraform"
    # init_options minimumSeverity = "low": the file's two info findings stay hidden.
    assert "aws-rds-backup-retention" in outcome["codes"]  # low
    assert "aws-rds-copy-tags-to-snapshot" not in outcome["codes"]  # info


def test_neovim_lsp_config_snippet_runs(tmp_path: Path) -> None:
    snippet = _block("### Neovim 0.11+ (`vim.lsp.config` / `vim.lsp.enable`)", "lua")
    outcome = _run_nvim_snippet(tmp_path, snippet, (0, 11))
    assert outcome["clients"] == ["tfguard"]
    assert "aws-rds-backup-retention" in outcome["codes"]
    assert "aws-rds-copy-tags-to-snapshot" not in outcome["codes"]
