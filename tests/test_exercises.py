"""lstm_lab.exercises: the "check your answer" helper of every chapter's exercises."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_lab import exercises


def test_right_answer_prints_a_short_confirmation(capsys):
    ns = {"x": np.arange(3)}
    exercises.check("ex-t", ["x"], [(lambda: ns["x"].sum() == 3, "sum should be 3")],
                    done="well done.", namespace=ns)
    assert capsys.readouterr().out == "\u2714 ex-t: right. well done.\n"


def test_missing_variables_are_named_and_nothing_is_tested():
    called = []
    with pytest.raises(exercises.AnswerMissing, match=r"ex-t: not answered yet\. Define `a` and "
                       r"`c` first"):
        exercises.check("ex-t", ["a", "b", "c"], [(lambda: called.append(1), "never")],
                        namespace={"b": 1})
    assert called == []


def test_missing_variable_found_by_the_notebook_globals():
    # the default namespace is the caller's globals: a name defined nowhere is reported
    with pytest.raises(exercises.AnswerMissing, match="`surely_not_defined_anywhere`"):
        exercises.check("ex-t", ["surely_not_defined_anywhere"], [(lambda: True, "h")])
    exercises.check("ex-t", ["np"], [(lambda: True, "h")])  # np is a global of this module


def test_name_error_inside_a_test_counts_as_missing():
    def uses_undefined():
        return undefined_name_in_a_test  # noqa: F821

    with pytest.raises(exercises.AnswerMissing, match="`undefined_name_in_a_test`"):
        exercises.check("ex-t", [], [(uses_undefined, "h")], namespace={})


def test_first_failing_test_gives_its_hint():
    tests = [(lambda: True, "first"), (lambda: False, "the second hint"), (lambda: False, "third")]
    with pytest.raises(exercises.AnswerWrong) as info:
        exercises.check("ex-t", [], tests, namespace={})
    assert str(info.value) == "ex-t: not right yet (check 2 of 3): the second hint"
    assert isinstance(info.value, AssertionError)  # so nbval fails the book version


def test_an_error_while_testing_is_a_wrong_answer_with_the_reason():
    with pytest.raises(exercises.AnswerWrong, match=r"shapes differ \[checking it raised "
                       r"ValueError: operands"):
        exercises.check("ex-t", [], [(lambda: np.ones(2) + np.ones(3), "shapes differ")],
                        namespace={})


def test_array_truth_value_is_an_error_not_a_pass():
    # bool(np.array([True, False])) raises: the check reports it instead of passing
    with pytest.raises(exercises.AnswerWrong, match="use all"):
        exercises.check("ex-t", [], [(lambda: np.array([True, False]), "use all")], namespace={})


@pytest.mark.parametrize("kwargs, error, match", [
    ({"label": ""}, TypeError, "label"),
    ({"label": 3}, TypeError, "label"),
    ({"needs": "x"}, TypeError, "needs"),
    ({"needs": ["not a name"]}, ValueError, "needs"),
    ({"tests": []}, ValueError, "tests"),
    ({"tests": "x"}, TypeError, "tests"),
    ({"tests": [(lambda: True,)]}, TypeError, "pair"),
    ({"tests": [(True, "hint")]}, TypeError, "pair"),
    ({"tests": [(lambda: True, "")]}, TypeError, "pair"),
    ({"done": None}, TypeError, "done"),
    ({"namespace": [1]}, TypeError, "namespace"),
])
def test_bad_calls_name_the_argument(kwargs, error, match):
    call = {"label": "ex-t", "needs": [], "tests": [(lambda: True, "h")], "namespace": {}}
    with pytest.raises(error, match=match):
        exercises.check(**{**call, **kwargs})


def test_digest_rounds_and_hides_the_value():
    assert exercises.digest(4.2651, 2) == exercises.digest(4.2749, 2) == exercises.digest(4.27)
    assert exercises.digest(4.27, 2) != exercises.digest(4.28, 2)
    assert exercises.digest(-0.001, 2) == exercises.digest(0.0, 2)
    assert exercises.digest(np.float32(10851), 0) == exercises.digest(10851, 0)
    assert len(exercises.digest(1.0)) == 12 and "1.00" not in exercises.digest(1.0)
    assert exercises.digest([0.0111, 0.4961], 3) == exercises.digest(np.array([0.011, 0.496]), 3)
    assert exercises.digest([1, 2], 0) != exercises.digest([2, 1], 0)


@pytest.mark.parametrize("value, decimals, error", [
    (float("nan"), 2, ValueError), (float("inf"), 2, ValueError), ("abc", 2, TypeError),
    ("4.2", 2, TypeError), ([], 2, ValueError), ([1.0, float("nan")], 2, ValueError),
    ([[1.0], [2.0, 3.0]], 2, TypeError), ({"a": 1}, 2, TypeError),
    (True, 2, TypeError), (None, 2, TypeError), (1.0, -1, ValueError), (1.0, 1.5, ValueError),
])
def test_digest_bad_input(value, decimals, error):
    with pytest.raises(error):
        exercises.digest(value, decimals)


def test_notebooks_show_the_message_not_a_traceback():
    error = exercises.AnswerWrong("ex-t: not right yet (check 1 of 1): hint")
    assert error._render_traceback_() == [
        "\x1b[31mAnswerWrong\x1b[39m: ex-t: not right yet (check 1 of 1): hint"]
