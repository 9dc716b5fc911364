"""lstm_lab.forecasting: the multi-step strategies of chapter 10 against hand computations."""

import numpy as np
import pytest

from lstm_lab import forecasting


def ar2(windows):
    """A fixed one-step rule on the last two values: 1.5 x_t - 0.6 x_{t-1}."""
    w = np.asarray(windows)[:, :, 0]
    return 1.5 * w[:, -1] - 0.6 * w[:, -2]


def test_recursive_forecast_feeds_back_its_own_forecasts():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 4))
    P = forecasting.recursive_forecast(ar2, X, steps=6)
    assert P.shape == (5, 6)
    for i in range(5):  # by hand: the AR(2) recursion continued from each window
        history = list(X[i])
        for k in range(6):
            history.append(1.5 * history[-1] - 0.6 * history[-2])
            assert P[i, k] == pytest.approx(history[-1])


def test_recursive_forecast_drops_the_oldest_value():
    seen = []

    def oldest(windows):  # forecasts the window's first value: reveals the window each step
        seen.append(np.asarray(windows)[:, :, 0].copy())
        return np.asarray(windows)[:, 0, :]  # (N, 1) is accepted

    X = np.array([[1.0, 2.0, 3.0]])
    P = forecasting.recursive_forecast(oldest, X[:, :, None], steps=4)
    np.testing.assert_array_equal(P, [[1.0, 2.0, 3.0, 1.0]])
    np.testing.assert_array_equal(seen[1], [[2.0, 3.0, 1.0]])
    assert all(w.shape == (1, 3) for w in seen)


def test_recursive_forecast_with_a_keras_model_matches_its_one_step_forecast():
    keras = pytest.importorskip("keras")
    from lstm_lab import models

    model = models.lstm_forecaster(8, units=4, seed=1)
    X = np.random.default_rng(1).normal(size=(6, 8)).astype("float32")
    P = forecasting.recursive_forecast(model, X, steps=3)
    first = model(X[:, :, None], training=False).numpy().ravel()
    np.testing.assert_allclose(P[:, 0], first, rtol=1e-5, atol=1e-6)
    second_window = np.concatenate([X[:, 1:], P[:, :1]], axis=1)[:, :, None].astype("float32")
    np.testing.assert_allclose(P[:, 1], model(second_window, training=False).numpy().ravel(),
                               rtol=1e-5, atol=1e-6)
    assert isinstance(model, keras.Model)


@pytest.mark.parametrize("call, error, match", [
    (lambda: forecasting.recursive_forecast(ar2, np.zeros((3, 4, 2)), 2), ValueError, "X must be"),
    (lambda: forecasting.recursive_forecast(ar2, np.zeros(4), 2), ValueError, "X must be"),
    (lambda: forecasting.recursive_forecast(ar2, np.zeros((0, 4)), 2), ValueError, "X must be"),
    (lambda: forecasting.recursive_forecast(ar2, [[1.0, np.nan]], 2), ValueError, "NaN"),
    (lambda: forecasting.recursive_forecast(ar2, np.zeros((3, 4)), 0), ValueError, "steps"),
    (lambda: forecasting.recursive_forecast(ar2, np.zeros((3, 4)), 2.0), TypeError, "steps"),
    (lambda: forecasting.recursive_forecast("model", np.zeros((3, 4)), 2), TypeError, "model"),
    (lambda: forecasting.recursive_forecast(lambda w: np.zeros((3, 2)), np.zeros((3, 4)), 2),
     ValueError, "one forecast per window"),
])
def test_recursive_forecast_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_direct_targets_pick_each_step():
    y = np.arange(12.0).reshape(3, 4)
    targets = forecasting.direct_targets(y[:, :, None], [1, 4])
    np.testing.assert_array_equal(targets[1], [0.0, 4.0, 8.0])
    np.testing.assert_array_equal(targets[4], [3.0, 7.0, 11.0])
    with pytest.raises(ValueError, match="between 1 and 4"):
        forecasting.direct_targets(y, [5])
    with pytest.raises(ValueError, match="horizons"):
        forecasting.direct_targets(y, [])
    with pytest.raises(ValueError, match="horizons"):
        forecasting.direct_targets(y, 2)


