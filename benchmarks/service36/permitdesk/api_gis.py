"""Map / GIS: parcel look-up through the county's parcel API, map layers, extents."""
import logging
from typing import List

from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from . import integrations, state
from .auth import applicant_auth, staff_auth, supervisor_auth
from .models import Parcel, Permit
from .schemas import Message

log = logging.getLogger(__name__)
router = Router(tags=["gis"])

MAX_EXTENT_DEG = 0.05
_layers: list[str] = []


class ParcelOut(Schema):
    pin: str
    address: str
    zoning: str = ""
    ward: int | None = None


@router.post("/parcels/batch", response=List[ParcelOut], auth=staff_auth)
def parcel_batch(request, pins: List[str]):
    out = []
    for pin in pins:  # SEEDED: EDGE unbounded-loop-input
        data = integrations.fetch_parcel(pin)
        out.append({"pin": pin, "address": data.get("SITEADDRESS", ""), "zoning": data.get("ZONING", ""),
                    "ward": data.get("WARD")})
    return out


@router.get("/parcels/{pin}", response=ParcelOut, auth=applicant_auth)
def parcel(request, pin: str):
    local = Parcel.objects.filter(pin=pin).first()
    if local is not None:
        return local
    try:
        data = integrations.fetch_parcel(pin)
    except integrations.UpstreamError:
        raise HttpError(404, "Parcel not found")  # SAFE: mapped-error
    return {"pin": pin, "address": data.get("SITEADDRESS", ""), "zoning": data.get("ZONING", ""),
            "ward": data.get("WARD")}


@router.get("/extent", response=List[dict], auth=staff_auth)
def extent(request, xmin: float, ymin: float, xmax: float, ymax: float):
    if xmax <= xmin or ymax <= ymin or xmax - xmin > MAX_EXTENT_DEG or ymax - ymin > MAX_EXTENT_DEG:
        raise HttpError(400, "Extent too large")  # SAFE: bounded-extent
    return integrations.parcels_in_extent(xmin, ymin, xmax, ymax)


@router.post("/layers", response=Message, auth=supervisor_auth)
def add_layer(request, url: str):
    meta = integrations.fetch_layer(url)
    _layers.append(url)
    return {"detail": meta.get("name", "layer added")}


@router.get("/layers", response=List[str], auth=staff_auth)
def layers(request):
    return list(_layers)  # SAFE: copy-returned


@router.get("/geocode", response=dict, auth=applicant_auth)
def geocode(request, address: str):
    point = integrations.geocode(address[:200])
    if point is None:
        raise HttpError(404, "Address not found")  # SAFE: none-checked
    return {"x": point[0], "y": point[1]}


@router.get("/parcels/{pin}/zoning-summary", response=Message, auth=staff_auth)
def zoning_summary(request, pin: str):
    data = integrations.fetch_parcel(pin)
    zoning = data["ZONING"]  # SEEDED: EDGE key-error
    return {"detail": f"{pin}: {zoning}"}


@router.get("/wards/{ward}/density", response=Message, auth=staff_auth)
def ward_density(request, ward: int):
    parcels = Parcel.objects.filter(ward=ward).count()
    permits = Permit.objects.filter(parcel__ward=ward, issued_at__year=timezone.now().year).count()
    density = permits / parcels if parcels else 0.0  # SAFE: guarded-division
    return {"detail": f"{density:.3f} permits per parcel"}


@router.post("/cache/flush", response=Message, auth=supervisor_auth)
def flush_cache(request, max_age_seconds: int = 3600):
    dropped = state.drop_stale_parcels(max(60, max_age_seconds))
    return {"detail": f"dropped {dropped}"}
