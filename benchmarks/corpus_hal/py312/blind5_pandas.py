"""blind5 / pandas 3.1 (issue 15, point 3).

Sources: pandas 3.0.0 "Removal of prior version deprecations" (``DataFrame.applymap`` -> ``map``,
``Styler.applymap`` -> ``map``, ``fillna(method=)`` -> ``ffill``/``bfill``, ``read_csv(delim_whitespace=)``,
``groupby(axis=)``, ``DataFrame.first``/``last`` with offsets, ``Index.is_numeric``;
https://pandas.pydata.org/docs/whatsnew/v3.0.0.html), 2.0 removals (``Styler.hide_index``,
``Series.dt.weekday_name``, ``is_monotonic``, ``assert_frame_equal(check_less_precise=)``, ``pd.np``,
``Grouper(base=)``), polars' ``DataFrame(schema=)``, torch's ``var(unbiased=)``, ``sorted(reverse=)``,
``str.split(maxsplit=)``, dateutil's ``relativedelta.hours``, SQL joins' ``join_type``.
"""

import io

import pandas as pd

CSV = "k,a,b\nx,1,2\ny,3,\nx,5,6\n"


def _load() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(CSV))


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.DataFrame({"k": [1, 2], "a": [3, 4]}), pd.DataFrame({"k": [1, 2], "b": [5, 6]})


def case_applymap():
    df = pd.DataFrame({"a": [1, 2]})
    return df.applymap(str)  # HAL: version-drift; receiver=constructor


def case_read_csv_delim_whitespace():
    return pd.read_csv(io.StringIO("a b\n1 2\n"), delim_whitespace=True)  # HAL: version-drift; receiver=module


def case_fillna_method():
    df = pd.read_csv(io.StringIO(CSV))
    return df.fillna(method="ffill")  # HAL: version-drift; receiver=factory


def case_groupby_axis():
    df = pd.DataFrame({"k": ["x", "y"], "a": [1, 2]})
    return df.groupby("k", axis=1).sum()  # HAL: version-drift; receiver=constructor


def case_style_hide_index():
    return _load().style.hide_index()  # HAL: version-drift; receiver=chain


def case_styler_applymap():
    styler = _load().style
    return styler.applymap(lambda v: "color: red")  # HAL: version-drift; receiver=chain


def case_dt_weekday_name():
    s = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02"]))
    return s.dt.weekday_name  # HAL: version-drift; receiver=chain


def case_loop_timestamp_is_weekend():
    flags = []
    for ts in pd.date_range("2024-01-01", periods=3, freq="D"):
        flags.append(ts.is_weekend)  # HAL: invented-member; receiver=loop
    return flags


def case_itertuples_get():
    out = []
    for row in _load().itertuples(index=False):
        out.append(row.get("a"))  # HAL: other-library-idiom; receiver=loop
    return out


def case_timedelta_hours():
    delta = pd.Timestamp("2024-01-02 06:00") - pd.Timestamp("2024-01-01")
    return delta.hours  # HAL: other-library-idiom; receiver=operator


def case_str_contains_ignore_case():
    return _load()["k"].str.contains("X", ignore_case=True)  # HAL: invented-keyword; receiver=chain


def case_str_split_maxsplit():
    s = pd.Series(["a,b,c", "d,e"])
    return s.str.split(",", maxsplit=1)  # HAL: other-library-idiom; receiver=chain


def case_helper_sort_values_reverse():
    return _load().sort_values("a", reverse=True)  # HAL: other-library-idiom; receiver=helper-return


def case_unpack_merge_join_type():
    left, right = _frames()
    return left.merge(right, on="k", join_type="left")  # HAL: invented-keyword; receiver=unpack


def case_value_counts_top():
    return _load()["k"].value_counts(top=1)  # HAL: invented-keyword; receiver=chain


def case_rolling_window_size():
    s = pd.Series([1.0, 2.0, 3.0])
    return s.rolling(window_size=2).mean()  # HAL: invented-keyword; receiver=constructor


def case_assert_frame_equal_less_precise():
    df = _load()
    pd.testing.assert_frame_equal(df, df, check_less_precise=True)  # HAL: version-drift; receiver=module


def case_json_normalize_separator():
    return pd.json_normalize([{"a": {"b": 1}}], separator=".")  # HAL: invented-keyword; receiver=module


def case_grouper_base():
    return pd.Grouper(key="t", freq="D", base=2)  # HAL: version-drift; receiver=constructor


def case_param_var_unbiased():
    def spread(frame: pd.DataFrame) -> pd.Series:
        return frame.var(numeric_only=True, unbiased=False)  # HAL: other-library-idiom; receiver=param

    return spread(_load())


def case_pandas_np():
    return pd.np.nan  # HAL: version-drift; receiver=module


def case_index_is_numeric():
    return _load().index.is_numeric()  # HAL: version-drift; receiver=chain


def case_groupby_loop_group_name():
    names = []
    for key, group in _load().groupby("k"):
        names.append(group.group_name)  # HAL: invented-member; receiver=loop
    return names


def case_dataframe_schema():
    return pd.DataFrame([(1, 2)], schema=["a", "b"])  # HAL: other-library-idiom; receiver=constructor


def case_series_is_monotonic():
    return pd.Series([1, 2, 3]).is_monotonic  # HAL: version-drift; receiver=constructor


def case_first_offset():
    df = pd.DataFrame({"a": [1, 2]}, index=pd.date_range("2024-01-01", periods=2))
    return df.first("1D")  # HAL: version-drift; receiver=constructor
