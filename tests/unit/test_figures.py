"""Figure builders: rows in, traces out; partial periods distinct, breaks and events drawn,
shares on a percent axis, breakdowns never stacked."""

import datetime as dt

import pandas as pd

from dashboards._shared.figures import Marker, breakdown_bars, date_position, period_bars

D = dt.date


def rows():
    return pd.DataFrame({
        "period_start": [D(2021, 1, 1), D(2022, 1, 1), D(2023, 1, 1), D(2024, 1, 1),
                         D(2024, 1, 1)],
        "period_end": [D(2021, 12, 31), D(2022, 12, 31), D(2023, 12, 31), D(2024, 7, 31),
                       D(2024, 12, 31)],
        "is_complete": [True, True, True, False, True],
        "value": [156.0, 160.0, 180.0, 297.0, 1202.0],
        "series": ["recorded"] * 4 + ["reported"],
        "source": ["Rep. Jo"] * 3 + ["KBS", "MBC"],
        "unit_text": ["cases"] * 5,
    })


def test_partial_periods_are_their_own_hatched_trace_labelled_with_months():
    fig = period_bars(rows(), "en", "cases", is_share=False)
    traces = {t.name: t for t in fig.data}
    assert set(traces) == {"recorded", "recorded (partial)", "reported"}
    partial = traces["recorded (partial)"]
    assert list(partial.x) == ["2024 Jan–Jul (partial)"] and list(partial.y) == [297.0]
    assert partial.marker.pattern.shape == "/"
    assert traces["recorded"].marker.pattern.shape == ""
    assert list(fig.layout.xaxis.categoryarray) == [
        "2021", "2022", "2023", "2024 Jan–Jul (partial)", "2024"]
    assert fig.layout.yaxis.title.text == "cases" and fig.layout.barmode == "group"


def test_breaks_and_events_are_drawn_where_their_dates_fall():
    markers = [Marker(D(2024, 1, 1), "Recorded → reported", "break"),
               Marker(D(2024, 8, 28), "Crackdown", "event"),
               Marker(D(2019, 1, 1), "Before the axis", "event")]
    fig = period_bars(rows(), "en", "cases", is_share=False, markers=markers)
    shapes = fig.layout.shapes
    assert len(shapes) == 2  # the event before the first period is left out
    assert shapes[0].x0 == 2.5 and shapes[0].line.dash == "solid"
    assert 4.1 < shapes[1].x0 < 4.2 and shapes[1].line.dash == "dot"
    assert [a.text for a in fig.layout.annotations] == ["⟂ Recorded → reported", "Crackdown"]


def test_date_position_starts_periods_and_prefers_the_last_holder():
    periods = [(D(2024, 1, 1), D(2024, 7, 31)), (D(2024, 1, 1), D(2024, 12, 31))]
    assert date_position(periods, D(2024, 1, 1)) == -0.5
    assert 1.1 < date_position(periods, D(2024, 9, 1)) < 1.2
    assert date_position(periods, D(2025, 1, 1)) is None


def test_shares_get_a_percent_axis_from_0_to_100():
    share = rows().assign(value=[65.4, 61.2, 75.8, 73.6, 80.3])
    fig = period_bars(share, "en", "percent", is_share=True)
    assert tuple(fig.layout.yaxis.range) == (0, 100) and fig.layout.yaxis.ticksuffix == "%"


def test_breakdowns_sit_side_by_side_never_stacked():
    ages = pd.DataFrame({
        "category_label": ["Teens", "Aged 10–13 (within teens)", "20s"],
        "value": [548.0, 104.0, 107.0], "period": ["2024"] * 3, "is_complete": [True] * 3,
        "source": ["Yonhap"] * 3, "unit_text": ["persons"] * 3,
    })
    fig = breakdown_bars(ages, "en", "persons", is_share=False)
    assert fig.layout.barmode == "group"
    assert list(fig.data[0].y) == [548.0, 104.0, 107.0]
