"""Werkzeug 3.1: names removed in 2.x/3.0, email.message/flask idioms."""
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response


def case_secure_filename_top():
    from werkzeug import secure_filename  # HAL: version-drift; receiver=import
    return secure_filename("a b")


def case_contrib_cache():
    from werkzeug.contrib.cache import SimpleCache  # HAL: version-drift; receiver=import
    return SimpleCache


def case_url_quote():
    from werkzeug.urls import url_quote  # HAL: version-drift; receiver=import
    return url_quote("a b")


def case_url_parse():
    from werkzeug.urls import url_parse  # HAL: version-drift; receiver=import
    return url_parse("http://x/")


def case_safe_str_cmp():
    from werkzeug.security import safe_str_cmp  # HAL: version-drift; receiver=import
    return safe_str_cmp("a", "a")


def case_multidict_get_all():
    form = MultiDict([("a", "1"), ("a", "2")])
    return form.get_all("a")  # HAL: other-library-idiom; receiver=constructor


def case_base_response():
    from werkzeug.wrappers import BaseResponse  # HAL: version-drift; receiver=import
    return BaseResponse


def case_response_status_code_kw():
    return Response("x", status_code=200)  # HAL: other-library-idiom; receiver=call


def case_environ_builder_query_kw():
    return EnvironBuilder(path="/", query={"a": "1"})  # HAL: invented-keyword; receiver=call


def case_request_from_builder_args_getlist():
    request = EnvironBuilder(path="/?a=1").get_request()
    return request.args.get_list("a")  # HAL: invented-member; receiver=chain


def case_getlist_arity():
    form = MultiDict([("a", "1")])
    return form.getlist("a", int, "default")  # HAL: arity; receiver=constructor
