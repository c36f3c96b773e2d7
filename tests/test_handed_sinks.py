"""A library sink handed over to run later with its arguments (vetpy.rules.sec.handed_sinks;
service31's ``await asyncio.to_thread(subprocess.run, cmd, shell=True)``).

Specification: ``asyncio.to_thread(f, *args, **kw)``, ``loop.run_in_executor(executor, f, *args)``,
``executor.submit(f, *args, **kw)`` and ``background.add_task(f, *args, **kw)`` run ``f(*args, **kw)``
(asyncio 3.11 ``to_thread(func, /, *args, **kwargs)``; ``run_in_executor(executor, func, *args)``;
``Executor.submit(fn, /, *args, **kwargs)``): when ``f`` is a function of a library the SEC rules
judge that call, reported at the hand-over.

Look-alikes, silent: a constant command; an argument list without a shell; ``to_thread`` of
something other than asyncio (``self.to_thread``); a local function of the module handed over;
``*args`` at the hand-over.
"""

from __future__ import annotations

from conftest import check_file, context_for, write

APP = """\
import asyncio
import os
import pickle
import subprocess
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web

routes = web.RouteTableDef()
pool = ThreadPoolExecutor()


def run(cmd, shell=False):
    return cmd


@routes.post("/backup")
async def backup(request: web.Request) -> web.Response:
    data = await request.post()
    label = str(data.get("label", "manual"))
    cmd = f"tar czf /backups/{label}.tgz /data"
    await asyncio.to_thread(subprocess.run, cmd, shell=True, check=True)
    await asyncio.get_running_loop().run_in_executor(None, os.system, cmd)
    pool.submit(pickle.loads, await request.read())
    await asyncio.to_thread(subprocess.run, ["tar", "czf", "/backups/x.tgz", "/data"], check=True)
    await asyncio.to_thread(subprocess.run, "tar czf /backups/x.tgz /data", shell=True)
    await asyncio.to_thread(run, cmd, shell=True)
    await request.app.to_thread(subprocess.run, cmd, shell=True)
    await asyncio.to_thread(subprocess.run, *[cmd], shell=True)
    return web.json_response({"ok": True})
"""


def test_a_library_sink_handed_to_a_thread_or_executor_is_judged_as_its_call(tmp_path) -> None:
    root = write(tmp_path, {"app.py": APP})
    found = check_file(root, "app.py", context_for(root), select={"SEC002", "SEC005"})
    assert sorted((f.line, f.code) for f in found) == [(22, "SEC002"), (23, "SEC002"), (24, "SEC005")]
