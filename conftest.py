"""Per-notebook time budget for the nbval run (COURSE.md section 7).

Each notebook's nbval items (kernel start-up included) are summed; a notebook over
``LSTM_LAB_NOTEBOOK_BUDGET_S`` seconds (default 60) or a course over
``LSTM_LAB_COURSE_BUDGET_S`` (default 600) fails the session.
"""

from __future__ import annotations

import os
from collections import defaultdict

_durations: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _durations[path] += report.duration


def _over_budget():
    per_nb = float(os.environ.get("LSTM_LAB_NOTEBOOK_BUDGET_S", "60"))
    total = float(os.environ.get("LSTM_LAB_COURSE_BUDGET_S", "600"))
    slow = {p: s for p, s in _durations.items() if s > per_nb}
    return slow, per_nb, sum(_durations.values()) > total, total


def pytest_terminal_summary(terminalreporter):
    if not _durations:
        return
    slow, per_nb, total_over, total = _over_budget()
    tr = terminalreporter
    tr.section("notebook execution times (budget: %.0f s each, %.0f s in all)" % (per_nb, total))
    for path, seconds in sorted(_durations.items()):
        flag = "  OVER BUDGET" if path in slow else ""
        tr.write_line(f"{seconds:7.1f} s  {path}{flag}")
    tr.write_line(f"{sum(_durations.values()):7.1f} s  all notebooks")


def pytest_sessionfinish(session, exitstatus):
    if not _durations:
        return
    slow, _, total_over, _ = _over_budget()
    if (slow or total_over) and session.exitstatus == 0:
        session.exitstatus = 1
