"""ACL root factories (Pyramid traversal-free contexts for URL dispatch)."""
from __future__ import annotations

from pyramid.authorization import ALL_PERMISSIONS, DENY_ALL, Allow, Authenticated, Everyone
from pyramid.httpexceptions import HTTPNotFound


class Root:
    __acl__ = [
        (Allow, Everyone, "public"),
        (Allow, Authenticated, "authenticated"),
        (Allow, "role:admin", ALL_PERMISSIONS),
        DENY_ALL,
    ]

    def __init__(self, request):
        self.request = request


class StaffArea:
    """Everything a clinic's staff may do, keyed by role."""

    __acl__ = [
        (Allow, "role:admin", ALL_PERMISSIONS),
        (Allow, "role:vet", ("staff", "clinical", "prescribe", "view-records", "edit-records", "billing-view")),
        (Allow, "role:nurse", ("staff", "clinical", "view-records")),
        (Allow, "role:reception", ("staff", "billing-view", "billing", "schedule")),
        (Allow, "role:vet", "schedule"),
        (Allow, "role:manager", ("staff", "billing-view", "billing", "schedule", "reports", "pharmacy", "manage")),
        DENY_ALL,
    ]

    def __init__(self, request):
        self.request = request


class OwnerArea:
    __acl__ = [
        (Allow, "role:owner", ("owner", "book")),
        (Allow, "role:admin", ALL_PERMISSIONS),
        DENY_ALL,
    ]

    def __init__(self, request):
        self.request = request


class AdminArea:
    __acl__ = [(Allow, "role:admin", ALL_PERMISSIONS), DENY_ALL]

    def __init__(self, request):
        self.request = request


class ApiArea:
    __acl__ = [
        (Allow, "scope:pets:read", "api-read"),
        (Allow, "scope:appointments:write", "api-book"),
        (Allow, "scope:records:read", "api-records"),
        (Allow, Authenticated, "api"),
        DENY_ALL,
    ]

    def __init__(self, request):
        self.request = request


class PetContext:
    """A pet, readable by its owner and by staff of the clinic it is registered with."""

    def __init__(self, request):
        self.request = request
        pet_id = request.matchdict.get("pet_id")
        row = request.db.execute(  # SAFE: sql-param
            "SELECT id, owner_id, clinic_id, name FROM pets WHERE id = %s", (int(pet_id),)
        ).fetchone() if pet_id and pet_id.isdigit() else None
        if row is None:
            raise HTTPNotFound()
        self.pet = row

    @property
    def __acl__(self):
        return [  # SAFE: object-acl
            (Allow, f"owner:{self.pet['owner_id']}", ("view-pet", "edit-pet", "book")),
            (Allow, f"clinic:{self.pet['clinic_id']}:vet", ("view-pet", "edit-pet", "view-records", "edit-records")),
            (Allow, f"clinic:{self.pet['clinic_id']}:nurse", ("view-pet", "view-records")),
            (Allow, f"clinic:{self.pet['clinic_id']}:reception", ("view-pet",)),
            (Allow, "role:admin", ALL_PERMISSIONS),
            DENY_ALL,
        ]


class PublicArea:
    __acl__ = [(Allow, Everyone, ("public", "book-public"))]

    def __init__(self, request):
        self.request = request
