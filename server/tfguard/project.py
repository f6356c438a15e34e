"""The files around a module that rules may read, served by the engine.

Rules never open files. What they need beyond the module's own ``.tf`` files — the dependency
lock file, what ``terraform init`` installed (``.terraform/modules/modules.json`` and the git
checkouts), the release a team pins (``.terraform-version``), ``.gitignore`` files and the git
index — they read through :class:`ProjectFiles`, which the engine gives every module. Editor
buffers win over the disk (an unsaved lock file counts), and disk reads are cached by
(mtime, size), so a rule asking twice costs one ``stat``.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from cachetools import LRUCache

from tfguard.document import ParsedFile
from tfguard.syntax import Literal

if TYPE_CHECKING:
    from tfguard.gitfiles import IgnoreMatcher, Repository

T = TypeVar("T")

LOCK_FILE = ".terraform.lock.hcl"
MODULES_MANIFEST = os.path.join(".terraform", "modules", "modules.json")
MAX_READ = 8 * 1024 * 1024


class DiskCache:
    """File contents by path, kept while (mtime, size) stay the same; bounded."""

    def __init__(self, entries: int = 512) -> None:
        self._cache: LRUCache[str, tuple[float, int, bytes | None]] = LRUCache(maxsize=entries)
        self._parsed: LRUCache[tuple[str, int], tuple[float, int, Any]] = LRUCache(
            maxsize=entries
        )
        self._lock = threading.Lock()

    def read(self, path: str, limit: int = MAX_READ) -> bytes | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not os.path.isfile(path):
            return None
        with self._lock:
            hit = self._cache.get(path)
        if hit is not None and hit[0] == st.st_mtime and hit[1] == st.st_size:
            return hit[2]
        data: bytes | None
        if st.st_size > limit:
            data = None
        else:
            try:
                with open(path, "rb") as handle:
                    data = handle.read(limit)
            except OSError:
                data = None
        with self._lock:
            self._cache[path] = (st.st_mtime, st.st_size, data)
        return data


    def parsed(
        self, path: str, parse: Callable[[bytes], T], limit: int = MAX_READ
    ) -> T | None:
        """``parse(bytes)`` of a file, remembered while (mtime, size) stay the same."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        key = (path, id(parse))
        with self._lock:
            hit = self._parsed.get(key)
        if hit is not None and hit[0] == st.st_mtime and hit[1] == st.st_size:
            value: T = hit[2]
            return value
        data = self.read(path, limit)
        if data is None:
            return None
        result = parse(data)
        with self._lock:
            self._parsed[key] = (st.st_mtime, st.st_size, result)
        return result


_SHARED_CACHE = DiskCache()


@dataclass(frozen=True, slots=True)
class InstalledModule:
    """One record of ``.terraform/modules/modules.json``."""

    key: str
    source: str
    version: str | None
    dir: str  # relative to the directory where terraform init ran


