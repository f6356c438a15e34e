"""Reading evaluated values the way Terraform converts them, with unknowns kept unknown.

Every rule reads booleans, numbers, strings and lists through these functions, so ``"true"``
means the same everywhere. A value that cannot be known (a resource attribute computed at
apply, a variable without a value) is :data:`UNKNOWN`, never a failure.
"""

from __future__ import annotations

from tfguard.evaluate import UNKNOWN, Value, fully_known, is_unknown

__all__ = [
    "UNKNOWN",
    "Value",
    "as_bool",
    "as_list",
    "as_number",
    "as_string",
    "fully_known",
    "is_unknown",
    "known_strings",
]


def as_bool(value: Value) -> Value:
    """``True`` / ``False`` for a boolean or the strings Terraform converts to one
    (``"true"`` / ``"false"``); :data:`UNKNOWN` for anything else, ``null`` included (an
    argument set to ``null`` is unset: read it through :mod:`tfguard.rules.kit.paths`, which
    applies the provider default)."""
    if value is True or value == "true":
        return True
    if value is False or value == "false":
        return False
    return UNKNOWN


def as_number(value: Value) -> Value:
    """An ``int`` or ``float`` for a number or a numeric string; :data:`UNKNOWN` otherwise."""
    if isinstance(value, bool):
        return UNKNOWN
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float(text)
        except ValueError:
            return UNKNOWN
    return UNKNOWN


def as_string(value: Value) -> Value:
    """A string for a string, number or boolean (Terraform's automatic conversion);
    :data:`UNKNOWN` otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return UNKNOWN


def as_list(value: Value) -> Value:
    """A list for a list (or a set, which HCL writes as a list); a single string or number
    becomes a one-element list, as the providers' ``list(string)`` arguments accept no
    scalar but modules often pass one through a variable; :data:`UNKNOWN` otherwise. The
    elements may themselves be :data:`UNKNOWN`."""
    if isinstance(value, list):
        return value
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [value]
    return UNKNOWN


def known_strings(value: Value) -> tuple[list[str], bool]:
    """The known string elements of a list value, and whether every element was known."""
    items = as_list(value)
    if items is UNKNOWN:
        return [], False
    out: list[str] = []
    complete = True
    for item in items:
        text = as_string(item)
        if text is UNKNOWN:
            complete = False
        else:
            out.append(text)
    return out, complete
