"""The AWS provider release a module uses: its version constraint and the lock file's pin."""

from __future__ import annotations

from tfguard.module import Module


def locked_aws_version(module: Module) -> str | None:
    """The AWS provider release recorded in the module's dependency lock file."""
    return module.project.locked_version("hashicorp/aws")


def aws_constraint(module: Module) -> str | None:
    for tf in module.terraform_blocks:
        for block in tf.block.blocks_of("required_providers"):
            for name, attr in block.attributes.items():
                value = module.cached_value(attr.value)
                if not isinstance(value, dict):
                    continue
                source = value.get("source")
                is_aws = (
                    source.endswith("hashicorp/aws") if isinstance(source, str) else (name == "aws")
                )
                version = value.get("version")
                if is_aws and isinstance(version, str):
                    return version
    return None
