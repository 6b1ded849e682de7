"""An answer whose text for the model differs from its structured data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reply:
    """An answer whose text for the model is leaner than its structured JSON (a table, a log)."""

    data: dict[str, Any]
    text: str
