from __future__ import annotations

from rest_framework.pagination import CursorPagination, PageNumberPagination


class ClinicPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200  # SAFE: unbounded-page-size


class AuditCursorPagination(CursorPagination):
    ordering = "-created_at"
    page_size = 100
    page_size_query_param = "limit"  # SEEDED: EDGE unbounded-page-size
