"""SEC023 (missing-authorization): an administrator's write route that admits another role.

Specification (issue #20; services 31, 32, 34, 35: ``@routes.post("/admin/users/{id}/deactivate")``
behind ``@role_required("instructor")``, ``AdminDeactivateHandler.post`` behind
``@role_required("admin", "instructor")``, ``UsersAdminResource.on_post_deactivate`` behind
``@falcon.before(require_role, "manager", "admin")``, Pyramid's ``route_name="admin_user_disable"``
with ``permission="staff"``): a role guard given its roles as constants (``role_required("admin")``,
``roles_required(...)``, ``falcon.before(require_role, "admin")``, Pyramid's ``permission=``) whose
other routes of the module, at least three and two thirds of them, require the administrator alone;
a write route named for the administrator (its function, class, URL or Pyramid ``route_name`` says
``admin``) whose same guard admits a role other than the administrator lets that role do an
administrator's work.

Silent (the look-alikes): a read (GET); a route not named for the administrator (a manager's
``manager_staff`` view of ``permission="manage"``, an instructor's dashboard); the same guard
requiring the administrator; too few administrator-only siblings; a body that checks the role
itself (``if user.role != "admin"``).
"""

from __future__ import annotations

from test_security import lines

AIOHTTP = """
    from aiohttp import web
    from .auth import role_required

    routes = web.RouteTableDef()

    @routes.get("/admin/users")
    @role_required("admin")
    async def users(request): ...

    @routes.post("/admin/users/{user_id}/role")
    @role_required("admin")
    async def set_role(request): ...

    @routes.post("/admin/users/{user_id}/reset-password")
    @role_required("admin")
    async def reset_password(request): ...

    @routes.delete("/admin/courses/{course_id}")
    @role_required("admin")
    async def delete_course(request): ...

    @routes.post("/admin/users/{user_id}/deactivate")
    @role_required("instructor")
    async def deactivate(request):
        user = User.get_by_id(int(request.match_info["user_id"]))
        user.is_active = False
        user.save()
        return web.json_response({"ok": True})

    @routes.get("/instructor/dashboard")
    @role_required("instructor")
    async def dashboard(request): ...
"""


def test_admin_route_admitting_another_role():
    assert lines(AIOHTTP, "SEC023") == [25]


def test_admin_and_another_role():
    assert lines(AIOHTTP.replace('@role_required("instructor")\n    async def deactivate',
                                 '@role_required("admin", "instructor")\n    async def deactivate'), "SEC023") == [25]


def test_a_read_is_silent():
    assert lines(AIOHTTP.replace('@routes.post("/admin/users/{user_id}/deactivate")',
                                 '@routes.get("/admin/users/{user_id}/deactivate")'), "SEC023") == []


def test_not_named_for_the_admin_is_silent():
    assert lines(AIOHTTP.replace('"/admin/users/{user_id}/deactivate"', '"/courses/{user_id}/deactivate"'), "SEC023") == []


def test_admin_alone_is_silent():
    assert lines(AIOHTTP.replace('@role_required("instructor")\n    async def deactivate',
                                 '@role_required("admin")\n    async def deactivate'), "SEC023") == []


def test_too_few_admin_siblings_is_silent():
    src = AIOHTTP.replace('@routes.delete("/admin/courses/{course_id}")\n    @role_required("admin")',
                          '@routes.delete("/admin/courses/{course_id}")\n    @role_required("instructor")')
    src = src.replace('@routes.get("/admin/users")\n    @role_required("admin")', '@routes.get("/admin/users")\n    @role_required("instructor")')
    assert lines(src, "SEC023") == []


def test_body_checking_the_role_is_silent():
    assert lines(AIOHTTP.replace('        user.is_active = False', '''        if request["user"].role != "admin":
            raise web.HTTPForbidden()
        user.is_active = False'''), "SEC023") == []


PYRAMID = """
    from pyramid.view import view_config

    @view_config(route_name="admin_clinics", request_method="POST", renderer="json", permission="admin")
    def add_clinic(request): ...

    @view_config(route_name="admin_user_role", request_method="POST", renderer="json", permission="admin")
    def set_role(request): ...

    @view_config(route_name="admin_audit", request_method="GET", renderer="json", permission="admin")
    def audit(request): ...

    @view_config(route_name="admin_user_disable", request_method="POST", renderer="json", permission="staff")
    def disable_user(request):
        request.db.execute("UPDATE users SET active = false WHERE id = %s", (int(request.matchdict["user_id"]),))
        return {"ok": True}

    @view_config(route_name="manager_staff", request_method="POST", renderer="json", permission="manage")
    def add_staff(request): ...
"""


def test_pyramid_admin_view_with_another_permission():
    # the manager's view (not named for the administrator) stays silent
    assert lines(PYRAMID, "SEC023") == [14]


FALCON = """
    import falcon
    from .auth import require_role, require_staff

    class UsersAdminResource:
        @falcon.before(require_role, "admin")
        async def on_get(self, req, resp): ...

        @falcon.before(require_role, "admin")
        async def on_patch_item(self, req, resp, user_id: int): ...

        @falcon.before(require_role, "admin")
        async def on_post_reset(self, req, resp, user_id: int): ...

        @falcon.before(require_role, "manager", "admin")
        async def on_post_deactivate(self, req, resp, user_id: int):
            await User.filter(id=user_id).update(is_active=False)

        @falcon.before(require_role, "admin")
        async def on_post_deactivate_v2(self, req, resp, user_id: int):
            await User.filter(id=user_id).update(is_active=False)

    class ReportsResource:
        @falcon.before(require_staff)
        async def on_post(self, req, resp): ...
"""


def test_falcon_admin_resource_admitting_a_manager():
    assert lines(FALCON, "SEC023") == [16]
