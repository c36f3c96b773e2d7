"""HAL: hallucinated APIs, resolved against the target environment: imports (HAL001, HAL002) and
attributes, keywords and arity of calls (HAL003-HAL005), deprecated APIs (HAL006)."""

from vetpy.rules.hal import imports  # noqa: F401  (registers HAL001, HAL002)
from vetpy.rules.hal import deprecated  # noqa: F401, I001  (registers HAL006)
from vetpy.rules.hal import attributes  # noqa: F401, I001  (registers HAL003-HAL005)
from vetpy.rules.hal import none_results  # noqa: F401, I001  (HAL003 on results of calls that return None)
from vetpy.rules.hal import none_entered  # noqa: F401, I001  (HAL003 on with targets whose __enter__ returns None)