class ProjectFiles:
    """Read-only access to the files around the module in ``directory``."""

    def __init__(
        self,
        directory: str,
        overlays: Mapping[str, str] | None = None,
        cache: DiskCache | None = None,
    ) -> None:
        self.directory = os.path.abspath(directory)
        self._overlays = overlays or {}
        self._cache = cache or _SHARED_CACHE
        self._memo: dict[str, Any] = {}

    def _abs(self, path: str) -> str:
        return os.path.abspath(os.path.join(self.directory, path))

    # -- plain access --------------------------------------------------------------------------

    def data(self, path: str, limit: int = MAX_READ) -> bytes | None:
        """A file's bytes (an editor buffer's text when the file is open); None when it does
        not exist, cannot be read or is larger than ``limit``."""
        full = self._abs(path)
        if full in self._overlays:
            return self._overlays[full].encode("utf-8")
        return self._cache.read(full, limit)

    def text(self, path: str, limit: int = MAX_READ) -> str | None:
        """A file's text (invalid UTF-8 replaced); None when it cannot be read."""
        full = self._abs(path)
        if full in self._overlays:
            return self._overlays[full]
        data = self._cache.read(full, limit)
        return None if data is None else data.decode("utf-8", errors="replace")

    def parsed(self, path: str, parse: Callable[[bytes], T], limit: int = MAX_READ) -> T | None:
        """``parse(bytes)`` of a file on disk (or of an open buffer's text), remembered while
        the file is unchanged; None when it cannot be read."""
        full = self._abs(path)
        if full in self._overlays:
            return parse(self._overlays[full].encode("utf-8"))
        return self._cache.parsed(full, parse, limit)

    def is_file(self, path: str) -> bool:
        full = self._abs(path)
        return full in self._overlays or os.path.isfile(full)

    def is_dir(self, path: str) -> bool:
        return os.path.isdir(self._abs(path))

    def exists(self, path: str) -> bool:
        full = self._abs(path)
        return full in self._overlays or os.path.exists(full)

    def list_dir(self, path: str = ".") -> list[tuple[str, bool]]:
        """(name, is a directory) of each entry of a directory, sorted; empty when it cannot
        be listed. Open editor buffers of new files count."""
        full = self._abs(path)
        found: dict[str, bool] = {}
        try:
            with os.scandir(full) as entries:
                for entry in entries:
                    try:
                        found[entry.name] = entry.is_dir()
                    except OSError:
                        found[entry.name] = False
        except OSError:
            pass
        for overlay in self._overlays:
            if os.path.dirname(overlay) == full:
                found.setdefault(os.path.basename(overlay), False)
        return sorted(found.items())

    # -- git -----------------------------------------------------------------------------------

    def repository(self) -> Repository | None:
        """The git repository holding the module (the nearest ancestor with a ``.git``)."""
        from tfguard.gitfiles import find_repository

        if "repository" not in self._memo:
            self._memo["repository"] = find_repository(self.directory, self)
        repo: Repository | None = self._memo["repository"]
        return repo

    def ignore_matcher(self) -> IgnoreMatcher:
        """Whether git ignores a path under the module's repository (or, outside any
        repository, the module directory's own ``.gitignore``)."""
        from tfguard.gitfiles import matcher_for

        return matcher_for(self.repository(), self.directory, self)

    def tracked_paths(self) -> frozenset[str]:
        """The paths the repository's index records (already committed or staged)."""
        from tfguard.gitfiles import tracked_paths

        repo = self.repository()
        return tracked_paths(repo, self) if repo is not None else frozenset()

    # -- what terraform init recorded ----------------------------------------------------------

    def locked_versions(self) -> dict[str, str]:
        """Provider address (``host/namespace/type``, lower case) → the version the module's
        dependency lock file selects."""
        if "locked" not in self._memo:
            text = self.text(LOCK_FILE)
            versions: dict[str, str] = {}
            if text is not None:
                versions = _lock_file_versions(os.path.join(self.directory, LOCK_FILE), text)
            self._memo["locked"] = versions
        result: dict[str, str] = self._memo["locked"]
        return result

    def locked_version(self, source: str) -> str | None:
        """The locked version of the provider at ``source`` (``hashicorp/aws`` matches a lock
        entry of any registry host; ``host/ns/type`` only its own). None when absent or
        ambiguous."""
        wanted = source.strip().lower().split("/")
        if len(wanted) not in (2, 3):
            return None
        found = [
            version
            for address, version in self.locked_versions().items()
            if address.split("/")[-len(wanted) :] == wanted and len(address.split("/")) == 3
        ]
        return found[0] if len(found) == 1 else None

    def installed_modules(self) -> dict[str, InstalledModule]:
        """What the last ``terraform init`` in the directory installed, by module key (the
        call name for calls of the root module)."""
        if "modules" in self._memo:
            cached: dict[str, InstalledModule] = self._memo["modules"]
            return cached
        out: dict[str, InstalledModule] = {}
        text = self.text(MODULES_MANIFEST)
        data: Any = None
        if text is not None:
            try:
                data = json.loads(text)
            except ValueError:
                data = None
        records = data.get("Modules") if isinstance(data, dict) else None
        for record in records if isinstance(records, list) else []:
            if not isinstance(record, dict):
                continue
            key, source, folder = record.get("Key"), record.get("Source"), record.get("Dir")
            version = record.get("Version")
            if not (isinstance(key, str) and isinstance(source, str) and isinstance(folder, str)):
                continue
            out[key] = InstalledModule(
                key, source, version if isinstance(version, str) and version else None, folder
            )
        self._memo["modules"] = out
        return out


def _lock_file_versions(path: str, text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for _placed, block in ParsedFile(path, text).blocks():
        if block.type != "provider" or len(block.labels) != 1:
            continue
        version = block.attributes.get("version")
        value = version.value if version is not None else None
        if isinstance(value, Literal) and isinstance(value.value, str):
            out[block.labels[0].lower()] = value.value
    return out
