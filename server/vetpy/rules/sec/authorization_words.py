"""The words of SEC023 (:mod:`vetpy.rules.sec.authorization`): what names an access check, a
public endpoint, a decorator known not to check access, and a read of the signed-in user."""

from __future__ import annotations

import functools
import re

AUTH_WORDS = re.compile(
    r"login|logged_in|auth|permission|perm_|_perm|has_perm|role|admin|staff|superuser|jwt|token|scope|protected|"
    r"require|current_user|principal|identity|credential|api_key|apikey|access|privilege|verify_user|is_owner|check_user",
    re.IGNORECASE,
)
# names and URLs of endpoints that are public by design
PUBLIC = re.compile(
    r"login|logout|log_in|log_out|signin|sign_in|signup|sign_up|register|registration|token|refresh|auth|password|"
    r"passwd|reset|forgot|recover|callback|webhook|hook|oauth|openid|sso|saml|health|ping|status|verify|confirm|"
    r"activate|invite|invitation|subscribe|public|contact|feedback|captcha|csrf|anonymous|guest|notify|ipn",
    re.IGNORECASE,
)
# decorators and dependencies known not to check access; any other one might (`@prepolicy(...)`,
# `Depends(ProjectMember())`), and a route that has one is never reported
HARMLESS = re.compile(
    r"cache|limit|csrf|doc|swagger|marshal|expect|response|valid|log|trace|timed|metric|json|accept|schema|retry|"
    r"deprecated|cors|transaction|commit|atomic|use_kwargs|use_args|openapi|produces|consumes|wraps|session|"
    r"^get_db$|^db$|database|settings|config|paginat|redis|client|background|body|query|form|file|header|cookie|path",
    re.IGNORECASE,
)
DB_SCOPES = re.compile(r"session_?scope|scoped_?session", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def names_user(name: str) -> bool:
    """Does this name read the current user (the same few dozen names come back on every edit)?"""
    name = DB_SCOPES.sub("", name)  # a database session's scope is not an OAuth scope
    return bool(AUTH_WORDS.search(name)) or name.endswith(("request.user", "g.user", "self.user", "context.user", "request.ctx.user")) or name in {"user", "g.user"}


def unknown_name(name: str) -> bool:
    """A decorator or dependency that is neither an auth check nor known to be harmless."""
    last = name.rsplit(".", 1)[-1]
    return not HARMLESS.search(last) and not AUTH_WORDS.search(name)
