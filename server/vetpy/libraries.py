"""What vetpy knows about widely used libraries, in one place every rule family reads.

Web frameworks (their modules, route decorators, request objects and what on them carries client
data), HTTP clients, SQL drivers and ORMs, loggers, and blocking calls with their async
alternatives.  Tables only: no analysis lives here.  A rule that needs to know "is this a route?"
or "is this a logger call?" reads these tables, so that SEC, EDGE and the incremental analysis
all agree.
"""

from __future__ import annotations

# -- web frameworks -----------------------------------------------------------------------------
# Django REST framework's views live in modules that may import nothing of django itself
WEB_FRAMEWORKS = frozenset(
    {"flask", "django", "rest_framework", "fastapi", "starlette", "aiohttp", "quart", "bottle", "sanic", "tornado", "ninja", "litestar", "falcon", "pyramid"}
)
# The last name of a decorator that makes a function a web route: Flask/Quart/Sanic `route`,
# FastAPI/Starlette/Flask 2 `get`..`websocket` and `api_route`, DRF `api_view`.
ROUTE_DECORATORS = frozenset(
    {"route", "get", "post", "put", "delete", "patch", "head", "options", "websocket", "api_route", "api_view"}
)
# module-level request proxies
REQUEST_OBJECTS = frozenset({"flask.request", "bottle.request", "quart.request", "sanic.request"})
# attributes (or methods) of a web request object that carry client data
REQUEST_DATA_ATTRS = frozenset(
    {
        "args", "form", "values", "json", "data", "files", "cookies", "headers", "get_json",
        "get_data", "view_args", "GET", "POST", "body", "COOKIES", "META", "FILES", "query_params",
        "path_params", "query", "match_info", "post", "text", "stream", "referrer", "url", "path",
        "full_path", "query_string", "get_full_path", "content", "read",
        # Falcon's request
        "params", "media", "get_param", "get_param_as_list", "get_media", "get_header", "bounded_stream",
        "get_cookie_values", "get_param_as_dict", "get_param_as_json", "get_param_as_media", "get_query_string_as_media",
        "relative_uri", "uri", "forwarded_uri",
        # Sanic's request (sanic 25.12 `request/types.py`): the parsed query, form and cookies by getter,
        # the raw head
        "get_args", "get_query_args", "query_args", "get_form", "get_cookies", "load_json", "raw_headers", "request_line",
    }
)
# attributes of Sanic's request, named too generically for every framework, that carry client
# data: the `Authorization` header's token and its parsed credentials, the `Host` header
SANIC_REQUEST_ATTRS = frozenset({"token", "credentials", "host", "server_name"})
# Tornado's `HTTPServerRequest` attributes (tornado 6.6 `httputil.py`) named too generically for every
# framework: the parsed query and form, as a dict of lists of bytes
TORNADO_REQUEST_ATTRS = frozenset({"arguments", "query_arguments", "body_arguments"})
# Pyramid's request (pyramid 2.1 `request.py`, webob 1.8 `request.py`) named too generically for every
# framework: the URL's groups, the parsed JSON body (`params`, `GET`, `POST`, `body`, `json`, `cookies`
# are shared names above)
PYRAMID_REQUEST_ATTRS = frozenset({"matchdict", "json_body"})
# Tornado's `RequestHandler` methods that give client text (tornado 6.6 `web.py`); not
# `get_secure_cookie` / `get_signed_cookie` (a value the server signed)
TORNADO_HANDLER_GETTERS = frozenset(
    {"get_argument", "get_arguments", "get_query_argument", "get_query_arguments", "get_body_argument",
     "get_body_arguments", "get_cookie", "decode_argument"}
)
# Tornado's `RequestHandler` attributes holding the URL's groups
TORNADO_PATH_ATTRS = frozenset({"path_args", "path_kwargs"})
# Falcon's request getters that convert the value (None or a raise when it does not convert): no text
FALCON_TYPED_GETTERS = frozenset(
    {"get_param_as_int", "get_param_as_float", "get_param_as_bool", "get_param_as_uuid", "get_param_as_date",
     "get_param_as_datetime", "get_header_as_int", "get_header_as_datetime", "has_param"}
)
# Sanic's response helpers (sanic 25.12 `sanic/response/convenience.py`), by every name they are
# imported under: `sanic.html`, `sanic.response.html`, `sanic.response.convenience.html`
# (`file_stream` is not re-exported by `sanic` itself)
def SANIC_RESPONSES(*names: str) -> frozenset[str]:  # noqa: N802 (a table)
    return frozenset(f"{m}.{n}" for m in ("sanic", "sanic.response", "sanic.response.convenience") for n in names
                     if m != "sanic" or n != "file_stream")


