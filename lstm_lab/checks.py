"""Argument checks shared by the lstm_lab modules.

Every public function of the package validates its input with these, so that bad input
gets a ``TypeError`` or ``ValueError`` naming the argument and what was expected.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def check_int(value: Any, name: str, minimum: int = 1) -> int:
    """``value`` as an ``int`` if it is an integer ``>= minimum``, else an error naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)
