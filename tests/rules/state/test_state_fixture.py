"""The state, backend and OpenTofu encryption rules on realistic multi-file projects."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from tfguard.engine import Engine, ModuleResult, fixes_for
from tfguard.findings import Finding, Severity

HERE = Path(__file__).parent

STATE_RULES = frozenset(
    {
        "terraform-backend-s3-encryption",
        "terraform-backend-s3-kms-key",
        "terraform-backend-s3-locking",
        "terraform-backend-static-credentials",
        "terraform-backend-plain-http",
        "terraform-backend-literal-encryption-key",
        "aws-s3-state-bucket-secure-transport",
        "opentofu-encryption-unencrypted",
        "opentofu-encryption-fallback",
        "opentofu-encryption-not-enforced",
        "opentofu-encryption-passphrase",
        "terraform-state-file-in-workspace",
    }
)


def analyze(directory: Path) -> ModuleResult:
    return Engine().analyze_module(str(directory))


def mine(result: ModuleResult) -> list[Finding]:
    return [f for f in result.all_findings() if f.rule_id in STATE_RULES]


def located(findings: list[Finding]) -> set[tuple[str, str, int]]:
    return {(f.rule_id, Path(f.path).name, f.range.start.line) for f in findings}


def copy_project(name: str, target: Path) -> Path:
    shutil.copytree(HERE / name, target)
    return target


# -- the insecure Terraform project ------------------------------------------------------------


def test_insecure_project_exact_findings() -> None:
    result = analyze(HERE / "insecure")
    assert result.rule_errors == []
    assert located(mine(result)) == {
        # backend.tf: no encrypt, no kms_key_id, no lock (anchored on the backend header)
        ("terraform-backend-s3-encryption", "backend.tf", 2),
        ("terraform-backend-s3-kms-key", "backend.tf", 2),
        ("terraform-backend-s3-locking", "backend.tf", 2),
        # literal access_key / secret_key, anchored on each attribute
        ("terraform-backend-static-credentials", "backend.tf", 6),
        ("terraform-backend-static-credentials", "backend.tf", 7),
        # endpoints = { s3 = "http://..." }: the object item is the anchor
        ("terraform-backend-plain-http", "backend.tf", 10),
        # address from terraform.tfvars (the variable default is https)
        ("terraform-backend-plain-http", "remote_state.tf", 3),
        ("terraform-backend-literal-encryption-key", "remote_state.tf", 20),
        # the bucket named by a local in bucket.tf is the backend's bucket; its policy in
        # policy.tf is linked by literal name and has no TLS deny
        ("aws-s3-state-bucket-secure-transport", "policy.tf", 15),
    }


def test_messages_severities_and_related_locations() -> None:
    findings = {
        (f.rule_id, Path(f.path).name, f.range.start.line): f
        for f in mine(analyze(HERE / "insecure"))
    }
    locking = findings[("terraform-backend-s3-locking", "backend.tf", 2)]
    # required_version ">= 1.5.0" admits releases without use_lockfile: the advice says so
    assert '">= 1.5.0"' in locking.message and "dynamodb_table" in locking.message
    assert locking.data["suggest"] == "use_lockfile"

    creds = findings[("terraform-backend-static-credentials", "backend.tf", 6)]
    assert creds.severity is Severity.CRITICAL
    assert "access_key" in creds.message and "AKIA" not in creds.message

    http = findings[("terraform-backend-plain-http", "remote_state.tf", 3)]
    assert "data.terraform_remote_state.network" in http.message
    assert "http://state.acme.internal" in http.message

    tls = findings[("aws-s3-state-bucket-secure-transport", "policy.tf", 15)]
    assert "aws_s3_bucket.state" in tls.message and "acme-prod-tfstate" in tls.message
    assert [(Path(r.path).name, r.range.start.line) for r in tls.related] == [("bucket.tf", 0)]
    assert tls.data["address"] == "aws_s3_bucket_policy.state"


def test_unknown_and_loopback_endpoints_stay_silent() -> None:
    messages = " ".join(f.message for f in mine(analyze(HERE / "insecure")))
    assert "data.terraform_remote_state.dns" not in messages  # var without a value
    assert "localhost" not in messages  # loopback is not on the network
    assert "aws_s3_bucket.artifacts" not in messages  # not a state bucket


def test_tfvars_decides_the_remote_state_address(tmp_path: Path) -> None:
    project = copy_project("insecure", tmp_path / "p")
    (project / "terraform.tfvars").unlink()
    found = located(mine(analyze(project)))
    assert ("terraform-backend-plain-http", "remote_state.tf", 3) not in found
    assert ("terraform-backend-plain-http", "backend.tf", 10) in found


def test_partial_backend_configuration_is_not_judged(tmp_path: Path) -> None:
    (tmp_path / "backend.tf").write_text('terraform {\n  backend "s3" {}\n}\n')
    assert mine(analyze(tmp_path)) == []


def test_unknown_lock_and_encrypt_values_stay_silent(tmp_path: Path) -> None:
    (tmp_path / "backend.tf").write_text(
        "terraform {\n"
        '  backend "s3" {\n'
        '    bucket       = "b"\n'
        '    key          = "k"\n'
        "    encrypt      = var.encrypt\n"
        "    kms_key_id   = var.kms\n"
        "    use_lockfile = var.lock\n"
        "  }\n"
        "}\n"
    )
    assert mine(analyze(tmp_path)) == []


def test_state_bucket_with_inline_jsonencode_deny_is_clean(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "tfstate" {\n'
        '  bucket_prefix = "acme-tfstate-"\n'
        "}\n"
        'resource "aws_s3_bucket_policy" "tfstate" {\n'
        "  bucket = aws_s3_bucket.tfstate.id\n"
        "  policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [{\n"
        '      Effect    = "Deny"\n'
        '      Principal = "*"\n'
        '      Action    = "s3:*"\n'
        '      Resource  = ["${aws_s3_bucket.tfstate.arn}/*"]\n'
        '      Condition = { Bool = { "aws:SecureTransport" = "false" } }\n'
        "    }]\n"
        "  })\n"
        "}\n"
    )
    assert mine(analyze(tmp_path)) == []
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "tfstate" {}\n')
    [finding] = mine(analyze(tmp_path))
    assert finding.rule_id == "aws-s3-state-bucket-secure-transport"
    assert "no bucket policy" in finding.message


# -- the OpenTofu project ----------------------------------------------------------------------


def test_opentofu_project_exact_findings() -> None:
    result = analyze(HERE / "opentofu")
    assert [Path(p).name for p in result.files] == [
        "main.tofu",
        "remote.tofu",
        "secrets.auto.tfvars",
        "variables.tofu",
    ]  # main.tf is shadowed by main.tofu
    assert located(mine(result)) == {
        # var.state_passphrase: a committed default, and 15 characters
        ("opentofu-encryption-passphrase", "main.tofu", 5),
        # literal passphrase
        ("opentofu-encryption-passphrase", "main.tofu", 8),
        # var.remote_passphrase from secrets.auto.tfvars: 8 characters
        ("opentofu-encryption-passphrase", "main.tofu", 20),
        ("opentofu-encryption-not-enforced", "main.tofu", 31),  # state {} without enforced
        ("opentofu-encryption-unencrypted", "main.tofu", 33),  # fallback to unencrypted
        ("opentofu-encryption-not-enforced", "main.tofu", 40),  # plan: enforced = false
        ("opentofu-encryption-fallback", "main.tofu", 41),  # fallback to the old key
    }


def test_opentofu_messages_and_severities() -> None:
    by_line = {f.range.start.line: f for f in mine(analyze(HERE / "opentofu"))}
    assert "written in the code (the default of var.state_passphrase)" in by_line[5].message
    assert "15 characters" in by_line[5].message
    assert "written in the configuration" in by_line[8].message
    assert "8 characters" in by_line[20].message and "written" not in by_line[20].message
    assert by_line[31].severity is Severity.MEDIUM
    assert by_line[40].severity is Severity.LOW  # plan files: lower than state
    assert by_line[33].severity is Severity.MEDIUM  # a fallback, not the main method
    assert by_line[41].severity is Severity.LOW


def test_unencrypted_main_method_is_high(tmp_path: Path) -> None:
    (tmp_path / "main.tofu").write_text(
        "terraform {\n"
        "  encryption {\n"
        '    method "unencrypted" "off" {}\n'
        "    state {\n"
        "      method   = method.unencrypted.off\n"
        "      enforced = true\n"
        "    }\n"
        "    plan {\n"
        "      method   = method.unencrypted.off\n"
        "      enforced = true\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    found = [f for f in mine(analyze(tmp_path)) if f.rule_id == "opentofu-encryption-unencrypted"]
    assert [(f.range.start.line, f.severity) for f in found] == [
        (4, Severity.HIGH),
        (8, Severity.HIGH),
    ]


# -- hardened configurations -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["hardened", "hardened_tofu"])
def test_hardened_projects_are_clean(name: str) -> None:
    result = analyze(HERE / name)
    assert result.rule_errors == []
    assert mine(result) == []
    # The whole rule pack agrees: a hardened state setup raises nothing at all.
    assert [(f.rule_id, Path(f.path).name, f.message) for f in result.all_findings()] == []


# -- state files in the workspace --------------------------------------------------------------

STATE = '{"version": 4, "serial": 3, "resources": []}\n'


def index_v2(paths: list[str]) -> bytes:
    """A minimal git index (version 2) listing ``paths``."""
    out = bytearray(b"DIRC" + struct.pack(">II", 2, len(paths)))
    for path in sorted(paths):
        name = path.encode()
        entry = bytes(40) + bytes(20) + struct.pack(">H", min(len(name), 0xFFF)) + name
        entry += b"\x00" * (8 - len(entry) % 8)
        out += entry
    return bytes(out + bytes(20))


def state_repo(tmp_path: Path, gitignore: str) -> Path:
    """A repository with the insecure project at live/prod and some state files in it."""
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / ".gitignore").write_text(gitignore)
    module = copy_project("insecure", tmp_path / "live" / "prod")
    (module / "terraform.tfstate").write_text(STATE)
    (module / "terraform.tfstate.backup").write_text(STATE)
    (module / "terraform.tfstate.d" / "staging").mkdir(parents=True)
    (module / "terraform.tfstate.d" / "staging" / "terraform.tfstate").write_text(STATE)
    (module / ".terraform").mkdir()
    (module / ".terraform" / "terraform.tfstate").write_text(STATE)
    return module


def state_findings(module: Path) -> list[Finding]:
    return [
        f
        for f in analyze(module).all_findings()
        if f.rule_id == "terraform-state-file-in-workspace"
    ]


def test_state_files_not_ignored_are_reported_on_the_terraform_block(tmp_path: Path) -> None:
    module = state_repo(tmp_path, ".terraform/\n*.tfstate\n")
    findings = state_findings(module)
    # Only the backup escapes "*.tfstate"; the workspace state and the cache are ignored.
    assert [f.data["stateFile"] for f in findings] == ["terraform.tfstate.backup"]
    [finding] = findings
    # The first terraform block (backend.tf sorts before versions.tf), on its header.
    assert (Path(finding.path).name, finding.range.start.line) == ("backend.tf", 1)
    assert "terraform.tfstate.backup" in finding.message
    assert finding.severity is Severity.HIGH
    assert finding.data["repositoryPath"] == "live/prod/terraform.tfstate.backup"


def test_nothing_ignored_reports_every_state_file(tmp_path: Path) -> None:
    module = state_repo(tmp_path, "# nothing yet\n")
    assert sorted(f.data["stateFile"] for f in state_findings(module)) == [
        ".terraform/terraform.tfstate",
        "terraform.tfstate",
        "terraform.tfstate.backup",
        "terraform.tfstate.d/staging/terraform.tfstate",
    ]


def test_nested_gitignore_negation_and_directory_rules(tmp_path: Path) -> None:
    module = state_repo(tmp_path, ".terraform/\n*.tfstate*\n")
    assert state_findings(module) == []
    # A deeper .gitignore re-includes the backup: the last matching rule wins.
    (module / ".gitignore").write_text("!*.backup\n")
    assert [f.data["stateFile"] for f in state_findings(module)] == ["terraform.tfstate.backup"]
    # A file inside an ignored directory cannot be re-included.
    (tmp_path / ".gitignore").write_text("/live/\n")
    assert state_findings(module) == []
    # Anchored patterns only match from their own directory.
    (tmp_path / ".gitignore").write_text("/terraform.tfstate*\n.terraform/\n")
    (module / ".gitignore").unlink()
    assert len(state_findings(module)) == 3


def test_info_exclude_counts(tmp_path: Path) -> None:
    module = state_repo(tmp_path, "")
    (tmp_path / ".git" / "info" / "exclude").write_text("**/*.tfstate*\n.terraform\n")
    assert state_findings(module) == []


def test_tracked_state_file_is_critical_even_when_ignored(tmp_path: Path) -> None:
    module = state_repo(tmp_path, ".terraform/\n*.tfstate*\n")
    (tmp_path / ".git" / "index").write_bytes(
        index_v2(["live/prod/main.tf", "live/prod/terraform.tfstate"])
    )
    [finding] = state_findings(module)
    assert finding.severity is Severity.CRITICAL
    assert finding.data["tracked"] is True
    assert "committed to git" in finding.message


def test_outside_a_repository_only_the_module_gitignore_counts(tmp_path: Path) -> None:
    module = copy_project("insecure", tmp_path / "work")
    (module / "terraform.tfstate").write_text(STATE)
    [finding] = state_findings(module)
    assert finding.data["inRepository"] is False
    assert "not in a git repository" in finding.message
    (module / ".gitignore").write_text("*.tfstate\n")
    assert state_findings(module) == []


def test_module_without_terraform_block_anchors_on_its_first_block(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "b.tf").write_text('\n\nresource "aws_sqs_queue" "q" {}\n')
    (tmp_path / "a.tf").write_text("# only a comment\n")
    (tmp_path / "prod.tfstate").write_text(STATE)
    [finding] = state_findings(tmp_path)
    assert (Path(finding.path).name, finding.range.start.line) == ("b.tf", 2)
    (tmp_path / "b.tf").write_text("# nothing\n")
    [finding] = state_findings(tmp_path)
    assert (Path(finding.path).name, finding.range.start.line) == ("a.tf", 0)


def test_hardened_project_with_ignored_state_is_clean(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text(".terraform/\n*.tfstate\n*.tfstate.*\n")
    module = copy_project("hardened", tmp_path / "stacks" / "app")
    (module / "terraform.tfstate").write_text(STATE)
    (module / "terraform.tfstate.1700000000.backup").write_text(STATE)
    assert mine(analyze(module)) == []


# -- quick fixes -------------------------------------------------------------------------------


def test_fixes_only_where_the_change_is_safe() -> None:
    result = analyze(HERE / "insecure")
    by_key = {(f.rule_id, Path(f.path).name, f.range.start.line): f for f in mine(result)}

    def titles(key: tuple[str, str, int]) -> list[str]:
        return [fix.title for fix in fixes_for(result, by_key[key])]

    assert titles(("terraform-backend-s3-encryption", "backend.tf", 2)) == [
        "Set encrypt = true in the S3 backend"
    ]
    assert titles(("terraform-backend-plain-http", "backend.tf", 10)) == [
        "Use https for endpoints.s3"
    ]
    # The http:// address comes from terraform.tfvars: the fix belongs there, not here.
    assert titles(("terraform-backend-plain-http", "remote_state.tf", 3)) == []
    # required_version ">= 1.5.0" admits releases that reject use_lockfile.
    assert titles(("terraform-backend-s3-locking", "backend.tf", 2)) == []
    [fix] = fixes_for(result, by_key[("terraform-backend-plain-http", "backend.tf", 10)])
    [edit] = fix.edits
    assert edit.new_text == '"https://minio.acme.internal:9000"'


def test_enforced_fixes_on_the_opentofu_project() -> None:
    result = analyze(HERE / "opentofu")
    by_line = {
        f.range.start.line: f
        for f in mine(result)
        if f.rule_id == "opentofu-encryption-not-enforced"
    }
    [state_fix] = fixes_for(result, by_line[31])
    # (and the blanks that keep its neighbours' "=" aligned)
    assert [e.new_text.strip() for e in state_fix.edits if e.new_text.strip()] == [
        "enforced = true"
    ]
    [plan_fix] = fixes_for(result, by_line[40])
    [edit] = plan_fix.edits
    assert edit.new_text == "true" and edit.range.start.line == 40


def test_passphrase_from_a_literal_local_is_written_in_the_code(tmp_path: Path) -> None:
    (tmp_path / "main.tofu").write_text(
        "locals {\n"
        '  passphrase = "a-long-enough-passphrase-in-git"\n'
        "}\n"
        "terraform {\n"
        "  encryption {\n"
        '    key_provider "pbkdf2" "k" {\n'
        "      passphrase = local.passphrase\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    [finding] = [
        f for f in mine(analyze(tmp_path)) if f.rule_id == "opentofu-encryption-passphrase"
    ]
    assert "written in the code (local.passphrase)" in finding.message
    assert finding.data["short"] is False


def test_log_buckets_of_the_state_bucket_are_not_state_buckets(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "tfstate_logs" {\n'
        '  bucket = "acme-tfstate-access-logs"\n'
        "}\n"
        'resource "aws_s3_bucket" "terraform_state" {\n'
        '  bucket = "acme-shared-bucket"\n'
        "}\n"
    )
    [finding] = mine(analyze(tmp_path))
    assert finding.data["address"] == "aws_s3_bucket.terraform_state"
    assert 'resource name "terraform_state"' in finding.message


def test_state_bucket_policies_are_linked_and_read_like_bucket_policies(tmp_path: Path) -> None:
    # A policy attached through a local is the bucket's policy (not a missing one), and an
    # inline heredoc policy is read: both lack the TLS deny.
    allow = (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
        '"Principal": {"AWS": "arn:aws:iam::111122223333:root"}, '
        '"Action": "s3:GetObject", "Resource": "*"}]}'
    )
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "state" {\n'
        '  bucket = "acme-tfstate"\n'
        "}\n"
        "locals {\n"
        "  state_bucket = aws_s3_bucket.state.id\n"
        "}\n"
        'resource "aws_s3_bucket_policy" "state" {\n'
        "  bucket = local.state_bucket\n"
        f"  policy = <<-EOT\n{allow}\nEOT\n"
        "}\n"
        'resource "aws_s3_bucket" "tf_state_legacy" {\n'
        f"  policy = <<-EOT\n{allow}\nEOT\n"
        "}\n"
    )
    found = [(f.data["missing"], f.data.get("bucket")) for f in mine(analyze(tmp_path))]
    assert found == [
        (False, "aws_s3_bucket.state"),
        (False, "aws_s3_bucket.tf_state_legacy"),
    ]
