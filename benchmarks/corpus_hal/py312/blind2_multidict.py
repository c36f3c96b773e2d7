"""Blind set 2 (written without running vetpy or reading its rules): multidict 7 / yarl 1.25."""
from multidict import MultiDict
from yarl import URL


def case_multidict_getlist():
    # werkzeug's MultiDict.getlist; multidict has getall
    return MultiDict([("a", "1"), ("a", "2")]).getlist("a")  # HAL: other-library-idiom; receiver=constructor


def case_yarl_build_netloc():
    # urllib.parse's .netloc on the URL classmethod constructor's result
    return URL.build(scheme="https", host="example.org", path="/a").netloc  # HAL: other-library-idiom; receiver=class


def case_yarl_params():
    return URL("https://example.org/a?x=1").with_fragment("f").params  # HAL: other-library-idiom; receiver=chain
