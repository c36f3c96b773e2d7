"""Blind set: pandas 3.1."""
import io
import pandas as pd


def sales() -> pd.DataFrame:
    return pd.DataFrame({"k": ["a", "b", "a"], "v": [1, 2, 3], "d": ["2024-01-01", "2024-01-02", "2024-01-03"]})


def case_groupby_apply_rows():
    df = sales()
    return df.groupby("k").apply_rows(lambda r: r)  # HAL: invented-member; receiver=chain


def case_to_csv_line_terminator():
    return sales().to_csv(io.StringIO(), line_terminator="\n")  # HAL: version-drift; receiver=helper-return


def case_series_mad():
    s = pd.Series([1.0, 2.0, 4.0])
    return s.mad()  # HAL: version-drift; receiver=constructor


def case_applymap():
    df = pd.DataFrame({"a": [1, 2]})
    return df.applymap(str)  # HAL: version-drift; receiver=constructor


def case_pivot_positional():
    df = pd.DataFrame.from_dict({"r": ["x", "y"], "c": ["p", "q"], "v": [1, 2]})
    return df.pivot("r", "c", "v")  # HAL: arity; receiver=factory


def case_iterrows_get_value():
    out = []
    for _idx, row in sales().iterrows():
        out.append(row.get_value("v"))  # HAL: version-drift; receiver=loop
    return out


def case_rolling_mean_min_periods():
    df = sales()
    return df["v"].rolling(2).mean(min_periods=1)  # HAL: invented-keyword; receiver=chain


def case_to_datetime_infer():
    return pd.to_datetime(sales()["d"], infer_datetime_format=True)  # HAL: version-drift; receiver=call


def case_annotated_frames_to_dicts():
    frames: dict[str, pd.DataFrame] = {"s": sales()}
    out = []
    for name, frame in frames.items():
        out.append((name, frame.to_dicts()))  # HAL: other-library-idiom; receiver=annotated-local
    return out
