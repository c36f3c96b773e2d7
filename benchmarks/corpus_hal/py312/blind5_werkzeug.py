"""blind5 / werkzeug 3.1 (issue 15, point 3).

Sources: Werkzeug 3.0 changelog (``werkzeug.urls`` functions removed: ``url_quote``, ``url_parse``;
"ImportError: cannot import name 'url_quote' from 'werkzeug.urls'", e.g.
https://github.com/Neurotech-HQ/heyoo/issues/106), Werkzeug 2.1 changelog (top-level attribute imports
such as ``werkzeug.secure_filename`` removed, ``BaseResponse`` removed, ``safe_str_cmp`` removed),
0.15's ``ProxyFix(num_proxies=)`` removal, webob's ``getall``, requests' ``.text``, passlib/bcrypt
``rounds=``, Django's ``path(name=)``, Starlette's ``status_code``.
"""

import werkzeug.security
import werkzeug.urls
from werkzeug.datastructures import FileStorage, Headers, MultiDict
from werkzeug.exceptions import NotFound
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import Rule
from werkzeug.security import generate_password_hash
from werkzeug.utils import redirect
from werkzeug.wrappers import Response


def _headers() -> Headers:
    return Headers([("Content-Type", "text/plain")])


def case_top_level_secure_filename():
    from werkzeug import secure_filename  # HAL: version-drift; receiver=import
    return secure_filename("a b.txt")


def case_urls_url_quote():
    from werkzeug.urls import url_quote  # HAL: version-drift; receiver=import
    return url_quote("a b")


def case_urls_url_parse():
    return werkzeug.urls.url_parse("https://example.com/a?b=1")  # HAL: version-drift; receiver=module


def case_safe_str_cmp():
    return werkzeug.security.safe_str_cmp("a", "a")  # HAL: version-drift; receiver=module


def case_multidict_getall():
    args = MultiDict([("tag", "a"), ("tag", "b")])
    return args.getall("tag")  # HAL: other-library-idiom; receiver=constructor


def case_response_text():
    resp = Response("hello", mimetype="text/plain")
    return resp.text  # HAL: other-library-idiom; receiver=constructor


def case_not_found_status_code():
    try:
        raise NotFound()
    except NotFound as exc:
        return exc.status_code  # HAL: other-library-idiom; receiver=except-target


def case_redirect_status_keyword():
    return redirect("/login", status=302)  # HAL: other-library-idiom; receiver=import


def case_filestorage_save_overwrite():
    import io
    upload = FileStorage(stream=io.BytesIO(b"x"), filename="a.txt")
    upload.save(io.BytesIO(), overwrite=True)  # HAL: invented-keyword; receiver=constructor


def case_proxyfix_num_proxies():
    return ProxyFix(lambda environ, start: [], num_proxies=1)  # HAL: version-drift; receiver=constructor


def case_password_hash_rounds():
    return generate_password_hash("s3cret", rounds=12)  # HAL: other-library-idiom; receiver=import


def case_rule_name_keyword():
    return Rule("/", name="index")  # HAL: other-library-idiom; receiver=constructor


def case_headers_to_list():
    return _headers().to_list()  # HAL: version-drift; receiver=helper-return
