"""Public records: permit search, permit detail, contractor look-up. No sign-in."""
import logging
import re
from typing import List

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.throttling import AnonRateThrottle

from . import queries
from .auth import client_ip
from .models import Applicant, Permit
from .schemas import ApplicantOut, PublicPermitOut
from .state import rate_limited

log = logging.getLogger(__name__)
router = Router(tags=["public"])

PIN_RE = re.compile(r"^\d{2}-\d{2}-\d{3}-\d{3}$")


class SearchIn(Schema):
    q: str = ""
    limit: int = 50


@router.get("/permits", response=List[PublicPermitOut], throttle=[AnonRateThrottle("30/m")])  # SAFE: public-throttled
def search(request, params: Query[SearchIn]):
    if len(params.q) < 3:
        raise HttpError(400, "Search needs at least 3 characters")  # SAFE: min-length
    rows = queries.public_search(params.q, params.limit)
    return [{"number": r["number"], "kind": r["kind"], "status": r["status"], "address": r["address"],
             "issued_at": r["issued_at"]} for r in rows]


@router.get("/permits/by-address", response=List[PublicPermitOut])
def by_address(request, address: str):
    return [{"number": p.number, "kind": p.kind, "status": p.status, "issued_at": p.issued_at}
            for p in queries.search_by_address(address)]


@router.get("/permits/page", response=List[PublicPermitOut])
def paged(request, prefix: str = "BP", page: int = 1, size: int = 25):
    size = max(1, min(size, 100))  # SAFE: clamped-page-size
    return [{"number": p.number, "kind": p.kind, "status": p.status, "issued_at": p.issued_at}
            for p in queries.paged_public(prefix, page, size)]


@router.get("/permits/page-count", response=dict)
def page_count(request, prefix: str = "BP", size: int = 25):
    size = max(1, min(size, 100))  # SAFE: clamped-page-size
    total = Permit.objects.filter(is_public=True, number__startswith=prefix).count()
    return {"pages": total // size, "total": total}  # SEEDED: EDGE pagination-rounding


@router.get("/permits/{number}", response=PublicPermitOut)
def detail(request, number: str):
    permit = get_object_or_404(Permit.objects.select_related("parcel"), number=number, is_public=True)  # SAFE: public-flag-checked
    return {"number": permit.number, "kind": permit.kind, "status": permit.status,
            "address": permit.parcel.address if permit.parcel else None, "issued_at": permit.issued_at}


@router.get("/permits/{number}/full", response=dict)
def detail_full(request, number: str):
    """Used by the records page's 'print' view."""
    permit = get_object_or_404(Permit.objects.select_related("applicant", "parcel"), number=number, is_public=True)
    applicant = permit.applicant
    return {"number": permit.number, "status": permit.status, "description": permit.description,  # SEEDED: SEC excessive-data-exposure
            "applicant": {"name": applicant.full_name, "phone": applicant.phone, "email": applicant.user.email,
                          "mailing_address": applicant.mailing_address}}


@router.get("/contractors", response=List[ApplicantOut])
def contractors(request, name: str):
    if rate_limited(f"contractors:{client_ip(request)}", 30, 60):
        raise HttpError(429, "Slow down")
    pattern = re.compile(name, re.IGNORECASE)  # SEEDED: SEC regex-injection
    candidates = Applicant.objects.filter(kind="contractor", erased_at__isnull=True).only("id", "full_name")[:2000]
    return [a for a in candidates if pattern.search(a.full_name)]


@router.get("/contractors/exact", response=List[ApplicantOut])
def contractors_exact(request, name: str):
    escaped = re.escape(name)  # SAFE: escaped-regex
    return list(Applicant.objects.filter(kind="contractor", full_name__iregex=rf"^{escaped}$")[:20])


@router.get("/parcels/{pin}/permits", response=List[PublicPermitOut])
def parcel_permits(request, pin: str):
    if not PIN_RE.match(pin):
        raise HttpError(400, "Bad PIN")  # SAFE: pattern-validated
    return [{"number": p.number, "kind": p.kind, "status": p.status, "issued_at": p.issued_at}
            for p in Permit.objects.filter(parcel__pin=pin, is_public=True).order_by("-issued_at")[:100]]


@router.get("/permits/{number}/card")
def permit_card(request, number: str):
    """The printable job-site card as a small HTML fragment for the records page."""
    permit = get_object_or_404(Permit, number=number, is_public=True)
    note = request.GET.get("note", "")
    html = f"<div class='card'><h2>{permit.number}</h2><p>{permit.kind}</p><p>{note}</p></div>"  # SEEDED: SEC xss
    return HttpResponse(html)


@router.get("/stats", response=dict)
def stats(request):
    total = Permit.objects.filter(is_public=True).count()
    issued = Permit.objects.filter(is_public=True, status="issued").count()
    return {"total": total, "issued": issued, "issued_share": round(issued / total, 3) if total else 0}  # SAFE: guarded-division
