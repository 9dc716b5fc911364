"""The forecasting plots added to lstm_lab.plotting in chapter 05."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from lstm_lab import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_forecast_draws_actual_and_each_forecast():
    actual = np.arange(10.0)
    fig, ax = plotting.plot_forecast(actual, {"a": actual + 1, "b": actual - 1},
                                     title="T", ylabel="°C")
    assert [line.get_label() for line in ax.get_lines()] == ["actual", "a", "b"]
    assert ax.get_title() == "T" and ax.get_ylabel() == "°C"
    with pytest.raises(ValueError, match="forecast 'a' has shape"):
        plotting.plot_forecast(actual, {"a": actual[:5]})
    with pytest.raises(ValueError, match="x has 3 values"):
        plotting.plot_forecast(actual, {}, x=[1, 2, 3])
    with pytest.raises(ValueError, match="actual must be 1-D"):
        plotting.plot_forecast(np.ones((3, 2)), {})


def test_plot_histories_and_error_by_group():
    fig, ax = plotting.plot_histories({"x": {"val_loss": [3, 2, 1]}, "y": {"val_loss": [1, 1]}})
    assert len(ax.get_lines()) == 2
    with pytest.raises(ValueError, match="history 'x' has no 'loss'"):
        plotting.plot_histories({"x": {"val_loss": [1]}}, key="loss")
    with pytest.raises(ValueError, match="histories must be a non-empty"):
        plotting.plot_histories({})
    table = pd.DataFrame({"f": [1.0, 2.0], "g": [2.0, 1.0]}, index=["winter", "summer"])
    fig, ax = plotting.plot_error_by_group(table, title="MAE by season", xlabel="season",
                                           ylabel="MAE (°C)")
    assert len(ax.patches) == 4
    assert [t.get_text() for t in ax.get_xticklabels()] == ["winter", "summer"]
    with pytest.raises(ValueError, match="table is empty"):
        plotting.plot_error_by_group(pd.DataFrame(), title="t", xlabel="x", ylabel="y")


def test_plot_forecast_formats_dates_concisely():
    import matplotlib.dates as mdates

    dates = pd.date_range("2015-01-01", periods=90, freq="D")
    fig, ax = plotting.plot_forecast(np.arange(90.0), {"f": np.arange(90.0)}, x=dates)
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
