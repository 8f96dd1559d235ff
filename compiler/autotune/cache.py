"""Where tuned configs live: the on-disk cache and shipped config files.

The cache (``$TEGULA_CACHE_DIR/autotune``, default ``~/.cache/tegula``) holds
one JSON file per key: the kernel's source, the argument specialization and
size bucket, the backends considered with their versions, the device, and the
versions of Tegula, torch and Triton. Writes go to a temporary file renamed
into place, so concurrent tuners never leave a torn entry; an entry that does
not parse or does not match its key is discarded with a warning (and the
kernel retuned).

A config file (``tegula tune``) ships with the user's code as
``<module>.tegula.json`` beside the kernel's source (or wherever
``config_file=`` says): per kernel, entries of specialization, bucket, device
and config. At run time the entry of the same specialization and device kind
whose bucket is nearest (exactly equal first) is used without tuning.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

FORMAT = 1
EFFORT_RANK = {"none": 0, "quick": 1, "full": 2}


def cache_dir() -> Path:
    root = Path(os.environ.get("TEGULA_CACHE_DIR", Path.home() / ".cache" / "tegula"))
    return root / "autotune"


def digest(key: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()[:32]


def atomic_write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=1, sort_keys=True, default=str)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _valid_entry(data: Any) -> bool:
    return (isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("config"), dict)
            and isinstance(data.get("backend"), str) and isinstance(data.get("key"), dict))


class Cache:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root or cache_dir()

    def path(self, key: dict[str, Any]) -> Path:
        return self.root / f"{key.get('kernel', 'kernel')}-{digest(key)}.json"

    def get(self, key: dict[str, Any], effort: str) -> dict[str, Any] | None:
        """The entry for ``key`` tuned with at least ``effort``; None if absent (or corrupt: then removed)."""
        path = self.path(key)
        try:
            text = path.read_text()
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            return None
        try:
            data = json.loads(text)
            if not _valid_entry(data) or json.loads(json.dumps(key, default=str)) != data["key"]:
                raise ValueError("not a tuning entry for this key")
        except ValueError as e:
            warnings.warn(f"tegula: discarding the corrupt autotuning cache entry {path} ({e}); retuning",
                          RuntimeWarning, stacklevel=3)
            try:
                path.unlink()
            except OSError:
                pass
            return None
        if EFFORT_RANK.get(data.get("effort"), 0) < EFFORT_RANK.get(effort, 0):
            return None
        return data

    def put(self, key: dict[str, Any], entry: dict[str, Any]) -> Path:
        path = self.path(key)
        atomic_write(path, {**entry, "format": FORMAT, "key": key})
        return path


# ---------------------------------------------------------------- shipped config files

def default_config_file(source_file: str) -> Path:
    p = Path(source_file)
    return p.with_name(p.stem + ".tegula.json")


def read_config_file(path: Path) -> dict[str, Any]:
    """The file's data ({"format", "kernels": {name: [entries]}}); raises ValueError naming the file."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise ValueError(f"cannot read the tuned-config file {path}: {e}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("kernels"), dict):
        raise ValueError(f"{path} is not a Tegula tuned-config file (format {FORMAT})")
    return data


def find_shipped(path: Path, kernel: str, spec: str, device_type: str, bucket: list) -> dict[str, Any] | None:
    """The entry of ``kernel`` for this specialization and device kind with the nearest bucket."""
    if not path.exists():
        return None
    try:
        data = read_config_file(path)
    except ValueError as e:
        warnings.warn(f"tegula: {e}; ignoring it", RuntimeWarning, stacklevel=3)
        return None
    entries = [e for e in data["kernels"].get(kernel, []) if isinstance(e, dict) and e.get("spec") == spec
               and e.get("device_type") == device_type and isinstance(e.get("config"), dict)]
    if not entries:
        return None
    return min(entries, key=lambda e: _bucket_distance(e.get("bucket"), bucket))


def _bucket_distance(a: Any, b: list) -> float:
    fa, fb = _flat(a), _flat(b)
    if len(fa) != len(fb):
        return math.inf
    return sum(abs(math.log2(max(x, 1)) - math.log2(max(y, 1))) for x, y in zip(fa, fb))


def _flat(v: Any) -> list[int]:
    if isinstance(v, (list, tuple)):
        return [x for item in v for x in _flat(item)]
    return [int(v)] if isinstance(v, (int, float)) and not isinstance(v, bool) else []


def write_config_file(path: Path, kernel: str, entries: list[dict[str, Any]]) -> None:
    """Adds (or replaces, same spec, device and bucket) ``entries`` of ``kernel`` in the file at ``path``."""
    data = read_config_file(path) if path.exists() else {"format": FORMAT, "kernels": {}}
    old = data["kernels"].get(kernel, [])
    keyed = {(e.get("spec"), e.get("device"), json.dumps(e.get("bucket"))): e for e in old}
    for e in entries:
        keyed[(e.get("spec"), e.get("device"), json.dumps(e.get("bucket")))] = e
    data["kernels"][kernel] = list(keyed.values())
    atomic_write(path, data)
