"""``python -m vetpy.schema``: print the JSON schema of ``[tool.vetpy]`` (``vetpy.schema.json``).

Generated from :mod:`vetpy.settings_spec`; ``tests/test_settings_spec.py`` checks that the committed
file is up to date.
"""

from __future__ import annotations

import json

from vetpy.codes import FAMILIES
from vetpy.settings_spec import config_schema


def schema_text() -> str:
    return json.dumps(config_schema(list(FAMILIES)), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
