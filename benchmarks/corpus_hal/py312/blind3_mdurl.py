"""Blind set 3 (written without running vetpy or reading its rules): mdurl 0.1."""
import mdurl


def case_parse_path():
    url = mdurl.parse("https://example.com/docs/index.html?x=1#top")
    # urllib.parse's ``path``; mdurl's URL has ``pathname``
    return url.path  # HAL: other-library-idiom; receiver=factory


def case_parse_query_chain():
    # urllib.parse's ``query``; mdurl's URL has ``search``
    return mdurl.parse("https://example.com/?x=1").query  # HAL: other-library-idiom; receiver=chain
