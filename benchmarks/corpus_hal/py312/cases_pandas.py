"""pandas 3.1: removed 1.x APIs, polars/pyspark idioms, invented keywords."""
import io

import pandas as pd


def read_frame() -> pd.DataFrame:
    return pd.read_csv(io.StringIO("k,v\na,1\nb,2\na,3\n"))


def case_df_append():
    df = pd.DataFrame({"a": [1]})
    return df.append({"a": 2}, ignore_index=True)  # HAL: version-drift; receiver=constructor


def case_iteritems():
    df = pd.DataFrame({"a": [1], "b": [2]})
    return [name for name, _col in df.iteritems()]  # HAL: version-drift; receiver=constructor


def case_is_monotonic():
    s = pd.Series([1, 2, 3])
    return s.is_monotonic  # HAL: version-drift; receiver=constructor


def case_error_bad_lines():
    buf = io.StringIO("a,b\n1,2\n")
    return pd.read_csv(buf, error_bad_lines=False)  # HAL: version-drift; receiver=call


def case_lookup():
    df = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    return df.lookup([0, 1], ["x", "y"])  # HAL: version-drift; receiver=constructor


def case_pd_datetime():
    return pd.datetime(2020, 1, 1)  # HAL: version-drift; receiver=module


def case_from_items():
    return pd.DataFrame.from_items([("a", [1, 2])])  # HAL: version-drift; receiver=class


def case_sort_columns():
    df = read_frame()
    return df.sort(columns="v")  # HAL: version-drift; receiver=helper-return


def case_ix():
    df = read_frame()
    return df.ix[0]  # HAL: version-drift; receiver=helper-return


def case_weekofyear():
    s = pd.Series(pd.date_range("2024-01-01", periods=3))
    return s.dt.weekofyear  # HAL: version-drift; receiver=chain


def case_set_axis_inplace():
    df = pd.DataFrame({"a": [1]})
    df.set_axis(["b"], axis=1, inplace=True)  # HAL: version-drift; receiver=constructor
    return df


def case_concat_join_axes():
    a = pd.DataFrame({"x": [1]})
    return pd.concat([a, a], join_axes=[a.index])  # HAL: version-drift; receiver=call


def case_groupby_numeric():
    df = read_frame()
    grouped = df.groupby("k")
    return grouped.mean(numeric=True)  # HAL: invented-keyword; receiver=factory


def case_series_to_list_on_frame():
    df = read_frame()
    return df.to_list()  # HAL: other-library-idiom; receiver=helper-return


def case_str_contains_ignorecase():
    s = pd.Series(["Apple", "pear"])
    return s.str.contains("apple", ignorecase=True)  # HAL: invented-keyword; receiver=chain


def case_drop_duplicates_keep_first():
    df = read_frame()
    return df.drop_duplicates(keep_first=True)  # HAL: invented-keyword; receiver=helper-return


def case_filter_by():
    df = pd.read_csv(io.StringIO("a,b\n1,2\n"))
    return df.filter_by(a=1)  # HAL: invented-member; receiver=factory


def case_group_loop_append():
    df = read_frame()
    out = pd.DataFrame()
    for _key, grp in df.groupby("k"):
        out = grp.append(out)  # HAL: version-drift; receiver=loop
    return out


def case_polars_with_columns():
    df = pd.DataFrame({"a": [1, 2]})
    return df.with_columns(b=df["a"] * 2)  # HAL: other-library-idiom; receiver=constructor


def case_pyspark_with_column():
    df = read_frame()
    return df.withColumn("w", df["v"] * 2)  # HAL: other-library-idiom; receiver=helper-return


def case_head_arity():
    df = read_frame()
    return df.head(1, 2)  # HAL: arity; receiver=helper-return


def case_to_csv_index_label_kw():
    df = pd.DataFrame({"a": [1]})
    return df.to_csv(io.StringIO(), include_index=False)  # HAL: invented-keyword; receiver=constructor


def case_merge_unpack():
    left, right = pd.DataFrame({"k": [1]}), pd.DataFrame({"k": [1]})
    return left.join_on(right, "k")  # HAL: invented-member; receiver=unpack


def case_timestamp_chain():
    ts = pd.Timestamp("2024-05-01")
    return ts.to_datetime()  # HAL: version-drift; receiver=constructor


def case_drop_axis_positional():
    df = pd.DataFrame({"a": [1], "b": [2]})
    return df.drop("a", 1)  # HAL: arity; receiver=constructor


def case_param_frame():
    def total(frame: pd.DataFrame) -> float:
        return frame.total()  # HAL: invented-member; receiver=param

    return total(read_frame())
