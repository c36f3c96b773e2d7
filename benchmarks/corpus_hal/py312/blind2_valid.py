"""Blind set 2: valid look-alikes of the set's cases (each must run cleanly)."""
import collections
import json
import re
import tempfile

import anyio
from multidict import MultiDict
from opentelemetry import trace
from packaging.version import Version
from pygments.lexers import get_lexer_by_name
from tenacity import retry, stop_after_attempt
from yarl import URL


def valid_lexer_options_forwarded():
    # get_lexer_by_name(alias, **options): the lexer accepts any option
    return get_lexer_by_name("python", stripall=True, tabsize=4)  # OK: kwargs-forward


async def valid_anyio_path_read_text():
    return await anyio.Path(__file__).read_text()  # OK: await


def valid_multidict_getall():
    return MultiDict([("a", "1")]).getall("a"), MultiDict(a="1").getone("a")  # OK: constructor


def valid_yarl_joinpath_query():
    url = URL.build(scheme="https", host="example.org").joinpath("a")
    return url.with_query(q="1").query["q"], url.raw_host  # OK: class


def valid_version_micro():
    return Version("1.2.3").micro, Version("1.2.3").release  # OK: constructor


class _Encoder(json.JSONEncoder):
    def __init__(self, *args, upper=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upper = upper


def valid_json_dumps_custom_encoder_keyword():
    # json.dumps forwards unknown keywords to cls(...), and this encoder accepts upper=
    return json.dumps({"a": 1}, cls=_Encoder, upper=True)  # OK: kwargs-forward


def valid_span_set_attribute():
    with trace.get_tracer(__name__).start_as_current_span("work") as span:
        span.set_attribute("k", "v")  # OK: with-target
        return span.is_recording()


def valid_temporary_directory_target_is_str():
    with tempfile.TemporaryDirectory() as tmp:
        return tmp.upper()  # OK: with-target


@retry(stop=stop_after_attempt(1), reraise=True)
def _fetch(url: str, timeout: float = 5.0) -> str:
    return url


def valid_decorated_keyword_and_retry_with():
    # tenacity's wrapper keeps the signature and adds retry_with / statistics
    return _fetch("u", timeout=1.0), _fetch.retry_with(stop=stop_after_attempt(2))("v")  # OK: decorator


def valid_match_narrowed_groupdict():
    match = re.match(r"(?P<n>\d+)", "42")
    if match is not None:
        return match.groupdict()  # OK: narrowed
    return None


def valid_ordered_dict_move_to_end():
    order: collections.OrderedDict[str, int] = collections.OrderedDict(a=1)
    order.move_to_end("a", last=False)  # OK: annotated-local
    return order
