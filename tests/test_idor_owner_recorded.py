"""SEC036 (insecure-direct-object-reference): a row the module records as the caller's, changed by id alone.

Specification (issue #20, service36's ``add_licence`` creating ``ContractorLicence.objects.create(
applicant=request.auth, ...)`` and ``delete_licence`` deleting ``get_object_or_404(ContractorLicence,
id=licence_id)``; ``add_comment`` creating ``ReviewComment(author=request.user)`` and ``edit_comment``
saving ``get_object_or_404(ReviewComment, id=comment_id)``): where no other route behind the same guards
fetches the model by a request id, a sibling behind the same guards that *creates* a row of it recording
the signed-in principal (or its id) as a column (``applicant=request.auth``, ``author_id=current_user.id``),
or lists it filtered so (``Note.objects.filter(owner=request.user)``), says the model belongs to a user;
a route that fetches one by the request's id alone and then *changes* it (``.delete()``, ``.save()``, a
column set) lets any caller change another's row.

Silent (the look-alikes): a route that only reads the row (authored content is often public: a
comment, a post); a route behind other guards (a moderator's, staff's); a row checked against the
user after the fetch; a sibling recording a tenant of the user (``department_id=request.auth.department_id``:
a department's rows, every member's to change), or recording the principal behind other guards; other
routes behind the same guards fetching the model unscoped (the module's convention decides then); a
handler that reads the user elsewhere.
"""

from __future__ import annotations

from test_security import lines

NINJA = """
    from django.shortcuts import get_object_or_404
    from ninja import Router
    from .auth import applicant_auth, staff_auth
    from .models import ContractorLicence

    router = Router()

    @router.get("/me/licences", auth=applicant_auth)
    def my_licences(request):
        return list(request.auth.licences.order_by("expires_on"))

    @router.post("/me/licences", auth=applicant_auth)
    def add_licence(request, payload: LicenceIn):
        return 201, ContractorLicence.objects.create(applicant=request.auth, **payload.dict())

    @router.delete("/me/licences/{licence_id}", auth=applicant_auth)
    def delete_licence(request, licence_id: int):
        licence = get_object_or_404(ContractorLicence, id=licence_id)
        licence.delete()
        return 204, None
"""


def test_deleting_a_row_the_siblings_record_as_the_callers():
    assert lines(NINJA, "SEC036") == [19]


def test_reading_the_row_is_silent():
    src = NINJA.replace("""        licence.delete()
        return 204, None""", """        return licence""")
    assert lines(src, "SEC036") == []


def test_other_guards_are_silent():
    assert lines(NINJA.replace('@router.delete("/me/licences/{licence_id}", auth=applicant_auth)',
                               '@router.delete("/me/licences/{licence_id}", auth=staff_auth)'), "SEC036") == []


def test_creating_behind_other_guards_is_silent():
    assert lines(NINJA.replace('@router.post("/me/licences", auth=applicant_auth)',
                               '@router.post("/me/licences", auth=staff_auth)'), "SEC036") == []


def test_a_tenant_recorded_is_silent():
    assert lines(NINJA.replace("applicant=request.auth,", "department_id=request.auth.department_id,"), "SEC036") == []


def test_checked_after_the_fetch_is_silent():
    src = NINJA.replace("""        licence.delete()""", """        if licence.applicant_id != request.auth.id:
            raise HttpError(404, "not found")
        licence.delete()""")
    assert lines(src, "SEC036") == []


def test_an_unscoped_sibling_write_is_silent():
    # another route behind the same guards changes the model's rows by id alone too: the module's convention
    src = NINJA + """
    @router.patch("/me/licences/{licence_id}", auth=applicant_auth)
    def renew_licence(request, licence_id: int):
        licence = get_object_or_404(ContractorLicence, id=licence_id)
        licence.renewed = True
        licence.save()
        return licence
"""
    assert lines(src, "SEC036") == []


def test_reading_the_user_elsewhere_is_silent():
    src = NINJA.replace("""        licence.delete()""", """        if not request.auth.is_contractor:
            raise HttpError(403, "contractors only")
        licence.delete()""")
    assert lines(src, "SEC036") == []


FLASK = """
    from flask import Blueprint, abort, request
    from flask_login import current_user, login_required
    from .models import Comment, db

    bp = Blueprint("comments", __name__)

    @bp.post("/posts/<int:post_id>/comments")
    @login_required
    def add_comment(post_id):
        comment = Comment(post_id=post_id, author_id=current_user.id, body=request.json["body"])
        db.session.add(comment)
        db.session.commit()
        return {"id": comment.id}, 201

    @bp.put("/comments/<int:comment_id>")
    @login_required
    def edit_comment(comment_id):
        comment = Comment.query.get_or_404(comment_id)
        comment.body = request.json["body"]
        db.session.commit()
        return {"id": comment.id}

    @bp.get("/comments/<int:comment_id>")
    @login_required
    def show_comment(comment_id):
        return Comment.query.get_or_404(comment_id).to_dict()
"""


def test_editing_a_comment_recorded_as_the_authors():
    # the GET of the same comment by id alone only reads it (comments are public): silent, and no
    # convention of writing rows unscoped
    assert lines(FLASK, "SEC036") == [19]


def test_listing_filtered_by_the_principal_is_evidence_too():
    src = FLASK.replace("""        comment = Comment(post_id=post_id, author_id=current_user.id, body=request.json["body"])
        db.session.add(comment)
        db.session.commit()
        return {"id": comment.id}, 201""", """        return [c.to_dict() for c in Comment.query.filter_by(author_id=current_user.id)]""")
    assert lines(src, "SEC036") == [16]


def test_no_recording_sibling_is_silent():
    src = FLASK.replace("author_id=current_user.id, ", "")
    assert lines(src, "SEC036") == []
