"""Blind set 3 (written without running vetpy or reading its rules): jiter."""
from decimal import Decimal

import jiter


def case_loads():
    # json.loads / orjson.loads; jiter parses with from_json
    return jiter.loads(b'{"a": 1}')  # HAL: other-library-idiom; receiver=module


def case_parse_float():
    # json.loads(parse_float=); jiter has float_mode="decimal"
    return jiter.from_json(b'{"a": 1.5}', parse_float=Decimal)  # HAL: other-library-idiom; receiver=call
