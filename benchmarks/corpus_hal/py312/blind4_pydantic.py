"""Blind set 4 (written without running vetpy or reading its rules): pydantic."""
from pydantic import BaseModel, TypeAdapter, field_validator


class Item(BaseModel):
    name: str
    qty: int = 1


def _item() -> Item:
    return Item(name="a")


def case_model_dump_include_none():
    return Item(name="a").model_dump(by_alias=True, include_none=False)  # HAL: invented-keyword; receiver=constructor


def case_model_validate_to_json_dict():
    return Item.model_validate({"name": "a"}).to_json()  # HAL: other-library-idiom; receiver=class


def case_type_adapter_validate_json_bytes():
    adapter = TypeAdapter(list[int])
    return adapter.validate_json_bytes(b"[1]")  # HAL: invented-member; receiver=constructor


def case_field_validator_pre():
    class Tagged(BaseModel):
        tag: str

        @field_validator("tag", pre=True)  # HAL: version-drift; receiver=call
        @classmethod
        def strip(cls, value):
            return value.strip()

    return Tagged


def case_model_copy_validate():
    return _item().model_copy(update={"qty": 2}, validate=True)  # HAL: invented-keyword; receiver=helper-return


def case_model_fields_loop_type():
    out = []
    for _name, info in Item.model_fields.items():
        out.append(info.type_)  # HAL: version-drift; receiver=loop
    return out


def case_model_fields_keys_method():
    # model_fields is a dict on the class; there is no fields() method
    return Item.fields()  # HAL: invented-member; receiver=class


def case_model_dump_json_exclude_defaults_typo():
    return _item().model_dump_json(exclude_default=True)  # HAL: invented-keyword; receiver=helper-return
