"""blind5 / yarl 1.25 (issue 15, point 3).

Sources: httpx's ``URL.copy_with`` / Starlette's ``query_params`` applied to yarl (aiohttp users
moving from httpx; yarl API https://yarl.aio-libs.org/en/latest/api/ lists ``update_query`` /
``extend_query`` / ``without_query_params``), urllib's ``hostname``, invented ``add_query`` /
``remove_query``.
"""

from yarl import URL


def _api_root() -> URL:
    return URL("https://api.example.com/v1/items?page=1")


def case_query_params():
    url = URL("https://example.com/search?q=cats")
    return url.query_params  # HAL: other-library-idiom; receiver=constructor


def case_build_copy_with():
    url = URL.build(scheme="https", host="example.com", path="/a")
    return url.copy_with(path="/b")  # HAL: other-library-idiom; receiver=class


def case_chain_add_query():
    return URL("https://example.com").with_path("/items").add_query(page=2)  # HAL: invented-member; receiver=chain


def case_build_hostname_keyword():
    return URL.build(scheme="https", hostname="example.com")  # HAL: other-library-idiom; receiver=class


def case_loop_hostname():
    hosts = []
    for url in map(URL, ["https://a.example.com", "https://b.example.com"]):
        hosts.append(url.hostname)  # HAL: other-library-idiom; receiver=loop
    return hosts


def case_helper_remove_query():
    return _api_root().remove_query("page")  # HAL: invented-member; receiver=helper-return
