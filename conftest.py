"""Notebook times in the nbval run: printed always, failed on only when a notebook runs away.

Time is a benchmark, not a test (COURSE.md section 7): the goal is 45 s per chapter and 600 s for
the course on a 2-core CPU, and `make bench` measures it. `make test` only fails a notebook that
takes more than three times the goal (``LSTM_LAB_RUNAWAY_S``, default 135 s) or a course over three
times its goal (``LSTM_LAB_COURSE_RUNAWAY_S``, default 1800 s): an endless loop or a model trained
a hundred times too long, not a busy machine.
"""

from __future__ import annotations

import os
from collections import defaultdict

GOAL_S = 45.0
COURSE_GOAL_S = 600.0

_durations: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _durations[path] += report.duration


def _caps() -> tuple[float, float]:
    return (float(os.environ.get("LSTM_LAB_RUNAWAY_S", 3 * GOAL_S)),
            float(os.environ.get("LSTM_LAB_COURSE_RUNAWAY_S", 3 * COURSE_GOAL_S)))


def _runaways() -> tuple[dict[str, float], bool]:
    per_nb, course = _caps()
    slow = {p: s for p, s in _durations.items() if s > per_nb}
    return slow, sum(_durations.values()) > course


def pytest_terminal_summary(terminalreporter):
    if not _durations:
        return
    per_nb, course = _caps()
    slow, course_over = _runaways()
    tr = terminalreporter
    tr.section(f"notebook times (goal {GOAL_S:.0f} s each, {COURSE_GOAL_S:.0f} s in all, "
               f"measured by `make bench`; this run fails only above {per_nb:.0f} s / "
               f"{course:.0f} s)")
    for path, seconds in sorted(_durations.items()):
        flag = "  RUNAWAY" if path in slow else ("  over the goal" if seconds > GOAL_S else "")
        tr.write_line(f"{seconds:7.1f} s  {path}{flag}")
    total = sum(_durations.values())
    tr.write_line(f"{total:7.1f} s  all notebooks" + ("  RUNAWAY" if course_over else ""))


def pytest_sessionfinish(session, exitstatus):
    if not _durations:
        return
    slow, course_over = _runaways()
    if (slow or course_over) and session.exitstatus == 0:
        session.exitstatus = 1
