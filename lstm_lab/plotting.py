"""The course's figure style and shared plots.

Chapter 00 introduces :func:`use_course_style`; later chapters add plots here
(forecast against actual, training history, error by horizon) as they teach them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.dates as mdates
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
    if np.issubdtype(np.asarray(positions).dtype, np.datetime64):
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
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


# ----------------------------------------------------------------- Part I: the LSTM cell
def _box(ax, xy, text, color, *, width=0.9, height=0.62, fontsize=13):
    from matplotlib.patches import FancyBboxPatch

    x, y = xy
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.02,rounding_size=0.12", linewidth=1.6,
                                edgecolor=color, facecolor=mpl.colors.to_rgba(color, 0.18),
                                zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=4)


def _op(ax, xy, symbol, *, radius=0.24):
    from matplotlib.patches import Circle

    ax.add_patch(Circle(xy, radius, facecolor="white", edgecolor="0.2", linewidth=1.4, zorder=3))
    ax.text(*xy, symbol, ha="center", va="center", fontsize=13, zorder=4)


def _arrow(ax, start, end, color="0.25", *, lw=1.6, zorder=2.5):
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=13, color=color,
                                 linewidth=lw, shrinkA=0, shrinkB=0, zorder=zorder))


def _line(ax, xs, ys, color="0.25", lw=1.6):
    ax.plot(xs, ys, color=color, linewidth=lw, solid_capstyle="round", zorder=2)


def draw_lstm_cell(ax=None, *, show_equations: bool = True):
    """Draw one LSTM cell: the cell-state line, four gates and their pointwise operations (ch. 02).

    Colours: forget gate vermillion, input gate blue, candidate green, output gate purple;
    the thick line along the top is the cell state, the thin line along the bottom carries
    ``[h_{t-1}, x_t]`` to every gate. Returns ``(fig, ax)``.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(9.5, 5.6))
    else:
        fig = ax.figure
    ax.set_xlim(-0.6, 11.4)
    ax.set_ylim(-0.9, 6.4)
    ax.set_aspect("equal")
    ax.axis("off")
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((0.9, 0.35), 8.6, 5.0, boxstyle="round,pad=0.05,rounding_size=0.4",
                                facecolor="0.97", edgecolor="0.55", linewidth=1.2, zorder=0))
    c_forget, c_input, c_cand, c_out = PALETTE[1], PALETTE[0], PALETTE[2], PALETTE[3]
    cell_y, gate_y, bus_y = 4.55, 2.45, 1.0
    xf, xi, xc, xo, xh = 2.5, 4.0, 5.3, 6.9, 8.3
    # cell state: c_{t-1} -> (x f) -> (+ i*c~) -> c_t
    _line(ax, [-0.3, xf - 0.24], [cell_y, cell_y], "0.1", 3.2)
    _line(ax, [xf + 0.24, (xi + xc) / 2 - 0.24], [cell_y, cell_y], "0.1", 3.2)
    _arrow(ax, ((xi + xc) / 2 + 0.24, cell_y), (10.9, cell_y), "0.1", lw=3.2, zorder=2)
    ax.text(-0.3, cell_y + 0.3, r"$c_{t-1}$", fontsize=14, ha="left")
    ax.text(10.9, cell_y + 0.3, r"$c_t$", fontsize=14, ha="right")
    ax.text(6.4, cell_y + 0.28, "cell state: the long-term memory", fontsize=10, color="0.3",
            style="italic", ha="center")
    # input bus: h_{t-1} from the left, x_t from below, joined as [h_{t-1}, x_t]
    _line(ax, [-0.3, xo], [bus_y, bus_y], "0.25")
    _line(ax, [1.5, 1.5], [-0.6, bus_y], "0.25")
    ax.plot([1.5], [bus_y], "o", color="0.25", markersize=5, zorder=3)
    ax.text(-0.3, bus_y - 0.4, r"$h_{t-1}$", fontsize=14, ha="left")
    ax.text(1.65, -0.62, r"$x_t$", fontsize=14, ha="left")
    ax.text(1.6, bus_y + 0.12, r"$[h_{t-1}, x_t]$", fontsize=10, color="0.3", ha="left",
            va="bottom")
    gates = ((xf, c_forget, r"$\sigma$", r"$f_t$", "forget"),
             (xi, c_input, r"$\sigma$", r"$i_t$", "input"),
             (xc, c_cand, r"$\tanh$", r"$\tilde c_t$", "candidate"),
             (xo, c_out, r"$\sigma$", r"$o_t$", "output"))
    for x, color, act, name, label in gates:
        _arrow(ax, (x, bus_y), (x, gate_y - 0.31), "0.25")
        _box(ax, (x, gate_y), act, color)
        ax.text(x + 0.5, gate_y + 0.42, name, fontsize=13, color=color, ha="left")
        ax.text(x, gate_y - 0.55, label, fontsize=9, color=color, ha="center", va="top",
                bbox={"facecolor": "0.97", "edgecolor": "none", "pad": 0.5}, zorder=4)
    # forget: f_t scales the old cell state
    _arrow(ax, (xf, gate_y + 0.31), (xf, cell_y - 0.24), c_forget, lw=2)
    _op(ax, (xf, cell_y), r"$\times$")
    # input: i_t * c~_t is added
    xm, ym = (xi + xc) / 2, 3.55
    _line(ax, [xi, xi, xm - 0.24], [gate_y + 0.31, ym, ym], c_input, 2)
    _line(ax, [xc, xc, xm + 0.24], [gate_y + 0.31, ym, ym], c_cand, 2)
    _op(ax, (xm, ym), r"$\times$")
    _arrow(ax, (xm, ym + 0.24), (xm, cell_y - 0.24), "0.25", lw=2)
    _op(ax, (xm, cell_y), "+")
    # output: h_t = o_t * tanh(c_t)
    _arrow(ax, (xh, cell_y), (xh, 3.55 + 0.3), "0.1", lw=1.8)
    ax.plot([xh], [cell_y], "o", color="0.1", markersize=5, zorder=3)
    _box(ax, (xh, 3.55), r"$\tanh$", "0.45", width=0.85, height=0.5, fontsize=11)
    _arrow(ax, (xh, 3.55 - 0.25), (xh, gate_y + 0.24), "0.25")
    _arrow(ax, (xo + 0.45, gate_y), (xh - 0.24, gate_y), c_out, lw=2)
    _op(ax, (xh, gate_y), r"$\times$")
    _line(ax, [xh, xh], [gate_y - 0.24, bus_y - 0.5], "0.25")
    _arrow(ax, (xh, bus_y - 0.5), (10.9, bus_y - 0.5), "0.25")
    ax.text(10.9, bus_y - 0.35, r"$h_t$", fontsize=14, ha="right", va="bottom")
    _line(ax, [xh + 0.24, 9.9], [gate_y, gate_y], "0.25")
    ax.plot([9.9, 9.9], [cell_y - 0.2, cell_y + 0.2], color="white", linewidth=7, zorder=2.4)
    _arrow(ax, (9.9, gate_y), (9.9, 6.2), "0.25")
    ax.text(10.05, 6.0, r"$h_t$ (output)", fontsize=12, ha="left", va="top")
    if show_equations:
        eqs = (r"$f_t = \sigma([h_{t-1}, x_t]\,W_f + b_f)$   "
               r"$i_t = \sigma([h_{t-1}, x_t]\,W_i + b_i)$   "
               r"$\tilde c_t = \tanh([h_{t-1}, x_t]\,W_c + b_c)$" "\n"
               r"$o_t = \sigma([h_{t-1}, x_t]\,W_o + b_o)$   $c_t = f_t \odot c_{t-1} + "
               r"i_t \odot \tilde c_t$   $h_t = o_t \odot \tanh(c_t)$")
        ax.text(5.2, 6.25, eqs, fontsize=10.5, ha="center", va="top", linespacing=1.6)
    ax.set_title("One LSTM cell, one time step")
    return fig, ax
