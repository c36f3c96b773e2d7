"""Blind set 2 (written without running vetpy or reading its rules): narwhals 2."""
import narwhals as nw
import pandas as pd


def case_with_column():
    frame = nw.from_native(pd.DataFrame({"a": [1, 2]}), eager_only=True)
    # polars < 0.19 with_column; narwhals follows current polars: with_columns
    return frame.with_column(nw.col("a") * 2)  # HAL: version-drift; receiver=factory
