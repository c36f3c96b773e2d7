"""SEC036 (insecure-direct-object-reference): refusing to act on one's own row is no ownership check.

Specification (issue #20, service36's ``profile = get_object_or_404(StaffProfile, id=staff_id)`` then
``if profile.user_id == request.user.id: raise HttpError(400, "You cannot disable yourself")``): a
comparison of the fetched row with the signed-in user whose ``if`` *refuses* when they are equal
(``==``/``is``, its body only raises or aborts) lets every other row through: it scopes nothing, so the
route is an unscoped fetch among its siblings, neither the convention that makes a sibling a finding
nor an excuse of its own.  Still a check of the owner: ``if row.owner_id != user.id: raise``, and
``if row.owner_id == user.id: return row`` (equal lets through).
"""

from __future__ import annotations

from test_security import lines

NINJA = """
    from django.shortcuts import get_object_or_404
    from ninja import Router
    from ninja.errors import HttpError
    from .auth import admin_auth
    from .models import StaffProfile

    router = Router()

    @router.post("/staff/{staff_id}/disable", auth=admin_auth)
    def disable_staff(request, staff_id: int):
        profile = get_object_or_404(StaffProfile, id=staff_id)
        if profile.user_id {OP} request.user.id:
            raise HttpError(400, "You cannot disable yourself")
        profile.user.is_active = False
        return {"detail": "disabled"}

    @router.delete("/staff/{staff_id}", auth=admin_auth)
    def delete_staff(request, staff_id: int):
        profile = get_object_or_404(StaffProfile, id=staff_id)
        profile.user.delete()
        return 204, None
"""


def test_refusing_ones_own_row_scopes_nothing():
    assert lines(NINJA.replace("{OP}", "=="), "SEC036") == []


def test_refusing_every_row_but_ones_own_still_scopes():
    # the sibling that refuses unless the row is the caller's is the module's convention
    assert lines(NINJA.replace("{OP}", "!="), "SEC036") == [20]


def test_equal_letting_through_still_scopes():
    src = NINJA.replace("""        if profile.user_id {OP} request.user.id:
            raise HttpError(400, "You cannot disable yourself")
        profile.user.is_active = False
        return {"detail": "disabled"}""", """        if profile.user_id == request.user.id:
            return {"detail": profile.user.email}
        raise HttpError(404, "not found")""")
    assert lines(src, "SEC036") == [19]