def test_dirrec_inputs_and_forecast():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert forecasting.dirrec_inputs(X, None).shape == (2, 2, 1)
    np.testing.assert_array_equal(forecasting.dirrec_inputs(X, [[9.0], [8.0]])[:, :, 0],
                                  [[1.0, 2.0, 9.0], [3.0, 4.0, 8.0]])

    def last_plus(c):  # step model: last input value + c
        return lambda inputs: np.asarray(inputs)[:, -1, 0] + c

    P = forecasting.dirrec_forecast([last_plus(1.0), last_plus(10.0), last_plus(100.0)], X)
    np.testing.assert_array_equal(P, [[3.0, 13.0, 113.0], [5.0, 15.0, 115.0]])
    with pytest.raises(ValueError, match="previous"):
        forecasting.dirrec_inputs(X, np.zeros((3, 1)))
    with pytest.raises(ValueError, match="models"):
        forecasting.dirrec_forecast([], X)
    with pytest.raises(ValueError, match=r"models\[0\]"):
        forecasting.dirrec_forecast([lambda inputs: np.zeros((2, 3))], X)


# ----------------------------------------------------------------------------- chapter 14


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    pd = pytest.importorskip("pandas")
    from lstm_lab import models, training, windows

    index = pd.date_range("2024-01-01", periods=400, freq="30min", name="time")
    t = np.arange(400)
    frame = pd.DataFrame({"demand_gw": 5 + np.sin(2 * np.pi * t / 48),
                          "temp_c": 15 + 3 * np.cos(2 * np.pi * t / 48)}, index=index)
    scaler = windows.TrainScaler("standard").fit(frame.iloc[:300])
    spec = windows.WindowSpec(24, 6, targets="demand_gw")
    X, y = spec.arrays(scaler.transform(frame))
    model = models.lstm_forecaster(24, 2, 6, units=4, seed=0)
    training.fit(model, X[:200], y[:200, :, 0], (X[200:250], y[200:250, :, 0]), epochs=1,
                 batch_size=64)
    folder = forecasting.save_forecaster(tmp_path_factory.mktemp("fc") / "demand", model, scaler,
                                         spec, {"trained_on": "synthetic"}, freq="30min")
    return frame, scaler, spec, model, folder


def test_saved_forecaster_gives_identical_forecasts(trained):
    frame, scaler, spec, model, folder = trained
    fc = forecasting.load_forecaster(folder)
    out = fc.forecast(frame.iloc[:300])
    # by hand: scaler -> last window -> model -> inverse scaling
    window = scaler.transform(frame.iloc[:300]).to_numpy()[-24:][None].astype("float32")
    expected = scaler.inverse_column(np.asarray(model(window, training=False)).ravel(),
                                     "demand_gw")
    np.testing.assert_allclose(out["demand_gw"].to_numpy(), expected, rtol=1e-6)
    assert list(out.columns) == ["demand_gw"] and len(out) == 6
    assert out.index[0] == frame.index[299] + np.timedelta64(30, "m")
    assert out.index.freqstr == "30min" and fc.metadata == {"trained_on": "synthetic"}
    assert not any(p.suffix in (".pkl", ".pickle") for p in folder.iterdir())


def test_forecaster_reloads_in_a_fresh_python_process(trained):
    import subprocess
    import sys

    frame, _, _, _, folder = trained
    csv = folder.parent / "rows.csv"
    frame.iloc[:300].to_csv(csv)
    code = ("import lstm_lab, pandas as pd; from lstm_lab import forecasting; "
            f"f = pd.read_csv({str(csv)!r}, index_col=0, parse_dates=True); "
            f"print(forecasting.load_forecaster({str(folder)!r}).forecast(f).to_json())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    fresh = __import__("pandas").read_json(__import__("io").StringIO(done.stdout.strip()))
    here = forecasting.load_forecaster(folder).forecast(frame.iloc[:300])
    np.testing.assert_allclose(fresh["demand_gw"].to_numpy(), here["demand_gw"].to_numpy(),
                               rtol=1e-6)


def test_tampered_files_fail_loudly(trained, tmp_path):
    import json
    import shutil

    *_, folder = trained
    edited = shutil.copytree(folder, tmp_path / "edited")
    record = json.loads((edited / "forecaster.json").read_text())
    record["payload"]["scaler"]["mean"][0] += 1.0
    (edited / "forecaster.json").write_text(json.dumps(record))
    with pytest.raises(ValueError, match="forecaster.json was edited"):
        forecasting.load_forecaster(edited)
    corrupted = shutil.copytree(folder, tmp_path / "corrupted")
    with open(corrupted / "model.keras", "ab") as file:
        file.write(b"\0")
    with pytest.raises(ValueError, match="model.keras was edited or corrupted"):
        forecasting.load_forecaster(corrupted)
    broken = shutil.copytree(folder, tmp_path / "broken")
    (broken / "forecaster.json").write_text("{not json")
    with pytest.raises(ValueError, match="not a valid forecaster"):
        forecasting.load_forecaster(broken)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="forecaster.json is missing"):
        forecasting.load_forecaster(tmp_path / "empty")


