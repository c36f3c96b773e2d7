"""SEC023 (missing authorization) inside one resource: a Falcon resource's responders, a Tornado
handler's verb methods.

Specification (issue #20, services 32 and 34: ``WaiveResource.on_post`` behind ``require_login``
beside ``on_post_v2`` behind ``require_staff``; ``CouponAdminHandler.delete`` behind
``@tornado.web.authenticated`` beside ``post`` behind ``@role_required("admin")``): a write responder
whose only guard is a login and whose body never reads who is calling is reported where every
other write responder of the same resource class requires a role or a permission: the resource's
own convention says its writes are privileged, whatever the module's other resources do.
Not reported: a login-only write that reads the user (its own rows, an ownership check), a read
(``on_get``) beside privileged writes, a resource whose other writes are login-only too (or that
has none), a resource with another write behind a hook vetpy cannot read (``@falcon.before(load_lease)``),
a resource that decides access for every method (``prepare``).
"""

from __future__ import annotations

from test_security import lines

FALCON = """
    import falcon
    from .hooks import require_login, require_staff
    from .models import Charge, Note, Profile, Report

    class WaiveResource:
        @falcon.before(require_login)
        async def on_post(self, req, resp, charge_id: int):
            await Charge.filter(id=charge_id).update(balance=0)
            resp.media = {"waived": charge_id}

        @falcon.before(require_staff)
        async def on_delete(self, req, resp, charge_id: int):
            await Charge.filter(id=charge_id).delete()
            resp.status = falcon.HTTP_204

    class NotesResource:
        @falcon.before(require_staff)
        async def on_post(self, req, resp):
            await Note.create(text=(await req.get_media())["text"])

        @falcon.before(require_login)
        async def on_patch(self, req, resp, note_id: int):
            await Note.filter(id=note_id, reader_id=req.context.user.id).update(read=True)

    class ProfileResource:
        @falcon.before(require_login)
        async def on_post(self, req, resp):
            await Profile.create(**(await req.get_media()))

        @falcon.before(require_login)
        async def on_put(self, req, resp, profile_id: int):
            await Profile.filter(id=profile_id).update(**(await req.get_media()))

    class ReportResource:
        @falcon.before(require_login)
        async def on_get(self, req, resp, report_id: int):
            resp.media = (await Report.get(id=report_id)).summary

        @falcon.before(require_staff)
        async def on_post(self, req, resp):
            await Report.create(**(await req.get_media()))

    class VoidResource:
        @falcon.before(require_login)
        async def on_post(self, req, resp, charge_id: int):
            await Charge.filter(id=charge_id).update(void=True)

    class RefundResource:
        @falcon.before(require_staff)
        async def on_post(self, req, resp, charge_id: int):
            await Charge.filter(id=charge_id).update(refunded=True)

        @falcon.before(load_lease)
        async def on_put(self, req, resp, charge_id: int):
            await Charge.filter(id=charge_id).update(**(await req.get_media()))

        @falcon.before(require_login)
        async def on_delete(self, req, resp, charge_id: int):
            await Charge.filter(id=charge_id).delete()
"""


def test_a_login_only_write_beside_the_resources_privileged_writes() -> None:
    assert lines(FALCON, "SEC023") == [8]


TORNADO = """
    import tornado.web
    from .base import BaseHandler, role_required
    from .models import Coupon, Post

    class CouponAdminHandler(BaseHandler):
        @role_required("admin")
        def post(self) -> None:
            Coupon(code=self.get_body_argument("code"))

        @tornado.web.authenticated
        def delete(self) -> None:
            Coupon.get(code=self.get_argument("code")).delete()

    class PostHandler(BaseHandler):
        @role_required("moderator")
        def put(self, post_id: str) -> None:
            Post[int(post_id)].hidden = True

        @tornado.web.authenticated
        def delete(self, post_id: str) -> None:
            post = Post[int(post_id)]
            if post.author.id != self.current_user["id"]:
                raise tornado.web.HTTPError(404)
            post.delete()

    class GuardedHandler(BaseHandler):
        def prepare(self) -> None:
            if not self.current_user or self.current_user["role"] != "admin":
                raise tornado.web.HTTPError(403)

        @role_required("admin")
        def post(self) -> None:
            Coupon(code=self.get_body_argument("code"))

        @tornado.web.authenticated
        def delete(self) -> None:
            Coupon.get(code=self.get_argument("code")).delete()
"""


def test_a_tornado_handler_method_beside_its_privileged_verbs() -> None:
    assert lines(TORNADO, "SEC023") == [12]
