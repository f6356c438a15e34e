"""File paths ↔ the ``file:`` URIs the client names documents by."""

from __future__ import annotations

import os

from pygls.uris import from_fs_path, to_fs_path


def path_of(uri: str) -> str | None:
    """The absolute file path of a ``file:`` URI, ``None`` for any other scheme."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return os.path.abspath(path) if path else None


def uri_of(path: str) -> str:
    """The ``file:`` URI of an absolute path."""
    return from_fs_path(path) or ("file://" + path)
