"""Document uploads, move-in bundles and e-signature callbacks."""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
from pathlib import Path

import falcon

from . import pdf, security, storage
from .auth import require_login, require_staff
from .config import get_settings
from .models import Document, Lease
from .web import found, scoped

log = logging.getLogger("leaseline.documents")
MAX_DOC = 20 * 1024 * 1024
MAX_BUNDLE = 100 * 1024 * 1024


class DocumentsResource:
    @falcon.before(require_staff)
    async def on_post(self, req, resp, lease_id: int):
        lease = await scoped(Lease, req, lease_id)
        form = await req.get_media()
        stored = []
        async for part in form:
            if part.name != "file":
                continue
            ext = storage.DOC_TYPES.get(part.content_type)
            if ext is None:
                raise falcon.HTTPUnsupportedMediaType(title="PDF or image only")
            data = await part.get_data()
            key = f"{lease.company_id}/leases/{lease.id}/{secrets.token_hex(12)}{ext}"  # SAFE: path-traversal
            await asyncio.to_thread(storage.put_document, key, data, part.content_type)
            doc = await Document.create(company_id=lease.company_id, lease=lease, uploaded_by=req.context.user,
                                        filename=(part.secure_filename or "document")[:200], storage_key=key)
            stored.append(doc.id)
        resp.status = falcon.HTTP_201
        resp.media = {"documents": stored}

    @falcon.before(require_login)
    async def on_get_download(self, req, resp):
        key = req.get_param("key", required=True)
        data = await asyncio.to_thread(storage.get_document, key)  # SEEDED: SEC idor
        resp.content_type = "application/pdf"
        resp.data = data

    @falcon.before(require_login)
    async def on_get_item(self, req, resp, document_id: int):
        user = req.context.user
        if user.role in ("manager", "admin"):
            doc = await scoped(Document, req, document_id)
        else:
            doc = found(await Document.get_or_none(id=document_id, lease__tenant_id=user.id))  # SAFE: idor
        url = await asyncio.to_thread(storage.document_url, doc.storage_key)
        raise falcon.HTTPFound(url)  # SAFE: open-redirect


class BundleResource:
    @falcon.before(require_staff)
    async def on_post(self, req, resp, lease_id: int):
        lease = await scoped(Lease, req, lease_id)
        archive = Path(storage.scratch_file(".zip"))
        with open(archive, "wb") as fh:
            async for chunk in req.stream:  # SEEDED: EDGE max-body-size
                fh.write(chunk)
        target = storage.upload_root() / "bundles" / str(lease.id)
        files = await asyncio.to_thread(storage.unpack_bundle, archive, target)
        resp.media = {"files": len(files)}

    @falcon.before(require_staff)
    async def on_post_v2(self, req, resp, lease_id: int):
        lease = await scoped(Lease, req, lease_id)
        if req.content_length is None or req.content_length > MAX_BUNDLE:
            raise falcon.HTTPContentTooLarge(title="Bundle too large")
        data = await req.bounded_stream.read(MAX_BUNDLE + 1)  # SAFE: unbounded-read
        if len(data) > MAX_BUNDLE:
            raise falcon.HTTPContentTooLarge(title="Bundle too large")
        work = Path(storage.scratch_dir())
        archive = work / "bundle.zip"
        await asyncio.to_thread(storage.write_exclusive, archive, data)
        target = storage.upload_root() / "bundles" / str(lease.id)
        files = await asyncio.to_thread(storage.unpack_bundle_v2, archive, target)  # SAFE: zip-slip
        resp.media = {"files": len(files)}


class ESignCallback:
    """The e-signature provider posts here when an envelope is completed."""

    async def on_post(self, req, resp):  # SEEDED: SEC missing-webhook-auth
        event = await req.get_media()
        doc = found(await Document.get_or_none(envelope_id=str(event.get("envelope_id"))))
        await Document.filter(id=doc.id).update(signed=True)
        log.info("envelope %s signed by %s", doc.envelope_id, event.get("signer"))
        resp.media = {"ok": True}

    async def on_post_v2(self, req, resp):
        raw = await req.bounded_stream.read(64 * 1024)
        expected = security.sign_payload(raw, get_settings().processor_webhook_secret)
        if not hmac.compare_digest(expected, req.get_header("X-Inksign-Signature") or ""):  # SAFE: missing-webhook-auth
            raise falcon.HTTPUnauthorized(title="Bad signature")
        event = json.loads(raw)
        doc = found(await Document.get_or_none(envelope_id=str(event.get("envelope_id"))))
        await Document.filter(id=doc.id, signed=False).update(signed=True)
        label = f"Signed by {event.get('signer', '')}"
        work = Path(storage.scratch_dir())
        original = work / "doc.pdf"
        await asyncio.to_thread(storage.write_exclusive, original, await asyncio.to_thread(storage.get_document, doc.storage_key))
        stamped = await asyncio.to_thread(pdf.stamp, original, Path("/etc/leaseline/stamp.pdf"), label)
        signed_pdf = await asyncio.to_thread(stamped.read_bytes)
        fingerprint = security.document_fingerprint(signed_pdf)
        await asyncio.to_thread(storage.put_document, doc.storage_key, signed_pdf, "application/pdf")
        resp.media = {"ok": True, "fingerprint": fingerprint}
