import numpy as np
import pytest

from lstm_lab.checks import check_int


def test_check_int_accepts_python_and_numpy_ints():
    assert check_int(3, "n") == 3 and type(check_int(np.int64(3), "n")) is int
    assert check_int(0, "n", minimum=0) == 0


@pytest.mark.parametrize("bad, exc", [(1.0, TypeError), ("2", TypeError), (True, TypeError),
                                      (0, ValueError), (-5, ValueError)])
def test_check_int_names_the_argument(bad, exc):
    with pytest.raises(exc, match="horizon"):
        check_int(bad, "horizon")
