"""Question types and whether a sentence holds the kind of fact asked for."""

from __future__ import annotations

from bot.answer.shape import Wants, holds, question_wants


def test_question_wants_a_date_for_when_questions() -> None:
    assert question_wants("When did Kling 3.0 launch?") is Wants.DATE


def test_holds_date_for_a_month_and_day() -> None:
    assert holds("It launched on Sept. 5 in Beijing.", Wants.DATE)
    assert holds("It launched on february 14.", Wants.DATE)


def test_holds_date_needs_a_whole_month_name() -> None:
    # The word before a number only starts like a month: no date is stated.
    assert not holds("Its share declined 5 points.", Wants.DATE)
    assert not holds("The Social Charter declares 30 principles.", Wants.DATE)
    assert not holds("Marvel 2 sold well.", Wants.DATE)


def test_holds_date_for_a_year_or_a_relative_day() -> None:
    assert holds("It was founded in 2019.", Wants.DATE)
    assert holds("It shipped yesterday.", Wants.DATE)
