"""Blind set 2 (written without running vetpy or reading its rules): tenacity 9 (decorated callables)."""
from tenacity import retry, stop_after_attempt


@retry(stop=stop_after_attempt(1), reraise=True)
def fetch_page(url: str, timeout: float = 5.0) -> str:
    return url


def case_decorated_keyword():
    # functools.wraps keeps fetch_page's signature; retries= is not one of its parameters
    return fetch_page("https://example.org", retries=3)  # HAL: invented-keyword; receiver=decorator
