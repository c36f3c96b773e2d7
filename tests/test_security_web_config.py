"""SEC028-SEC032 (CORS with credentials for every origin, public S3 ACLs, session cookies without
HttpOnly/Secure, secrets in logs, CSRF exemption on session views): the cases the fixtures do not
show (the gated walk outside web modules, the fixes' text, the frameworks left alone)."""

from __future__ import annotations

from test_security import apply_fix, lines


def test_cors_middleware_wrapping_the_app_is_flagged() -> None:
    src = """
        from starlette.middleware.cors import CORSMiddleware

        def wrap(app):
            return CORSMiddleware(app, allow_origins=("*",), allow_credentials=True)
    """
    assert lines(src, "SEC028") == [5]


def test_cors_options_from_a_mapping_or_a_regex_are_left_alone() -> None:
    src = """
        from starlette.middleware.cors import CORSMiddleware

        def wrap(app, opts):
            CORSMiddleware(app, **opts)
            return CORSMiddleware(app, allow_origin_regex=r"https://.*\\.example\\.com", allow_credentials=True)
    """
    assert lines(src, "SEC028") == []


def test_django_cors_settings_are_read_in_a_settings_module_without_imports() -> None:
    src = """
        DEBUG = False
        CORS_ALLOW_CREDENTIALS = True
        CORS_ALLOW_ALL_ORIGINS = True
    """
    assert lines(src, "SEC028", path="proj/settings.py") == [4]
    assert lines(src.replace("CORS_ALLOW_CREDENTIALS = True", "CORS_ALLOW_CREDENTIALS = False"), "SEC028", path="proj/settings.py") == []


def test_public_acl_on_a_later_line_of_a_call_is_found_outside_web_modules() -> None:
    src = """
        import boto3

        def publish(key, body):
            boto3.client("s3").put_object(
                Bucket="b",
                Key=key,
                Body=body,
                ACL="public-read",
            )
    """
    assert lines(src, "SEC029") == [9]
    assert 'ACL="private",' in apply_fix(src, "SEC029")


def test_public_read_under_a_public_folder_key_is_meant_to_be_public() -> None:
    """An object put under `public/` (`static/`, `assets/`) is public by design; the same ACL on any
    other key, write access for anyone, or any AWS account's read is still reported."""
    src = """
        import boto3

        s3 = boto3.client("s3")

        def put_photo(key, data):
            s3.put_object(Bucket="b", Key=f"public/{key}", Body=data, ACL="public-read")
            s3.put_object(Bucket="b", Key="static/" + key, Body=data, ACL="public-read")
            s3.upload_file("logo.png", "b", "assets/logo.png", ExtraArgs={"ACL": "public-read"})
            s3.put_object(Bucket="b", Key=f"leases/{key}", Body=data, ACL="public-read")
            s3.put_object(Bucket="b", Key=f"{key}/public/x", Body=data, ACL="public-read")
            s3.put_object(Bucket="b", Key=f"public/{key}", Body=data, ACL="public-read-write")
            s3.upload_file("lease.pdf", "b", key, ExtraArgs={"ACL": "public-read"})
    """
    assert lines(src, "SEC029") == [10, 11, 12, 13]


def test_public_read_under_a_key_bound_once_to_a_public_folder_is_meant_to_be_public() -> None:
    """`key = f"public/course-images/{id}/{name}"` then `Key=key` (service34's course images); a
    key bound twice, or to another folder, is still reported."""
    src = """
        import boto3

        s3 = boto3.client("s3")

        def put_image(course_id, name, data):
            key = f"public/course-images/{course_id}/{name}"
            s3.put_object(Bucket="b", Key=key, Body=data, ACL="public-read")

        def put_lease(name, data):
            key = f"leases/{name}"
            s3.put_object(Bucket="b", Key=key, Body=data, ACL="public-read")

        def put_either(name, data, private):
            key = f"public/{name}"
            if private:
                key = f"leases/{name}"
            s3.put_object(Bucket="b", Key=key, Body=data, ACL="public-read")
    """
    assert lines(src, "SEC029") == [12, 18]


def test_cookie_fix_adds_httponly_and_turns_secure_on() -> None:
    src = """
        from flask import make_response

        def done(token):
            resp = make_response("ok")
            resp.set_cookie("session_token", token, secure=False)
            return resp
    """
    fixed = apply_fix(src, "SEC030")
    assert 'resp.set_cookie("session_token", token, secure=True, httponly=True)' in fixed


def test_aiohttp_cookie_is_flagged_and_falcon_whose_defaults_are_secure_is_not() -> None:
    aiohttp_src = """
        from aiohttp import web

        async def login(request):
            resp = web.Response(text="ok")
            resp.set_cookie("AIOHTTP_SESSION", "s")
            return resp
    """
    falcon_src = """
        import falcon

        class Login:
            def on_post(self, req, resp):
                resp.set_cookie("session", "s")
    """
    assert lines(aiohttp_src, "SEC030") == [6]
    assert lines(falcon_src, "SEC030") == []


def test_a_secret_on_a_later_line_of_a_log_call_is_found_outside_web_modules() -> None:
    src = """
        import logging

        log = logging.getLogger(__name__)

        def connect(user, smtp_password):
            log.debug(
                "smtp login %s / %s",
                user,
                smtp_password,
            )
    """
    assert lines(src, "SEC031") == [10]


def test_structlog_keywords_count_and_other_receivers_do_not() -> None:
    src = """
        import structlog

        logger = structlog.get_logger()

        def login(user, password, catalog, api_key):
            logger.info("login", user=user, password=password)
            catalog.info("entry", api_key)
            logger.info("login", exc_info=True)
    """
    assert lines(src, "SEC031") == [7]


def test_csrf_exempt_under_another_name_is_flagged_and_a_safe_only_view_is_not() -> None:
    src = """
        from django.contrib.auth import login
        from django.http import HttpResponse
        from django.views.decorators.csrf import csrf_exempt as no_csrf
        from django.views.decorators.http import require_safe

        @no_csrf
        def sso_return(request):
            login(request, request.user)
            return HttpResponse("ok")

        @no_csrf
        @require_safe
        def ping(request):
            request.session["seen"] = True
            return HttpResponse("ok")
    """
    assert lines(src, "SEC032") == [7]
