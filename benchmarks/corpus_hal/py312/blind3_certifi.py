"""Blind set 3 (written without running vetpy or reading its rules): certifi."""
import certifi


def case_old_where():
    # removed in certifi 2018.10.15
    return certifi.old_where()  # HAL: version-drift; receiver=module


def case_where_read_text():
    # where() returns a str path, not a pathlib.Path
    return certifi.where().read_text()  # HAL: other-library-idiom; receiver=chain