def test_bad_frames_are_rejected(trained):
    frame, *_, folder = trained
    fc = forecasting.load_forecaster(folder)
    with pytest.raises(ValueError, match="missing the input column"):
        fc.forecast(frame[["demand_gw"]])
    with pytest.raises(ValueError, match="at least input_width = 24 rows"):
        fc.forecast(frame.iloc[:10])
    with pytest.raises(ValueError, match="not regular"):
        fc.forecast(frame.iloc[:300].drop(frame.index[290]))
    with pytest.raises(ValueError, match="time step"):
        fc.forecast(frame.iloc[:300:2])
    with pytest.raises(ValueError, match="DatetimeIndex"):
        fc.forecast(frame.reset_index(drop=True))
    with pytest.raises(TypeError, match="frame"):
        fc.forecast(frame.to_numpy())
    with pytest.raises(ValueError, match="NaN"):
        fc.forecast(frame.iloc[:300].assign(temp_c=np.nan))


def test_save_forecaster_bad_arguments(trained, tmp_path):
    from lstm_lab import windows

    frame, scaler, spec, model, _ = trained
    with pytest.raises(TypeError, match="model"):
        forecasting.save_forecaster(tmp_path / "a", "model", scaler, spec)
    with pytest.raises(TypeError, match="scaler"):
        forecasting.save_forecaster(tmp_path / "a", model, None, spec)
    with pytest.raises(ValueError, match="not fitted"):
        forecasting.save_forecaster(tmp_path / "a", model, windows.TrainScaler(), spec)
    with pytest.raises(ValueError, match="columns the scaler was not fitted on"):
        forecasting.save_forecaster(tmp_path / "a", model, scaler,
                                    windows.WindowSpec(24, 6, targets="wind"))
    with pytest.raises(ValueError, match="metadata must be JSON"):
        forecasting.save_forecaster(tmp_path / "a", model, scaler, spec, {"x": object()})
    with pytest.raises(ValueError, match="freq"):
        forecasting.save_forecaster(tmp_path / "a", model, scaler, spec, freq="fortnightly")


# ----------------------------------------------------------------------------- chapter 12


def test_conformal_quantiles_by_hand():
    residuals = np.arange(1.0, 10.0)  # n = 9: (n + 1) * tau = 10 tau
    q = forecasting.conformal_quantiles(residuals, [0.05, 0.1, 0.25, 0.5, 0.9, 0.95])
    # floor(0.5) = 0 -> -inf, floor(1) = 1st, floor(2.5) = 2nd, floor(5) = 5th, ceil(9) = 9th,
    # ceil(9.5) = 10th of 9 -> +inf
    np.testing.assert_array_equal(q, [-np.inf, 1.0, 2.0, 5.0, 9.0, np.inf])
    two = forecasting.conformal_quantiles(np.column_stack([residuals, -residuals]), [0.1, 0.9])
    np.testing.assert_array_equal(two, [[1.0, 9.0], [-9.0, -1.0]])
    with pytest.raises(ValueError, match="levels"):
        forecasting.conformal_quantiles(residuals, [0.5, 1.0])
    with pytest.raises(ValueError, match="residuals"):
        forecasting.conformal_quantiles([1.0], [0.5])
    with pytest.raises(ValueError, match="NaN"):
        forecasting.conformal_quantiles([1.0, np.nan], [0.5])


def test_conformal_intervals_cover_at_least_nominally_on_exchangeable_errors():
    rng = np.random.default_rng(0)
    covered = []
    for _ in range(400):  # calibration and new errors from the same heavy-tailed law
        calibration, new = rng.standard_t(3, size=19), rng.standard_t(3)
        low, high = forecasting.conformal_quantiles(calibration, [0.1, 0.9])
        covered.append(low <= new <= high)
    assert np.mean(covered) >= 0.8 - 0.03  # guaranteed >= 0.8 in expectation; 400 draws
