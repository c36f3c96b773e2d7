"""Blind set 2 (written without running vetpy or reading its rules): standard library of Python 3.12."""
import asyncio
import collections
import dataclasses
import datetime
import decimal
import ipaddress
import logging
import os
import re
import shutil
import tempfile
import zipfile


def case_frozenset_add():
    tags = frozenset(["a", "b"])
    tags.add("c")  # HAL: invented-member; receiver=constructor
    return tags


def case_memoryview_decode():
    view = memoryview(b"abc")
    return view.decode("ascii")  # HAL: other-library-idiom; receiver=constructor


def case_decimal_from_float_round():
    # numpy/pandas .round(n); Decimal has quantize (and round(d, n))
    return decimal.Decimal.from_float(0.125).round(2)  # HAL: other-library-idiom; receiver=class


def case_which_narrowed_exists():
    found = shutil.which("sh") or shutil.which("python3")
    if found:
        return found.exists()  # HAL: other-library-idiom; receiver=narrowed
    return False


def case_match_narrowed_group_dict():
    match = re.match(r"(?P<n>\d+)", "42")
    if match is not None:
        return match.group_dict()  # HAL: invented-member; receiver=narrowed
    return None


def _load_counts() -> dict[str, int]:
    return {"a": 1}


async def case_to_thread_has_key():
    counts = await asyncio.to_thread(_load_counts)
    return counts.has_key("a")  # HAL: version-drift; receiver=await


def case_scandir_suffix():
    with tempfile.TemporaryDirectory() as tmp:
        open(os.path.join(tmp, "a.txt"), "w").close()
        for entry in os.scandir(tmp):
            return entry.suffix  # HAL: other-library-idiom; receiver=loop


def split_host(address: str) -> tuple[str, int]:
    host, _, port = address.partition(":")
    return host, int(port or 80)


def case_unpacked_port_isdigit():
    host, port = split_host("example.org:8080")
    return host, port.isdigit()  # HAL: invented-member; receiver=unpack


def case_date_hour():
    return datetime.datetime.now().date().hour  # HAL: invented-member; receiver=chain


def case_ordered_dict_move_to_start():
    order: collections.OrderedDict[str, int] = collections.OrderedDict(a=1, b=2)
    order.move_to_start("b")  # HAL: invented-member; receiver=annotated-local
    return order


def case_network_contains():
    network = ipaddress.ip_network("10.0.0.0/8")
    return network.contains(ipaddress.ip_address("10.1.2.3"))  # HAL: invented-member; receiver=factory


def case_zipfile_add():
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(os.path.join(tmp, "a.zip"), "w") as archive:
            # tarfile's TarFile.add; ZipFile has write / writestr
            archive.add(__file__)  # HAL: other-library-idiom; receiver=with-target


@dataclasses.dataclass
class Point:
    x: int
    y: int


def case_dataclass_replace_unknown_field():
    return dataclasses.replace(Point(1, 2), z=3)  # HAL: invented-keyword; receiver=kwargs-forward


def case_str_split_max():
    return "a,b,c".split(",", max=1)  # HAL: invented-keyword; receiver=call


def case_logger_info_extra_data():
    logger = logging.getLogger("blind2")
    logger.warning("saved %s", "x", extra_data={"id": 1})  # HAL: invented-keyword; receiver=kwargs-forward


def case_sorted_cmp():
    return sorted(["b", "a"], cmp=lambda a, b: 0)  # HAL: version-drift; receiver=call
