"""Silence TensorFlow's start-up noise and seed every random generator.

Taught in chapter 00 (setup check); every later chapter's first code cell uses it.
"""

from __future__ import annotations

import os
import random
import sys

import numpy as np

#: Environment settings that make TensorFlow's import silent on a CPU machine.
#: ``TF_CPP_MIN_LOG_LEVEL=2`` hides C++ info and warning lines; turning oneDNN's
#: custom operations off removes the "oneDNN custom operations are on" notice
#: (results stay reproducible, they change only in the last digits).
QUIET_TF_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}


def quiet_tensorflow() -> bool:
    """Set the environment so that importing TensorFlow prints nothing.

    Must run before TensorFlow is imported (chapter 00). Values the user has
    already set are kept. Returns ``False`` (and changes nothing) when
    TensorFlow was imported already, because then it is too late.
    """
    if "tensorflow" in sys.modules:
        return False
    for key, value in QUIET_TF_ENV.items():
        os.environ.setdefault(key, value)
    return True


def set_seed(seed: int = 42) -> None:
    """Seed Python's ``random``, NumPy's legacy generator and TensorFlow (chapter 00).

    Uses ``keras.utils.set_random_seed``, which on one machine gives bit-identical
    training runs across fresh processes. Code that uses
    ``np.random.default_rng`` must pass its own seed.
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    quiet_tensorflow()
    import keras  # imported here so that quiet_tensorflow() runs first

    random.seed(int(seed))
    np.random.seed(int(seed))
    keras.utils.set_random_seed(int(seed))


#: Minimum versions the course needs (chapter 00 checks them).
MINIMUM_VERSIONS = {
    "python": "3.10",
    "tensorflow": "2.16",
    "keras": "3.0",
    "numpy": "1.26",
    "pandas": "2.2",
    "matplotlib": "3.8",
    "sklearn": "1.4",
    "statsmodels": "0.14",
}

#: First versions the course does not support (exclusive upper bounds; chapter 00 checks them).
#: TensorFlow 2.16-2.21 ship Keras 3, which the course is written for; the lock tests 2.21 with
#: Keras 3.12 (Python 3.10) and 3.15. A hosted notebook (Colab) runs the course with its own
#: TensorFlow when it lies in this range.
MAXIMUM_VERSIONS = {
    "python": "3.14",
    "tensorflow": "2.22",
    "keras": "4",
}

#: What to do when a package is missing or too old (chapter 00).
FIX_HINT = ("From the repository root run `make lab` "
            "(it installs the pinned environment into .venv).")


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:3]:
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def installed_version(name: str) -> str | None:
    """Version of an importable package (or of Python), ``None`` if missing (chapter 00)."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a package name string, got {name!r}")
    if name == "python":
        return ".".join(str(v) for v in sys.version_info[:3])
    import importlib

    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return str(getattr(module, "__version__", "unknown"))


def check_versions(minimum: dict[str, str] | None = None,
                   maximum: dict[str, str] | None = None) -> list[dict[str, object]]:
    """Compare installed versions with the course's supported range (chapter 00).

    ``minimum`` maps a package (or ``"python"``) to its oldest supported version, ``maximum`` to
    the first unsupported one (default: the course's ``MINIMUM_VERSIONS`` and
    ``MAXIMUM_VERSIONS``). Returns one row per package of ``minimum``: ``name``, ``required``
    (e.g. ``">= 2.16, < 2.22"``), ``found`` and ``ok``.
    """
    minimum = MINIMUM_VERSIONS if minimum is None else minimum
    maximum = MAXIMUM_VERSIONS if maximum is None else maximum
    for arg, value in (("minimum", minimum), ("maximum", maximum)):
        if not isinstance(value, dict):
            raise TypeError(f"{arg} must be a dict of name -> version, "
                            f"got {type(value).__name__}")
    unknown = sorted(set(maximum) - set(minimum))
    if unknown:
        raise ValueError(f"maximum names packages without a minimum: {unknown}")
    rows = []
    for name, required in minimum.items():
        found = installed_version(name)
        ok = found is not None and _version_tuple(found) >= _version_tuple(required)
        text = f">= {required}"
        if name in maximum:
            text += f", < {maximum[name]}"
            ok = ok and _version_tuple(found) < _version_tuple(maximum[name])
        rows.append({"name": name, "required": text, "found": found or "missing", "ok": ok})
    return rows
