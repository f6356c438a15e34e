"""Column conversions: the engine counts code points; editors count UTF-16 or UTF-8 units."""

from __future__ import annotations


def column_units(line_text: str, column: int, encoding: str) -> int:
    """The column ``column`` (code points) of ``line_text`` in ``encoding`` units
    ("utf-8", "utf-16" or "utf-32")."""
    prefix = line_text[:column]
    if encoding == "utf-32":
        return len(prefix)
    if encoding == "utf-8":
        return len(prefix.encode("utf-8"))
    if encoding == "utf-16":
        return len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)
    raise ValueError(f"unknown position encoding {encoding!r}")


def column_code_points(line_text: str, units: int, encoding: str) -> int:
    """The inverse of :func:`column_units` (clamped to the line)."""
    if encoding == "utf-32":
        return min(units, len(line_text))
    count = 0
    for index, ch in enumerate(line_text):
        if count >= units:
            return index
        if encoding == "utf-8":
            count += len(ch.encode("utf-8"))
        elif encoding == "utf-16":
            count += 2 if ord(ch) > 0xFFFF else 1
        else:
            raise ValueError(f"unknown position encoding {encoding!r}")
    return len(line_text)
