"""Blind set 3 (written without running vetpy or reading its rules): markupsafe 3."""
import markupsafe
from markupsafe import Markup


def _render(name: str) -> Markup:
    return Markup("<b>{}</b>").format(name)


def case_soft_unicode_import():
    # removed in markupsafe 2.1 (soft_str since 2.0)
    from markupsafe import soft_unicode  # HAL: version-drift; receiver=import
    return soft_unicode("x")


def case_escape_quote():
    # html.escape(s, quote=True); markupsafe.escape takes the value only
    return markupsafe.escape("<a href='x'>", quote=True)  # HAL: other-library-idiom; receiver=call


def case_strip_tags_helper():
    # the method is striptags()
    return _render("world").strip_tags()  # HAL: invented-member; receiver=helper-return


def case_format_html():
    # Django's django.utils.html.format_html
    return Markup("<i>{}</i>").format_html("x")  # HAL: other-library-idiom; receiver=constructor
