"""SEC017 open-redirect: request input only in the query string of a target the application chose.

Specification (issue #16, pretalx on the appsprobe19 probe): the browser goes to the host and path
of the target; a `?next=...` after them only tells that page where to go on, and the page checks
it (or not) where it redirects. Not reported:
- `url.full() + params` where `params = f"?next={quote(request.path)}&..."` is bound last at the
  top of the function (the host and path come from the application's object);
- `event.urls.login + f"?next={quote(request.path)}"`, `f"{settings.SITE_URL}/login?next={x}"`;
- `reverse("orga:login") + params`: a `+` chain of non-literals is text too, and it starts with
  the framework's URL builder.
Still reported (the look-alikes):
- input before the `?` (`request.GET["to"] + "?a=1"`, `f"{request.GET['u']}?a"`);
- a name bound again after its top-level binding, in a branch (`if ...: params = request.GET["to"]`);
- input added to a base that is not a builder, with no `?` (`url.full() + request.GET["p"]`).
"""

from __future__ import annotations

from test_security import lines


def test_input_only_in_the_query_of_the_applications_target_is_not_reported() -> None:
    src = """
        from urllib.parse import quote
        from django.conf import settings
        from django.shortcuts import redirect, reverse

        def get_login_redirect(request):
            params = request.GET.copy()
            next_url = params.pop("next", None)
            next_url = next_url[0] if next_url else request.path
            params = request.GET.urlencode() if request.GET else ""
            params = f"?next={quote(next_url)}&{params}"
            event = getattr(request, "event", None)
            if event:
                url = event.orga_urls.login
                return redirect(url.full() + params)
            return redirect(reverse("orga:login") + params)

        def permission_denied(self):
            params = "&" + self.request.GET.urlencode() if self.request.GET else ""
            return redirect(self.request.event.urls.login + f"?next={quote(self.request.path)}" + params)

        def site(request):
            return redirect(f"{settings.SITE_URL}/login?next={request.GET['n']}")
    """
    assert lines(src, "SEC017") == []


def test_look_alikes_input_before_the_query_or_a_rebound_name_are_still_reported() -> None:
    src = """
        from django.shortcuts import redirect

        def before(request):
            return redirect(request.GET["to"] + "?a=1")

        def formatted(request):
            return redirect(f"{request.GET['u']}?a")

        def rebound(request, event):
            params = "?x=1"
            if request.GET.get("go"):
                params = request.GET["to"]
            return redirect(event.url + params)

        def appended(request, url):
            return redirect(url.full() + request.GET["p"])
    """
    assert lines(src, "SEC017") == [5, 8, 14, 17]
