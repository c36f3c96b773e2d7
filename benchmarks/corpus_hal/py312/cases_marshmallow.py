"""marshmallow 4.4: 2.x/3.x APIs removed in 4.0, invented keywords."""
from marshmallow import Schema, fields


class UserSchema(Schema):
    name = fields.Str(required=True)
    age = fields.Int()


def case_schema_strict():
    return UserSchema(strict=True)  # HAL: version-drift; receiver=call


def case_load_data_attr():
    result = UserSchema().load({"name": "a", "age": 1})
    return result.data  # HAL: version-drift; receiver=chain


def case_field_missing_kw():
    return fields.Str(missing="anon")  # HAL: version-drift; receiver=call


def case_validate_data():
    schema = UserSchema()
    return schema.validate_data({"name": "a"})  # HAL: invented-member; receiver=constructor


def case_validator_import():
    from marshmallow import validator  # HAL: invented-member; receiver=import
    return validator


def case_list_min_length():
    return fields.List(fields.Int(), min_length=1)  # HAL: invented-keyword; receiver=kwargs-forward


def case_load_strict_kw():
    return UserSchema().load({"name": "a"}, strict=True)  # HAL: invented-keyword; receiver=chain


def case_schema_context():
    return UserSchema(context={"user": 1})  # HAL: version-drift; receiver=call


def case_field_default_kw():
    return fields.Int(default=0)  # HAL: version-drift; receiver=call


def case_load_positional():
    return UserSchema().load({"name": "a"}, None, True)  # HAL: arity; receiver=chain
