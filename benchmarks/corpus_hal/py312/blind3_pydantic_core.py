"""Blind set 3 (written without running vetpy or reading its rules): pydantic-core 2."""
import datetime

import pydantic_core


def case_to_json_default():
    # json.dumps(default=); pydantic_core.to_json has ``fallback=``
    return pydantic_core.to_json({"a": object()}, default=str)  # HAL: other-library-idiom; receiver=call


def case_from_json_strict():
    # from_json has allow_inf_nan / cache_strings / allow_partial
    return pydantic_core.from_json(b'{"when": 1}', strict=True)  # HAL: invented-keyword; receiver=call


def case_to_jsonable_python_import():
    # pydantic_core has to_jsonable_python; FastAPI's helper is jsonable_encoder
    from pydantic_core import jsonable_encoder  # HAL: other-library-idiom; receiver=import
    return jsonable_encoder(datetime.date(2024, 1, 1))
