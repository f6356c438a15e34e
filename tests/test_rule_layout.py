"""The rule tree is the map of the catalogue: one file per rule, named by its id, in its
provider's folder; rules build on the kit and their own provider's private modules only, and
never open files (the engine serves them through ``module.project``)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import tfguard.rules
from tfguard.rules import registry

RULES_DIR = Path(tfguard.rules.__file__).parent
PROVIDERS = ("aws", "azure", "google", "terraform")
# Files that read the disk: none under rules/ (docs.py writes the generated pages, on purpose,
# and is not a rule).
TOOLING = {"docs.py", "explain.py", "examples.py", "registry.py", "base.py", "__init__.py"}
FILE_CALLS = {
    "open",
    "scandir",
    "listdir",
    "stat",
    "lstat",
    "exists",
    "isfile",
    "isdir",
    "getsize",
    "read_text",
    "read_bytes",
    "walk",
    "iterdir",
    "glob",
}


def folder_of(rule_id: str) -> str:
    prefix = rule_id.split("-", 1)[0]
    return "terraform" if prefix in ("terraform", "opentofu") else prefix


@pytest.mark.parametrize("rule", registry.all_rules(), ids=lambda r: r.id)
def test_a_rule_lives_in_a_file_named_by_its_id(rule: object) -> None:
    path = Path(inspect.getfile(type(rule)))
    rule_id = rule.id  # type: ignore[attr-defined]
    assert path.name == rule_id.replace("-", "_") + ".py"
    assert path.parent.name == folder_of(rule_id)


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.append(node.module)
            out.extend(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.extend(a.name for a in node.names)
    return out


def rule_tree_files() -> list[Path]:
    out = []
    for folder in (*PROVIDERS, "kit"):
        out.extend(sorted((RULES_DIR / folder).glob("*.py")))
    return out


def import_violations(path: Path, rules_dir: Path = RULES_DIR) -> list[str]:
    """The imports of a file of the rule tree that break the layout."""
    provider = path.parent.name
    problems: list[str] = []
    for name in imports_of(path):
        parts = name.split(".")
        if parts[:2] != ["tfguard", "rules"] or len(parts) < 3:
            continue
        area = parts[2]
        if area == "base" or (area == "kit" and provider != "kit"):
            continue
        if area == provider == "kit":
            continue
        if area == provider:
            module = parts[3] if len(parts) > 3 else ""
            # another rule's module: only private helpers (_x) are shared
            if (
                module
                and not module.startswith("_")
                and (rules_dir / area / f"{module}.py").exists()
            ):
                problems.append(f"{provider}/{path.name} imports the rule module {name}")
            continue
        if area in PROVIDERS or area == "kit":
            problems.append(f"{provider}/{path.name} imports {name}")
    return problems


def test_rules_import_only_the_kit_and_their_own_provider() -> None:
    problems = [p for path in rule_tree_files() for p in import_violations(path)]
    assert problems == []


def test_the_layout_check_finds_each_kind_of_violation(tmp_path: Path) -> None:
    (tmp_path / "aws").mkdir()
    (tmp_path / "kit").mkdir()
    (tmp_path / "aws" / "aws_other.py").write_text("", encoding="utf-8")
    rule = tmp_path / "aws" / "aws_rule.py"
    rule.write_text(
        "from tfguard.rules.aws._s3 import x\n"
        "from tfguard.rules.kit.values import as_bool\n"
        "import tfguard.rules.google._iam\n"
        "from tfguard.rules.aws import aws_other\n",
        encoding="utf-8",
    )
    kit = tmp_path / "kit" / "helper.py"
    kit.write_text("from tfguard.rules.aws._s3 import x\n", encoding="utf-8")
    assert import_violations(rule, tmp_path) == [
        "aws/aws_rule.py imports tfguard.rules.google._iam",
        "aws/aws_rule.py imports the rule module tfguard.rules.aws.aws_other",
    ]
    assert import_violations(kit, tmp_path) == [
        "kit/helper.py imports tfguard.rules.aws._s3",
        "kit/helper.py imports tfguard.rules.aws._s3.x",
    ]


def test_no_rule_opens_a_file() -> None:
    problems: list[str] = []
    for path in rule_tree_files():
        if path.name in TOOLING:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                problems.append(f"{path.parent.name}/{path.name}:{node.lineno} open()")
            elif isinstance(func, ast.Attribute) and func.attr in FILE_CALLS:
                base = ast.unparse(func.value)
                if base in ("os", "os.path", "Path", "pathlib.Path", "shutil") or base.endswith(
                    ("path", "Path")
                ):
                    problems.append(
                        f"{path.parent.name}/{path.name}:{node.lineno} {base}.{func.attr}"
                    )
    assert problems == []
