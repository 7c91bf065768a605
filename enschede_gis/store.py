"""Small, safe file storage for what users make: custom areas, uploads, scenarios, meetings.

Every write goes to a temporary file in the same folder, is flushed to disk, and then renamed over
the target, so a crash or a full disk never leaves a half-written file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from enschede_gis import settings
from enschede_gis.errors import DataError


def state_dir(*parts: str) -> Path:
    """A folder under the state directory, created on first use (never at import time)."""
    folder = Path(settings.STATE_DIR, *parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, payload: Any) -> None:
    text = json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True)
    atomic_write_bytes(path, text.encode("utf-8"))


def read_json(path: Path, default: Any = None) -> Any:
    """Read a JSON file; a missing file gives ``default``, a damaged one a :class:`DataError`."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except (OSError, ValueError) as exc:
        raise DataError(
            f"Bestand {Path(path).name} is beschadigd en kan niet worden gelezen: {exc}",
            en=f"File {Path(path).name} is damaged and cannot be read: {exc}",
        ) from None
