"""pydantic 2.14: v1 names, v1 field internals, invented keywords."""
from pydantic import BaseModel, Field, TypeAdapter


class User(BaseModel):
    id: int
    name: str = "anon"


def parse_user(data: dict) -> User:
    return User.model_validate(data)


def case_base_settings():
    from pydantic import BaseSettings  # HAL: version-drift; receiver=import
    return BaseSettings


def case_model_field():
    from pydantic.fields import ModelField  # HAL: version-drift; receiver=import
    return ModelField



def case_model_dump_yaml():
    user = parse_user({"id": 1})
    return user.model_dump_yaml()  # HAL: invented-member; receiver=helper-return


def case_fields_attr():
    user = User(id=1)
    return user.fields  # HAL: invented-member; receiver=constructor


def case_type_adapter_validate():
    adapter = TypeAdapter(list[int])
    return adapter.validate(["1", "2"])  # HAL: invented-member; receiver=constructor


def case_model_copy_exclude():
    user = User(id=1)
    return user.model_copy(update={"name": "x"}, exclude={"id"})  # HAL: invented-keyword; receiver=constructor


def case_outer_type_loop():
    types = []
    for _name, field in User.model_fields.items():
        types.append(field.outer_type_)  # HAL: version-drift; receiver=loop
    return types


def case_field_required():
    info = User.model_fields["id"]
    return info.required  # HAL: version-drift; receiver=chain


def case_json_schema_indent():
    return User.model_json_schema(indent=2)  # HAL: invented-keyword; receiver=class


def case_model_dump_skip_defaults():
    user = User(id=3)
    return user.model_dump(skip_defaults=True)  # HAL: version-drift; receiver=constructor


def case_validate_partial():
    return User.model_validate({"id": 1}, partial=True)  # HAL: invented-keyword; receiver=class


def case_model_to_dict():
    user = parse_user({"id": 2})
    return user.to_dict()  # HAL: other-library-idiom; receiver=helper-return


def case_parse_file_classmethod():
    return User.model_validate_file("user.json")  # HAL: invented-member; receiver=class


def case_validator_import():
    from pydantic import validates  # HAL: other-library-idiom; receiver=import
    return validates


def case_model_positional():
    return User(1, "ann")  # HAL: arity; receiver=call
