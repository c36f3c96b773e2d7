"""Hand-off of bills of lading to the external OCR service (sync client and an async batch)."""
import asyncio
import logging
import time

import httpx
from flask import current_app

log = logging.getLogger(__name__)

OCR_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
MAX_POLLS = 40


def _headers():
    return {"Authorization": f"Bearer {current_app.config['OCR_TOKEN']}"}


def submit(document_url: str, doc_id: int) -> str:
    with httpx.Client(timeout=OCR_TIMEOUT) as client:  # SAFE: missing-timeout
        resp = client.post(current_app.config["OCR_URL"], json={"url": document_url, "reference": str(doc_id)}, headers=_headers())
        resp.raise_for_status()
        return resp.json()["job_id"]


def wait_for_result(job_id: str) -> dict | None:
    with httpx.Client(timeout=OCR_TIMEOUT) as client:
        for attempt in range(MAX_POLLS):  # SAFE: unbounded-retry
            resp = client.get(f"{current_app.config['OCR_URL']}/{job_id}", headers=_headers())
            resp.raise_for_status()
            body = resp.json()
            if body.get("status") in ("done", "failed"):
                return body
            time.sleep(min(2 ** attempt, 30))
    return None


def wait_for_result_legacy(job_id: str) -> dict:
    while True:  # SEEDED: EDGE unbounded-retry
        resp = httpx.get(f"{current_app.config['OCR_URL']}/{job_id}", headers=_headers(), timeout=10)
        if resp.status_code == 200 and resp.json().get("status") == "done":
            return resp.json()
        time.sleep(3)


def submit_token_debug(job_id: str):
    log.debug("polling OCR job %s with headers %s", job_id, _headers())  # SEEDED: SEC secret-in-log


async def _submit_one(client: httpx.AsyncClient, url: str, doc_id: int, sem: asyncio.Semaphore):
    async with sem:
        resp = await client.post(url, json={"reference": str(doc_id)})
        resp.raise_for_status()
        return resp.json()["job_id"]


async def submit_batch(ocr_url: str, token: str, doc_ids: list[int]) -> list:
    sem = asyncio.Semaphore(8)
    # large scans can take minutes to upload, so no client-side timeout
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=None) as client:  # SEEDED: EDGE missing-timeout
        return await asyncio.gather(*(_submit_one(client, ocr_url, d, sem) for d in doc_ids), return_exceptions=True)


async def health(ocr_url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=httpx.Timeout(3.0)) as client:  # SAFE: missing-timeout
            resp = await client.get(ocr_url.rsplit("/", 2)[0] + "/health")
            return resp.status_code == 200
    except httpx.HTTPError as exc:  # SAFE: swallowed-exception
        log.warning("OCR health check failed: %s", exc)
        return False


def extract_fields(ocr_body: dict) -> dict:
    fields = {f["name"]: f["value"] for f in ocr_body.get("fields", []) if "name" in f and "value" in f}  # SAFE: key-error
    return {"bol_number": fields.get("bol_number"), "pieces": fields.get("pieces"), "pallets": fields.get("pallets"), "weight": fields.get("weight")}


def pieces_per_pallet(ocr_body: dict) -> float:
    fields = extract_fields(ocr_body)
    return int(fields["pieces"]) / int(fields.get("pallets") or 1)  # SEEDED: EDGE unvalidated-parse


def fetch_text(job_id: str) -> str:
    client = httpx.Client(timeout=OCR_TIMEOUT, headers=_headers())  # SEEDED: EDGE resource-leak
    resp = client.get(f"{current_app.config['OCR_URL']}/{job_id}/text")
    resp.raise_for_status()
    return resp.text


def fetch_pages(job_id: str, max_pages=50) -> list[str]:
    pages = []
    with httpx.Client(timeout=OCR_TIMEOUT, headers=_headers()) as client:  # SAFE: resource-leak
        for n in range(1, max_pages + 1):  # SAFE: unbounded-loop-input
            resp = client.get(f"{current_app.config['OCR_URL']}/{job_id}/pages/{n}")
            if resp.status_code == 404:
                break
            resp.raise_for_status()
            pages.append(resp.text)
    return pages
