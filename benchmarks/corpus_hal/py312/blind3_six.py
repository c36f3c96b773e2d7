"""Blind set 3 (written without running vetpy or reading its rules): six 1.17."""
import six


def case_ensure_unicode():
    # the helpers are ensure_text / ensure_str / ensure_binary
    return six.ensure_unicode(b"x")  # HAL: invented-member; receiver=module


def case_moves_urljoin_import():
    # urljoin lives in six.moves.urllib.parse
    from six.moves import urljoin  # HAL: invented-member; receiver=import
    return urljoin("http://a/", "b")
