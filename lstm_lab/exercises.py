"""Answer checks for the exercises: the "check your answer" cells of every chapter, 00 to 14.

Every exercise of a chapter is followed, right after its ``{solution-end}`` cell, by one
"check your answer" code cell: a code cell tagged ``exercise-check`` whose code calls
:func:`check` with the exercise's label::

    # Check your answer: define tiny_run, loss_a, loss_b, loss_c (see the exercise)
    exercises.check(
        "ex-00-seed",
        needs=["loss_a", "loss_b", "loss_c"],
        tests=[
            (lambda: np.array_equal(loss_a, loss_b),
             "the two runs after set_seed(7) should give the same losses to the last bit"),
            (lambda: not np.array_equal(loss_a, loss_c),
             "the run after set_seed(8) should differ from the seed-7 runs"),
        ],
        done="the same seed gives the same run, another seed another run.",
    )

``check`` looks the names in ``needs`` up among the notebook's variables. A missing one raises
:class:`AnswerMissing` ("define `loss_a` first"); a test that returns something false (or raises)
raises :class:`AnswerWrong` with that test's hint; when every test passes it prints
"✔ ex-00-seed: right. <done>". Both errors are ``AssertionError`` subclasses, so in the book
version (solutions present) nbval fails if a check fails, and the message says why.

What a check may contain: properties of the answer, tolerances against quantities the chapter
computed earlier, or a :func:`digest` of a rounded number. What it may not contain: the solution's
code, or a printed expected value that gives the answer away.

In the student copies (``make student``) the check cells carry the ``raises-exception`` tag, so
JupyterLab's "Run All" and nbclient go on past the exercises a learner has not answered yet.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["AnswerCheckError", "AnswerMissing", "AnswerWrong", "CHECK_TAG", "check", "digest"]

CHECK_TAG = "exercise-check"
"""The cell tag of a check cell (``tests/notebook_tools.py`` and the book's stylesheet use it)."""


class AnswerCheckError(AssertionError):
    """An exercise's answer did not pass its check (the message says what to do)."""

    def _render_traceback_(self) -> list[str]:
        # IPython (JupyterLab, nbclient) shows these lines instead of a traceback: the learner
        # sees the message, not the checking code
        return [f"\x1b[31m{type(self).__name__}\x1b[39m: {self}"]


class AnswerMissing(AnswerCheckError):
    """A variable that the check reads is not defined yet."""


class AnswerWrong(AnswerCheckError):
    """The answer is defined but does not have the property the exercise asks for."""


Test = tuple[Callable[[], Any], str]


def _validate(label: Any, needs: Any, tests: Any, done: Any) -> tuple[list[str], list[Test]]:
    if not isinstance(label, str) or not label.strip():
        raise TypeError(f"label must be a non-empty str (the exercise's label), got {label!r}")
    if isinstance(needs, str) or not isinstance(needs, Iterable):
        raise TypeError(f"needs must be a list of variable names, got {needs!r}")
    names = list(needs)
    for name in names:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"needs must hold variable names, got {name!r}")
    if isinstance(tests, (str, bytes)) or not isinstance(tests, Sequence):
        raise TypeError(f"tests must be a list of (callable, hint) pairs, got {tests!r}")
    if not tests:
        raise ValueError("tests must hold at least one (callable, hint) pair")
    for test in tests:
        if (not isinstance(test, tuple) or len(test) != 2 or not callable(test[0])
                or not isinstance(test[1], str) or not test[1].strip()):
            raise TypeError(f"each test must be a (callable, hint) pair, got {test!r}")
    if not isinstance(done, str):
        raise TypeError(f"done must be a str, got {type(done).__name__}")
    return names, list(tests)


def _names_list(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def check(label: str, needs: Iterable[str], tests: Sequence[Test], done: str = "",
          namespace: Mapping[str, Any] | None = None) -> None:
    """Check a learner's answer to exercise ``label``; print a confirmation or raise.

    ``needs``: the variable names the answer must define (looked up in ``namespace``, by default
    the calling notebook's globals). ``tests``: ``(test, hint)`` pairs, tried in order; ``test()``
    takes no argument and returns something true when the answer has the property; the first one
    that returns something false (or raises) fails the check with its ``hint``. ``done``: a short
    confirmation printed after "right." when every test passes.

    Raises :class:`AnswerMissing` naming the first undefined variables, :class:`AnswerWrong` with
    the failing test's hint, ``TypeError``/``ValueError`` for a malformed call.
    """
    names, tests = _validate(label, needs, tests, done)
    if namespace is None:
        frame = inspect.currentframe()
        caller = frame.f_back if frame is not None else None
        namespace = caller.f_globals if caller is not None else {}
    elif not isinstance(namespace, Mapping):
        raise TypeError(f"namespace must be a mapping, got {type(namespace).__name__}")
    missing = [n for n in names if n not in namespace]
    if missing:
        raise AnswerMissing(
            f"{label}: not answered yet. Define {_names_list(missing)} first: write your "
            "solution in the cell above (the exercise says what to compute), run it, then "
            "run this check again.") from None
    for number, (test, hint) in enumerate(tests, start=1):
        try:
            passed = bool(test())
        except NameError as error:
            name = getattr(error, "name", None) or str(error)
            raise AnswerMissing(f"{label}: not answered yet. Define `{name}` first "
                                "(the exercise says what it holds).") from None
        except Exception as error:  # the answer has the wrong type or shape, say so
            raise AnswerWrong(
                f"{label}: not right yet (check {number} of {len(tests)}): {hint} "
                f"[checking it raised {type(error).__name__}: {error}]") from None
        if not passed:
            raise AnswerWrong(
                f"{label}: not right yet (check {number} of {len(tests)}): {hint}") from None
    print(f"\u2714 {label}: right." + (f" {done}" if done else ""))


def digest(value: Any, decimals: int = 2) -> str:
    """A short fingerprint of ``value`` rounded to ``decimals`` places, for numeric answers.

    ``value``: a number, or a list/array of numbers (each rounded). A check compares
    ``digest(answer)`` with the fingerprint of the right answer, so the cell can tell right from
    wrong without printing the number. ``-0.0`` and ``0.0`` agree; NaN, infinity or a non-number
    raise ``ValueError``/``TypeError``.
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be an int >= 0, got {decimals!r}")
    if isinstance(value, (bool, np.bool_)) or value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"value must be a number or an array of numbers, got {value!r}")
    try:
        numbers = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        raise TypeError("value must be a number or an array of numbers, "
                        f"got {type(value).__name__}") from None
    if numbers.size == 0 or not np.all(np.isfinite(numbers)):
        raise ValueError(f"value must hold finite numbers, got {value!r}")
    # + 0.0 turns -0.0 into 0.0
    text = ",".join(f"{round(float(x), decimals) + 0.0:.{decimals}f}" for x in numbers)
    return hashlib.sha256(text.encode()).hexdigest()[:12]
