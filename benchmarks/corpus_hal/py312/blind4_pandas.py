"""Blind set 4 (written without running vetpy or reading its rules): pandas."""
import io

import pandas as pd


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"k": ["a", "a", "b"], "v": [1, 2, 3], "d": pd.date_range("2024-01-01", periods=3)})


def case_swapaxes():
    df = pd.DataFrame({"a": [1], "b": [2]})
    return df.swapaxes(0, 1)  # HAL: version-drift; receiver=constructor


def case_first_offset():
    # DataFrame.first(offset) was removed in pandas 3.0
    return _frame().set_index("d").first("1D")  # HAL: version-drift; receiver=helper-return


def case_read_csv_pad():
    df = pd.read_csv(io.StringIO("a\n1\n\n3\n"))
    return df.pad()  # HAL: version-drift; receiver=factory


def case_groupby_loop_tolist():
    out = []
    for _name, group in _frame().groupby("k"):
        out.append(group.tolist())  # HAL: other-library-idiom; receiver=loop
    return out


def case_to_json_indent_level():
    return _frame().to_json(orient="records", indent_level=2)  # HAL: invented-keyword; receiver=helper-return


def case_merge_suffix():
    left = pd.DataFrame({"k": [1], "v": [1]})
    right = pd.DataFrame({"k": [1], "v": [2]})
    return left.merge(right, on="k", suffix="_r")  # HAL: invented-keyword; receiver=constructor


def case_date_range_closed():
    # closed= became inclusive= in pandas 1.4 and was removed in 2.0
    return pd.date_range("2024-01-01", periods=3, closed="left")  # HAL: version-drift; receiver=call


def case_isnull_any_true():
    s = pd.Series([1, None])
    return s.isnull().any_true()  # HAL: invented-member; receiver=chain


def case_describe_datetime_is_numeric():
    return _frame().describe(include="all", datetime_is_numeric=True)  # HAL: version-drift; receiver=helper-return


def case_value_counts_to_dict_items():
    counts = _frame()["k"].value_counts()
    return counts.to_dict_items()  # HAL: invented-member; receiver=chain


def case_timestamp_to_iso():
    ts = pd.Timestamp("2024-01-01")
    # the method is isoformat()
    return ts.to_iso()  # HAL: invented-member; receiver=constructor


def case_read_csv_sep_regex():
    # the keyword is sep= (or delimiter=)
    return pd.read_csv(io.StringIO("a;b\n1;2\n"), separator=";")  # HAL: invented-keyword; receiver=call


def case_annotated_frames_column_names():
    frames: list[pd.DataFrame] = [_frame()]
    return frames[0].column_names  # HAL: other-library-idiom; receiver=annotated-local


def case_loc_row_keys_list():
    row = _frame().loc[0]
    return row.iteritems_list()  # HAL: invented-member; receiver=chain
