from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("api/", api.urls),
    path("", views.home, name="home"),
    path("login/", views.login_page, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("permits/<int:permit_id>/", views.permit_page, name="permit-page"),
    path("permits/<int:permit_id>/comments/", views.comment_form, name="comment-form"),
    path("payments/return/", views.payment_return, name="payment-return"),
    path("records/none/", views.search_echo, name="search-echo"),
    path("records/", views.records_search_page, name="records"),
    path("records/<str:permit_number>/", views.public_record, name="public-record"),
    path("documents/<int:document_id>/preview/", views.document_preview, name="document-preview"),
    path("notices/unsubscribe/", views.unsubscribe, name="unsubscribe"),
    path("console/announcement/", views.announcement_edit, name="announcement-edit"),
    path("health/", views.health, name="health"),
]
