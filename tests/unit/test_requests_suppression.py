"""Small-cell suppression: primary cells, complementary cells, and (property-based) that for
any table no published entry is 1-9 and no hidden entry follows from the published ones."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from db.queries.requests import _share
from db.queries.suppression import (
    COMPLEMENTARY,
    PRIMARY,
    PUBLISHED,
    bridges,
    derivable,
    suppress_table,
    with_margins,
)

P, C, N = PRIMARY, COMPLEMENTARY, PUBLISHED  # N: not hidden


def test_margins_are_the_row_column_and_grand_totals():
    grid = with_margins(np.array([[1, 2], [3, 4]]))
    assert grid.tolist() == [[1, 2, 3], [3, 4, 7], [4, 6, 10]]


def test_a_table_without_small_counts_is_published_whole():
    table = suppress_table(np.array([[10, 20], [0, 30]]), 10)
    assert not table.hidden.any()


def test_one_small_cell_takes_its_cheapest_cycle_with_it():
    # 5 alone would be 55 - 20 - 30: its row, its column and a fourth cell are hidden too
    table = suppress_table(np.array([[5, 20, 30], [40, 50, 60]]), 10)
    assert table.status.tolist() == [
        [P, C, N, N],
        [C, C, N, N],
        [N, N, N, N],
    ]
    assert derivable(table.values, table.hidden) == []


def test_subtracting_from_a_total_would_reveal_the_cell_without_complements():
    values = with_margins(np.array([[5, 20, 30], [40, 50, 60]]))
    only_primary = (values >= 1) & (values < 10)
    assert derivable(values, only_primary) == [(0, 0)]  # 55 - 20 - 30 = 5
    assert bridges(only_primary) == [(0, 0)]


def test_a_small_total_is_hidden_and_protected_like_any_cell():
    # row 0 sums to 8: the margin is primary too; its cells 3 and 5 are primary
    table = suppress_table(np.array([[3, 5], [40, 60]]), 10)
    assert table.status[0].tolist() == [P, P, P]
    assert derivable(table.values, table.hidden) == []
    published = table.values[~table.hidden]
    assert not ((published >= 1) & (published < 10)).any()


def test_two_small_cells_in_a_row_still_need_their_columns_protected():
    # 4 and 6 hide each other in their row, but each is alone in its column
    table = suppress_table(np.array([[4, 6, 50], [30, 40, 50]]), 10)
    assert derivable(table.values, table.hidden) == []
    assert table.status[0, 0] == P and table.status[0, 1] == P
    assert (table.status[1, :2] == C).all()  # the cheapest cycle: the cells below them


def test_zeros_are_published_and_never_chosen_as_complements():
    table = suppress_table(np.array([[7, 0, 30], [0, 0, 40], [20, 0, 10]]), 10)
    assert (table.values[table.status == C] > 0).all()
    assert table.status[1, 1] == N and table.values[1, 1] == 0
    assert derivable(table.values, table.hidden) == []


def test_the_threshold_is_a_setting():
    table = suppress_table(np.array([[12, 30], [40, 50]]), 20)
    assert table.status[0, 0] == P
    assert not suppress_table(np.array([[12, 30], [40, 50]]), 10).hidden.any()


def test_shares_need_enough_requests_and_must_not_reveal_a_small_count():
    assert _share(40, 50, 10) == 80.0
    assert _share(5, 9, 10) is None  # fewer than 10 decided requests
    assert _share(3, 50, 10) is None  # 6% of 50 would give the 3 away
    assert _share(47, 50, 10) is None  # and so would 94% (50 - 47 = 3)
    assert _share(0, 50, 10) == 0.0
    assert _share(50, 50, 10) == 100.0


counts = st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 60), st.integers(61, 5000))


@st.composite
def tables(draw):
    rows = draw(st.integers(1, 6))
    columns = draw(st.integers(1, 8))
    return np.array([[draw(counts) for _ in range(columns)] for _ in range(rows)], dtype=np.int64)


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(2, 15))
def test_no_published_entry_is_small_and_no_hidden_entry_can_be_derived(cells, threshold):
    table = suppress_table(cells, threshold)
    published = table.values[~table.hidden]
    assert not ((published >= 1) & (published < threshold)).any()
    assert derivable(table.values, table.hidden) == []
    # every small entry is hidden as primary; complements are never zeros
    small = (table.values >= 1) & (table.values < threshold)
    assert (table.status[small] == P).all()
    assert (table.values[table.status == C] > 0).all()
    # the published cells are the true ones
    assert (table.values[:-1, :-1] == cells).all()
