"""Compute Engine instances, templates and project metadata.

Metadata flags (``serial-port-enable``, ``enable-oslogin``, ``block-project-ssh-keys``) are
strings that GCE reads case-insensitively (``TRUE``, ``true``, ``1``). An instance created
from a template (``google_compute_instance_from_template``) inherits whatever it leaves out,
so its absent settings are unknown here.
"""

from __future__ import annotations

from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import Condition, Satisfies
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, Value, as_string

INSTANCES = (
    "google_compute_instance",
    "google_compute_instance_template",
    "google_compute_region_instance_template",
    "google_compute_instance_from_template",
)
FROM_TEMPLATE = "google_compute_instance_from_template"
PROJECT_METADATA = "google_compute_project_metadata"
PROJECT_METADATA_ITEM = "google_compute_project_metadata_item"

_TRUE = frozenset({"true", "1", "y", "yes", "on"})
_FALSE = frozenset({"false", "0", "n", "no", "off"})


def metadata_flag(value: Value) -> Value:
    """A metadata value as GCE reads it: True, False or UNKNOWN."""
    if value is True or value is False:
        return value
    text = as_string(value)
    if text is UNKNOWN:
        return UNKNOWN
    lowered = str(text).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return UNKNOWN


def flag_is(expected: bool) -> Condition:
    def test(value: Value) -> Value:
        flag = metadata_flag(value)
        return UNKNOWN if flag is UNKNOWN else flag is expected

    word = "TRUE" if expected else "FALSE"
    return Satisfies(test, f'must be "{word}"')


def instance_default(entity: Entity, default: Value) -> Value:
    """``default`` for instances and templates; UNKNOWN for an instance from a template."""
    return UNKNOWN if entity.type == FROM_TEMPLATE else default


def project_metadata_flag(module: Module, key: str) -> Value:
    """The project-wide metadata value of ``key`` set in this module
    (google_compute_project_metadata or google_compute_project_metadata_item); None when
    the module sets none."""
    for entity in live(module, PROJECT_METADATA):
        for hit in lookup(module, entity, f"metadata.{key}"):
            if hit.present:
                return metadata_flag(hit.value)
    for entity in live(module, PROJECT_METADATA_ITEM):
        name = as_string(module.attr_value(entity, "key"))
        if name == key:
            return metadata_flag(module.attr_value(entity, "value"))
    return None
