"""Blind set 3 (written without running vetpy or reading its rules): joblib 1.6."""
import tempfile

import joblib
from joblib import Parallel, delayed


def _square(x):
    return x * x


def case_memory_cachedir():
    with tempfile.TemporaryDirectory() as tmp:
        # joblib < 0.12 spelled the location ``cachedir``; it is ``location`` now
        memory = joblib.Memory(cachedir=tmp, verbose=0)  # HAL: version-drift; receiver=constructor
        return memory


def case_dump_compression():
    with tempfile.TemporaryDirectory() as tmp:
        # the keyword is ``compress``
        joblib.dump({"a": 1}, f"{tmp}/a.pkl", compression=3)  # HAL: invented-keyword; receiver=call


def case_hash_algorithm():
    # hashlib's vocabulary; joblib.hash takes ``hash_name``
    return joblib.hash({"a": 1}, algorithm="sha1")  # HAL: other-library-idiom; receiver=call


def case_parallel_map():
    with Parallel(n_jobs=1) as parallel:
        # multiprocessing.Pool.map; a Parallel object is called with delayed() tasks
        return parallel.map(_square, range(3))  # HAL: other-library-idiom; receiver=with-target


def case_memory_cache_clear():
    with tempfile.TemporaryDirectory() as tmp:
        memory = joblib.Memory(tmp, verbose=0)

        @memory.cache
        def cube(x):
            return x ** 3

        cube(2)
        # functools.lru_cache's method; a MemorizedFunc has clear()
        cube.cache_clear()  # HAL: other-library-idiom; receiver=decorator


def case_delayed_with_args():
    # delayed() wraps the function only; the arguments go to the returned callable
    task = delayed(_square, 3)  # HAL: arity; receiver=call
    return Parallel(n_jobs=1)([task])
