"""Helpers shared by the state, backend and supply-chain rules (no rule lives here).

A *state store* is any place that configures access to state: a ``backend`` block, the
``cloud`` block, the ``config`` of a ``data "terraform_remote_state"`` and the key providers
of an OpenTofu ``encryption`` block. Each is flattened into :class:`Setting` rows
(``endpoints.s3``, ``assume_role.role_arn``...) so that rules read every form the same way.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tfguard.evaluate import Evaluator, Value
from tfguard.findings import Finding, Position, Range
from tfguard.module import Entity, Module
from tfguard.syntax import (
    Attribute,
    Block,
    Expr,
    Heredoc,
    Literal,
    ObjectExpr,
    ObjectItem,
    Placed,
    Reference,
    Template,
)

SettingAnchor = Attribute | ObjectItem


@dataclass(slots=True, eq=False)
class Setting:
    """One argument of a state store: its dotted name, its expression and where it is written."""

    name: str
    expr: Expr
    anchor: SettingAnchor


@dataclass(slots=True, eq=False)
class StateStore:
    entity: Entity
    kind: str  # "backend", "cloud", "remote_state", "key_provider"
    type: str  # backend type ("s3", "azurerm"...), "cloud", or the key provider type
    label: str  # how messages name it: 'the backend "s3" block'
    anchor: Block | Attribute  # where a missing argument is reported
    block: Block | None  # the backend / cloud / key_provider block, None for remote state
    settings: list[Setting] = field(default_factory=list)

    def get(self, name: str) -> Setting | None:
        for setting in self.settings:
            if setting.name == name:
                return setting
        return None


def _object_settings(obj: ObjectExpr, prefix: str) -> Iterator[Setting]:
    for item in obj.items:
        if item.key_name is None:
            continue
        name = prefix + item.key_name
        yield Setting(name, item.value, item)
        if isinstance(item.value, ObjectExpr):
            yield from _object_settings(item.value, name + ".")


def block_settings(block: Block, prefix: str = "") -> Iterator[Setting]:
    """Every attribute of a block and of its nested blocks and object values, flattened."""
    for attr in block.attributes.values():
        name = prefix + attr.name
        yield Setting(name, attr.value, attr)
        if isinstance(attr.value, ObjectExpr):
            yield from _object_settings(attr.value, name + ".")
    for nested in block.blocks:
        yield from block_settings(nested, prefix + nested.type + ".")


def backend_stores(module: Module) -> Iterator[StateStore]:
    """The ``backend`` and ``cloud`` blocks of every ``terraform`` block."""
    for tf in module.terraform_blocks:
        for block in tf.block.blocks:
            if block.type == "backend" and len(block.labels) == 1:
                btype = block.labels[0]
                yield StateStore(
                    tf,
                    "backend",
                    btype,
                    f'the backend "{btype}" block',
                    block,
                    block,
                    list(block_settings(block)),
                )
            elif block.type == "cloud" and not block.labels:
                settings = list(block_settings(block))
                yield StateStore(tf, "cloud", "cloud", "the cloud block", block, block, settings)


def remote_state_stores(module: Module) -> Iterator[StateStore]:
    """Every ``data "terraform_remote_state"`` whose backend type and config are written out."""
    for entity in module.of_type("data.terraform_remote_state"):
        btype = module.attr_value(entity, "backend")
        config = entity.attr("config")
        if not isinstance(btype, str) or config is None:
            continue
        settings = (
            list(_object_settings(config.value, "")) if isinstance(config.value, ObjectExpr) else []
        )
        label = f'{entity.address} (backend "{btype}")'
        yield StateStore(entity, "remote_state", btype, label, config, None, settings)


def key_provider_stores(module: Module) -> Iterator[StateStore]:
    """The ``key_provider`` blocks of OpenTofu ``encryption`` blocks."""
    for tf in module.terraform_blocks:
        for encryption in tf.block.blocks_of("encryption"):
            for block in encryption.blocks_of("key_provider"):
                if len(block.labels) != 2:
                    continue
                ptype, name = block.labels
                label = f'the key_provider "{ptype}" "{name}" block'
                settings = list(block_settings(block))
                yield StateStore(tf, "key_provider", ptype, label, block, block, settings)


def all_stores(module: Module) -> Iterator[StateStore]:
    yield from backend_stores(module)
    yield from remote_state_stores(module)
    yield from key_provider_stores(module)


def constant_string(expr: Expr | None) -> str | None:
    """The text of a string written out in the configuration: a literal, or a template or
    heredoc with no references (``"AKIA${"..."}"``). ``None`` for anything that refers to a
    variable, local, resource or function result that is not a constant."""
    if expr is None:
        return None
    if isinstance(expr, Literal):
        return expr.value if isinstance(expr.value, str) else None
    if not isinstance(expr, (Template, Heredoc)):
        return None
    if any(True for _ in expr.references()):
        return None
    value = Evaluator().eval(expr)
    return value if isinstance(value, str) else None


def s3_backends(module: Module) -> Iterator[tuple[StateStore, Block]]:
    """The ``backend "s3"`` blocks, each with its store. One without ``bucket`` gets its
    settings from ``-backend-config`` at init: tfguard cannot see them, so it is left out and
    the rules about missing S3 settings stay silent."""
    for store in backend_stores(module):
        if store.type == "s3" and store.block is not None and store.get("bucket") is not None:
            yield store, store.block


_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_PLAIN_SCHEMES = ("http", "git", "ws")


def plain_text_url(value: str) -> str | None:
    """The scheme when ``value`` is a URL that travels unencrypted to another machine
    (``http://``, ``git://``), else ``None``. Loopback hosts are not on the network."""
    text = value.strip()
    match = re.match(r"^(?:[a-z0-9]+::)?(?P<url>(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://.*)$", text)
    if match is None:
        return None
    scheme = match.group("scheme").lower()
    if scheme not in _PLAIN_SCHEMES:
        return None
    try:
        host = urlsplit(match.group("url")).hostname
    except ValueError:
        return None
    if is_loopback(host):
        return None
    return scheme


def known_string(module: Module, expr: Expr | None) -> str | None:
    if expr is None:
        return None
    value: Value = module.cached_value(expr)
    return value if isinstance(value, str) else None


# -- OpenTofu state encryption -----------------------------------------------------------------

ENCRYPTION_TARGETS = ("state", "plan")


@dataclass(slots=True, eq=False)
class MethodUse:
    """A ``method = method.<type>.<name>`` inside ``state``/``plan`` or their ``fallback``."""

    entity: Entity
    target: str  # "state" or "plan"
    block: Block  # the state/plan block, or its fallback block
    attribute: Attribute
    method_type: str | None  # "aes_gcm", "unencrypted"... None when not a method reference
    method_name: str | None
    in_fallback: bool


def encryption_blocks(module: Module) -> Iterator[tuple[Entity, Block]]:
    for tf in module.terraform_blocks:
        for block in tf.block.blocks_of("encryption"):
            yield tf, block


def method_of(attr: Attribute) -> tuple[str | None, str | None]:
    expr = attr.value
    if isinstance(expr, Reference) and expr.root == "method" and len(expr.steps) >= 3:
        kind, name = expr.steps[1], expr.steps[2]
        if isinstance(kind, str) and isinstance(name, str):
            return kind, name
    return None, None


def method_uses(module: Module) -> Iterator[MethodUse]:
    for tf, encryption in encryption_blocks(module):
        for target in ENCRYPTION_TARGETS:
            for block in encryption.blocks_of(target):
                attr = block.attr("method")
                if attr is not None:
                    yield MethodUse(tf, target, block, attr, *method_of(attr), in_fallback=False)
                for fallback in block.blocks_of("fallback"):
                    attr = fallback.attr("method")
                    if attr is not None:
                        yield MethodUse(
                            tf, target, fallback, attr, *method_of(attr), in_fallback=True
                        )


# -- where findings about a whole directory go ------------------------------------------------


def anchor_entity(module: Module) -> tuple[Entity, Block | Range] | None:
    """Where a finding about the directory goes: the first terraform block, else the first
    block of the first file, else line 0 of the first configuration file."""
    if module.terraform_blocks:
        tf = module.terraform_blocks[0]
        return tf, tf.block
    if module.entities:
        first = module.entities[0]
        return first, first.block
    paths = sorted(p for p in module.files if p.endswith((".tf", ".tofu")))
    if not paths:
        return None
    zero = Range(Position(0, 0), Position(0, 0))
    block = Block("file", (), zero, (), zero, Position(0, 0), Position(0, 0))
    return Entity("file", os.path.basename(paths[0]), Placed(block, paths[0], 0), block), zero


# -- finding the node a finding is anchored on, for fixes ---------------------------------------


def setting_at(module: Module, finding: Finding) -> tuple[StateStore, Setting] | None:
    """The state-store setting (attribute or object item) a finding is anchored on."""
    for store in all_stores(module):
        if store.entity.path != finding.path:
            continue
        for setting in store.settings:
            if store.entity.abs(setting.anchor.range) == finding.range:
                return store, setting
    return None


_HTTP_PREFIX = re.compile(r"^(?P<lead>\"(?:[A-Za-z0-9]+::)?)http://", re.I)


def https_literal(expr: Expr) -> str | None:
    """The source text of a quoted ``"http://..."`` literal rewritten to ``https://``."""
    if not isinstance(expr, Literal) or not isinstance(expr.value, str):
        return None
    match = _HTTP_PREFIX.match(expr.text)
    if match is None:
        return None
    return f"{match.group('lead')}https://{expr.text[match.end() :]}"