# the request's body streams (Falcon's `req.stream`, `req.bounded_stream`) and the reads that give their bytes
REQUEST_STREAMS = frozenset({"stream", "bounded_stream"})
REQUEST_STREAM_READS = frozenset({"read", "readline", "readlines"})
# parameter annotations of a handler that mark the request object
REQUEST_ANNOTATIONS = frozenset({"Request", "HttpRequest", "WSGIRequest", "ASGIRequest", "web.Request"})
# parameter annotations that mark framework objects, not client values
FRAMEWORK_ANNOTATIONS = frozenset(
    {"Session", "AsyncSession", "BackgroundTasks", "Response", "WebSocket", "HTTPConnection", "Connection"}
)
# parameter annotations that FastAPI validates into harmless values
SAFE_ANNOTATIONS = frozenset({"int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date", "Decimal", "time", "timedelta"})
# parameter defaults that inject a dependency, not a client value (FastAPI; Litestar's `Dependency()`)
DEPENDENCY_DEFAULTS = frozenset({"Depends", "Security", "Dependency"})
# request attributes that are multi-dicts: `.get(key)` without a default is None for a missing key
REQUEST_MULTIDICTS = frozenset(f"flask.request.{a}" for a in ("args", "form", "values", "headers", "cookies", "files")) | frozenset(
    f"quart.request.{a}" for a in ("args", "headers", "cookies"))  # Quart's form and files are awaited
# parsers that raise TypeError when their first argument is None (`date.fromisoformat(None)`:
# "fromisoformat: argument must be str"): the value they parse must be there
NONE_PARSERS = frozenset({"datetime.date.fromisoformat", "datetime.datetime.fromisoformat", "datetime.time.fromisoformat",
                          "datetime.datetime.strptime", "decimal.Decimal", "uuid.UUID", "json.loads"})
# the last name of a decorator that makes a function an error handler (Flask, Quart; FastAPI; Sanic's
# `@app.exception(NotFound, ...)`, sanic 25.12 `mixins/exceptions.py`)
ERROR_HANDLER_DECORATORS = frozenset({"errorhandler", "app_errorhandler", "exception_handler", "exception"})
# framework calls that turn an exception into an HTTP response
EXCEPTION_RESPONSES = frozenset({"flask.abort", "fastapi.HTTPException", "starlette.exceptions.HTTPException", "werkzeug.exceptions.abort"})

# -- HTTP clients -------------------------------------------------------------------------------
HTTP_CLIENT_MODULES = frozenset({"requests", "httpx"})
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
# module-level functions of requests (and httpx) that send a request
REQUESTS_FUNCS = HTTP_METHODS | {"request"}
HTTPX_FUNCS = REQUESTS_FUNCS | {"stream", "Client", "AsyncClient"}
HTTP_CLIENTS = frozenset({"requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession"})
# session constructors -> the library whose timeout rules apply to the session's calls
SESSION_FACTORIES = {
    "requests.Session": "requests",
    "requests.session": "requests",
    "requests.sessions.Session": "requests",
    "httpx.Client": "httpx",
    "httpx.AsyncClient": "httpx",
}
# standard-library network calls whose timeout is a positional parameter -> that parameter's index
POSITIONAL_TIMEOUT = {
    "urllib.request.urlopen": 2,
    "http.client.HTTPConnection": 2,
    "http.client.HTTPSConnection": 2,
    "socket.create_connection": 1,
    "smtplib.SMTP": 3,  # (host, port, local_hostname, timeout): connects when given a host
    "smtplib.SMTP_SSL": 5,  # keyword-only since 3.12; fifth positional (after keyfile, certfile) before
}

# -- SQL ----------------------------------------------------------------------------------------
# cursor / connection methods whose first argument is SQL (Tortoise ORM's `BaseDBAsyncClient`:
# `execute_query`, `execute_query_dict`, `execute_insert`, `execute_many`, `execute_script`)
TORTOISE_SQL_METHODS = frozenset({"execute_query", "execute_query_dict", "execute_insert", "execute_many", "execute_script"})
SQL_METHODS = frozenset({"execute", "executemany", "executescript", "raw", "mogrify"}) | TORTOISE_SQL_METHODS
# functions that make SQL text into a statement object (its parameters are `:name`)
SQL_TEXT_FUNCTIONS = frozenset({"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"})
# functions whose first argument is SQL
SQL_FUNCTIONS = SQL_TEXT_FUNCTIONS | {"pandas.read_sql", "pandas.read_sql_query"}
# DB-API driver module -> its parameter placeholder
DRIVER_STYLES = {
    "sqlite3": "?",
    "aiosqlite": "?",
    "psycopg2": "%s",
    "psycopg": "%s",
    "pymysql": "%s",
    "MySQLdb": "%s",
    "mysql.connector": "%s",
    "django.db": "%s",
}
# ORM query methods that filter, limit, paginate, stream or aggregate (SQLAlchemy, Flask-SQLAlchemy, Django)
ORM_NARROWING = frozenset(
    {
        "filter", "filter_by", "where", "limit", "slice", "offset", "get", "first", "one", "one_or_none", "scalar",
        "group_by", "having", "with_entities", "yield_per", "count", "exists", "params", "values", "fetch", "paginate",
    }
)
# ORM `select()` constructors
ORM_SELECTS = frozenset({"sqlalchemy.select", "sqlalchemy.future.select", "sqlmodel.select"})

