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
