"""Blind set: pydantic 2.14."""
from pydantic import BaseModel, Field, TypeAdapter


class User(BaseModel):
    id: int
    name: str = "ann"


def load_user() -> User:
    return User(id=1)


def case_import_stricturl():
    from pydantic.networks import stricturl  # HAL: version-drift; receiver=import
    return stricturl


def case_dump_json_sort_keys():
    return load_user().model_dump_json(sort_keys=True)  # HAL: invented-keyword; receiver=helper-return


def case_type_adapter_mode():
    adapter = TypeAdapter(int)
    return adapter.validate_json("1", mode="strict")  # HAL: invented-keyword; receiver=constructor


def case_loop_allow_none():
    out = []
    for _name, field in User.model_fields.items():
        out.append(field.allow_none)  # HAL: version-drift; receiver=loop
    return out


def case_fields_set_v1():
    user = load_user()
    return user.fields_set  # HAL: invented-member; receiver=helper-return
