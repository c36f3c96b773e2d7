"""In-process reminder scheduler (threads) and the async door-sign updater."""
import asyncio
import itertools
import logging
import queue
import threading
import time
from datetime import timedelta

import httpx
from django.utils import timezone

from . import integrations
from .models import Booking, Room

logger = logging.getLogger(__name__)

SIGN_URL = "https://signs.roomdesk.io/api/display"

_reminded: set[int] = set()
_reminded_lock = threading.Lock()
_room_names: dict[int, str] = {}
_sent_count = 0
_job_ids = itertools.count(1)
_jobs: "queue.Queue[int]" = queue.Queue(maxsize=1000)
_stop = threading.Event()
_sign_tasks: set[asyncio.Task] = set()


def room_name(room_id: int) -> str:
    if room_id not in _room_names:  # SEEDED: EDGE check-then-act
        _room_names[room_id] = Room.objects.only("name").get(pk=room_id).name  # SEEDED-ALSO
    return _room_names[room_id]


def remind(booking: Booking) -> None:
    global _sent_count
    if booking.pk in _reminded:  # SEEDED: EDGE check-then-act
        return
    _reminded.add(booking.pk)  # SEEDED-ALSO
    integrations.send_confirmation_email(booking.owner.email, "Starting soon", f"{booking.title} in {room_name(booking.room_id)}")
    _sent_count += 1  # SEEDED: EDGE read-modify-write


def remind_once(booking: Booking) -> bool:
    with _reminded_lock:
        if booking.pk in _reminded:  # SAFE: check-then-act
            return False
        _reminded.add(booking.pk)
    integrations.send_digest_email(booking.owner.email, f"{booking.title} starts soon")
    return True


def _worker() -> None:
    while not _stop.is_set():  # SAFE: unbounded-retry
        try:
            booking_id = _jobs.get(timeout=1)
        except queue.Empty:
            continue
        booking = Booking.objects.select_related("owner").filter(pk=booking_id).first()
        if booking is not None:
            remind(booking)
        _jobs.task_done()


def _scan() -> None:
    while not _stop.is_set():
        soon = timezone.now() + timedelta(minutes=15)
        for pk in Booking.objects.filter(status="confirmed", start__lte=soon, start__gte=timezone.now()).values_list("pk", flat=True):
            _jobs.put(pk)
        _stop.wait(60)


def start(threads: int = 4) -> list[threading.Thread]:
    started = []
    for _ in range(threads):
        t = threading.Thread(target=_worker, name=f"reminder-{next(_job_ids)}", daemon=True)
        t.start()
        started.append(t)
    scanner = threading.Thread(target=_scan, name="reminder-scan", daemon=True)
    scanner.start()
    return started + [scanner]


def stop() -> None:
    _stop.set()


def busiest_room(counts: dict[int, int]) -> int:
    return sorted(counts, key=counts.get, reverse=True)[0]  # SEEDED: EDGE empty-input


def first_free_room(rooms: list[Room]) -> Room | None:
    return next((r for r in rooms if r.is_active), None)  # SAFE: empty-input


async def push_sign(client: httpx.AsyncClient, room_id: int, text: str) -> None:
    resp = await client.post(SIGN_URL, json={"room": room_id, "text": text})
    resp.raise_for_status()


async def update_signs(rooms: dict[int, str]) -> None:
    async with httpx.AsyncClient(timeout=None) as client:  # SEEDED: EDGE missing-timeout
        for room_id, text in rooms.items():
            asyncio.ensure_future(push_sign(client, room_id, text))  # SEEDED: EDGE task-reference
        await asyncio.sleep(1)


async def update_signs_gathered(rooms: dict[int, str]) -> None:
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=2.0)) as client:  # SAFE: missing-timeout
        results = await asyncio.gather(*(push_sign(client, r, t) for r, t in rooms.items()), return_exceptions=True)  # SAFE: task-reference
    for room_id, result in zip(rooms, results):
        if isinstance(result, Exception):
            logger.warning("sign for room %s failed: %s", room_id, result)


async def watch_signs(poll: float = 30.0) -> None:
    while True:  # SAFE: unbounded-retry
        try:
            async with httpx.AsyncClient(timeout=5.0) as client:
                resp = await client.get(SIGN_URL + "/health")
                resp.raise_for_status()
            time.sleep(poll)  # SEEDED: EDGE blocking-in-async
        except httpx.HTTPError:
            logger.warning("sign service unhealthy")
            await asyncio.sleep(poll)  # SAFE: blocking-in-async


def run_sign_refresh(rooms: dict[int, str]) -> None:
    task = asyncio.get_event_loop().create_task(update_signs_gathered(rooms))
    _sign_tasks.add(task)  # SAFE: task-reference
    task.add_done_callback(_sign_tasks.discard)
