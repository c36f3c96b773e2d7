"""Blind set (written without running vetpy or reading its rules): Werkzeug 3.1."""
from werkzeug.exceptions import abort


def case_werkzeug_abort_message():
    abort(404, message="missing")  # HAL: invented-keyword; receiver=kwargs-forward


def case_import_werkzeug_cached_property():
    from werkzeug import cached_property  # HAL: version-drift; receiver=import
    return cached_property
