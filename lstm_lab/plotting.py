"""The course's figure style and shared plots.

Chapter 00 introduces :func:`use_course_style`; later chapters add plots here
(forecast against actual, training history, error by horizon) as they teach them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

#: Colour-blind-safe palette (Okabe & Ito) used for every course figure.
PALETTE = (
    "#0072B2",  # blue: the model / the main series
    "#D55E00",  # vermillion: forecasts
    "#009E73",  # green: baselines
    "#CC79A7",  # purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

COURSE_STYLE = {
    "figure.figsize": (8.0, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "figure.autolayout": True,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "legend.frameon": False,
    "lines.linewidth": 1.6,
}


def use_course_style() -> None:
    """Apply the course's matplotlib style (chapter 00)."""
    mpl.rcParams.update(COURSE_STYLE)


def new_axes(title: str, xlabel: str, ylabel: str, *, figsize=None):
    """Return ``(fig, ax)`` with a title and labelled axes: every figure needs all three."""
    for name, value in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    fig, ax = plt.subplots(figsize=figsize)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig, ax


def plot_history(history: Mapping[str, Sequence[float]] | object, *,
                 title: str = "Training history", ylabel: str = "loss", logy: bool = False):
    """Plot the loss curves of a Keras ``History`` (or its ``.history`` dict) (chapter 00).

    Every key ending in ``loss`` is drawn against the epoch number.
    """
    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping):
        raise TypeError("history must be a keras History or a dict of lists, "
                        f"got {type(history).__name__}")
    loss_keys = [k for k in curves if k.endswith("loss")]
    if not loss_keys:
        raise ValueError(f"history has no '*loss' entries; keys are {sorted(curves)}")
    fig, ax = new_axes(title, "epoch", ylabel)
    for key in loss_keys:
        values = np.asarray(curves[key], dtype=float)
        label = {"loss": "training", "val_loss": "validation"}.get(key, key)
        ax.plot(np.arange(1, len(values) + 1), values, label=label)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if logy:
        ax.set_yscale("log")
    ax.legend()
    return fig, ax


def plot_forecast(actual, forecasts: Mapping[str, Sequence[float]], *, x=None,
                  title: str = "Forecast against actual", xlabel: str = "time step",
                  ylabel: str = "value", figsize=None):
    """Draw the actual series and one or more forecasts of it on one axis (chapter 05).

    ``actual`` and each forecast are 1-D with the same length (for an ``(N, 1)`` forecast,
    pass ``forecast[:, 0]``); ``x`` (optional) gives their positions, e.g. dates.
    """
    truth = np.asarray(actual, dtype=float)
    if truth.ndim != 1:
        raise ValueError(f"actual must be 1-D, got shape {truth.shape}")
    positions = np.arange(truth.size) if x is None else x
    if len(positions) != truth.size:
        raise ValueError(f"x has {len(positions)} values but actual has {truth.size}")
    fig, ax = new_axes(title, xlabel, ylabel, figsize=figsize)
    ax.plot(positions, truth, color="black", lw=1.2, label="actual")
    for k, (name, forecast) in enumerate(forecasts.items()):
        values = np.asarray(forecast, dtype=float)
        if values.shape != truth.shape:
            raise ValueError(f"forecast {name!r} has shape {values.shape}, expected {truth.shape}")
        ax.plot(positions, values, color=PALETTE[k % len(PALETTE)], lw=1.2, alpha=0.9, label=name)
    ax.legend(ncol=min(4, len(forecasts) + 1))
    return fig, ax


def plot_histories(histories: Mapping[str, object], *, key: str = "val_loss",
                   title: str = "Validation loss", ylabel: str = "loss", logy: bool = False,
                   figsize=None):
    """Compare one curve (default ``val_loss``) of several training runs (chapter 05)."""
    if not histories:
        raise ValueError("histories must be a non-empty dict {label: History}")
    fig, ax = new_axes(title, "epoch", ylabel, figsize=figsize)
    for k, (label, history) in enumerate(histories.items()):
        curves = getattr(history, "history", history)
        if not isinstance(curves, Mapping) or key not in curves:
            raise ValueError(f"history {label!r} has no {key!r} entry")
        values = np.asarray(curves[key], dtype=float)
        ax.plot(np.arange(1, values.size + 1), values, color=PALETTE[k % len(PALETTE)],
                label=label)
    if logy:
        ax.set_yscale("log")
    ax.legend()
    return fig, ax


def plot_error_by_group(table, *, title: str, xlabel: str, ylabel: str, figsize=None):
    """Grouped bars of an error table: rows = groups (season, hour, step), columns = forecasters.

    Takes the DataFrame of ``lstm_lab.evaluation.error_by_group`` or ``error_by_horizon``
    (chapters 06, 07).
    """
    if table.empty:
        raise ValueError("table is empty")
    fig, ax = new_axes(title, xlabel, ylabel, figsize=figsize)
    n_groups, n_models = table.shape
    width = 0.8 / n_models
    positions = np.arange(n_groups)
    for k, name in enumerate(table.columns):
        ax.bar(positions + (k - (n_models - 1) / 2) * width, table[name].to_numpy(), width,
               color=PALETTE[k % len(PALETTE)], label=str(name))
    ax.set_xticks(positions, [str(g) for g in table.index])
    ax.legend(ncol=min(4, n_models))
    return fig, ax


def plot_splits(parts: Sequence, column: str, *, title: str, ylabel: str,
                xlabel: str = "time", names: Sequence[str] | None = None):
    """Draw one column of chronological parts (train, validation, test) in colours (chapter 04).

    ``parts`` is a sequence of time-indexed DataFrames, e.g. the ``Splits`` returned by
    ``lstm_lab.windows.split_by_date``; a dashed line marks where each later part begins.
    """
    names = list(getattr(parts, "_fields", ("train", "validation", "test"))
                 if names is None else names)
    parts = list(parts)
    if len(names) != len(parts) or not parts:
        raise ValueError(f"names must give one label per part: {len(names)} names for "
                         f"{len(parts)} part(s)")
    for name, part in zip(names, parts, strict=True):
        if column not in getattr(part, "columns", ()):
            raise ValueError(f"column {column!r} is not in the {name} part")
    fig, ax = new_axes(title, xlabel, ylabel)
    for i, (name, part) in enumerate(zip(names, parts, strict=True)):
        label = f"{name} ({len(part):,} rows)"
        ax.plot(part.index, part[column], color=PALETTE[i % len(PALETTE)], lw=0.9, label=label)
        if i:
            ax.axvline(part.index[0], color="0.3", ls="--", lw=1)
    ax.legend(loc="upper left", ncols=len(parts))
    return fig, ax