# -- logging ------------------------------------------------------------------------------------
# methods of a `logging.Logger` (and look-alikes) that write a message
LOGGER_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})
# methods that write a message for people to a log or a terminal (loggers, click, streams)
MESSAGE_METHODS = LOGGER_METHODS | {"write", "echo", "secho"}

# -- blocking calls -----------------------------------------------------------------------------
# calls that block the thread they run on -> what to use instead inside `async def`
BLOCKING_CALLS = {
    "time.sleep": "use `await asyncio.sleep(...)`",
    "urllib.request.urlopen": "use an async HTTP client",
    "subprocess.run": "use `asyncio.create_subprocess_exec`",
    "subprocess.call": "use `asyncio.create_subprocess_exec`",
    "subprocess.check_call": "use `asyncio.create_subprocess_exec`",
    "subprocess.check_output": "use `asyncio.create_subprocess_exec`",
    "os.system": "use `asyncio.create_subprocess_shell`",
    "sqlite3.connect": "use an async driver (aiosqlite) or `asyncio.to_thread`",
    "psycopg2.connect": "use an async driver (psycopg's AsyncConnection, asyncpg)",
    "psycopg.connect": "use `psycopg.AsyncConnection.connect`",
    "pymysql.connect": "use an async driver (aiomysql)",
    "socket.create_connection": "use `asyncio.open_connection`",
}
# functions whose string arguments are messages for people
MESSAGE_FUNCTIONS = frozenset(
    {"print", "warnings.warn", *(f"logging.{m}" for m in ("debug", "info", "warning", "error", "exception", "critical", "log"))}
)


# -- the standard library across versions ------------------------------------------------------

# Modules the standard library dropped, and the Python release that dropped them (PEP 594 and
# PEP 632; "What's New in Python 3.12/3.13").  An import of one is never an optional tool.
STDLIB_REMOVED = {
    **dict.fromkeys(("distutils", "imp", "asynchat", "asyncore", "smtpd"), (3, 12)),
    **dict.fromkeys(("aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3", "mailcap", "msilib",
                     "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu",
                     "xdrlib"), (3, 13)),
}
# Modules the standard library gained, and the release that added them ("What's New").
STDLIB_ADDED = {"graphlib": (3, 9), "zoneinfo": (3, 9), "tomllib": (3, 11), "annotationlib": (3, 14),
                "compression": (3, 14)}

# Import names of widely used PyPI packages.  Imported inside a function and not installed, one
# of these is a missing dependency to report, not an optional tool of the project's own choosing
# (`def _deprecated(): from packaging.version import Version`, where packaging is not declared).
WELL_KNOWN_IMPORTS = frozenset({
    "aiohttp", "anyio", "attr", "attrs", "boto3", "botocore", "bs4", "celery", "certifi", "cffi", "chardet",
    "charset_normalizer", "click", "cryptography", "dateutil", "django", "dotenv", "fastapi", "filelock", "flask",
    "fsspec", "google", "grpc", "h11", "httpcore", "httpx", "idna", "importlib_metadata", "jinja2", "jmespath",
    "jsonschema", "jwt", "lxml", "markupsafe", "matplotlib", "more_itertools", "msgpack", "multidict", "numpy",
    "openai", "packaging", "pandas", "pathspec", "pexpect", "platformdirs", "pluggy", "psutil", "psycopg2",
    "pyarrow", "pydantic", "pygments", "pyparsing", "pytest", "pytz", "requests", "rich", "rsa", "ruamel",
    "s3transfer", "scipy", "setuptools", "six", "sklearn", "sqlalchemy", "starlette", "tenacity", "toml", "tomli",
    "tqdm", "typing_extensions", "tzdata", "urllib3", "uvicorn", "websockets", "werkzeug", "wheel", "wrapt",
    "yaml", "yarl", "zipp",
})
