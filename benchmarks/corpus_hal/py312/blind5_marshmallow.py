"""blind5 / marshmallow 4.4 (issue 15, point 3).

Sources: marshmallow 3.13 changelog ("Replace missing/default field parameters with
load_default/dump_default ... will be removed in marshmallow 4"; https://marshmallow.readthedocs.io/en/stable/changelog.html),
marshmallow 4.0 upgrade notes (``context`` removed from ``Schema``, ``pass_many`` renamed
``pass_collection``, ``__version__`` removed, arbitrary field keywords no longer stored as metadata;
the dataclasses-json "marshmallow 4.0 compat" patch drops ``context=``), marshmallow 2's
``UnmarshalResult.data`` / ``strict=``, DRF's ``is_valid``, pydantic's ``errors()`` and
``min_length``.
"""

import marshmallow
from marshmallow import Schema, ValidationError, fields, post_load, validate


class UserSchema(Schema):
    name = fields.Str(required=True)
    email = fields.Email()


def case_field_missing_keyword():
    return fields.Str(missing="anonymous")  # HAL: version-drift; receiver=constructor


def case_schema_context_keyword():
    return UserSchema(context={"request": None})  # HAL: version-drift; receiver=constructor


def case_load_result_data():
    result = UserSchema().load({"name": "ada"})
    return result.data  # HAL: version-drift; receiver=factory


def case_post_load_pass_many():
    class Batch(Schema):
        ids = fields.List(fields.Int())

        @post_load(pass_many=True)  # HAL: version-drift; receiver=call
        def wrap(self, data, many, **kwargs):
            return data

    return Batch


def case_validation_error_errors():
    try:
        UserSchema().load({})
    except ValidationError as err:
        return err.errors()  # HAL: other-library-idiom; receiver=except-target


def case_schema_is_valid():
    schema = UserSchema()
    return schema.is_valid({"name": "ada"})  # HAL: other-library-idiom; receiver=constructor


def case_length_min_length():
    return validate.Length(min_length=3)  # HAL: other-library-idiom; receiver=constructor


def case_marshmallow_version():
    return marshmallow.__version__  # HAL: version-drift; receiver=module


def case_field_description_keyword():
    return fields.Int(description="age in years")  # HAL: version-drift; receiver=constructor


def case_schema_strict():
    return UserSchema(strict=True).load({"name": "ada"})  # HAL: version-drift; receiver=constructor


def case_dump_result_data_loop():
    out = []
    for item in UserSchema(many=True).dump([{"name": "a"}, {"name": "b"}]):
        out.append(item.data)  # HAL: version-drift; receiver=loop
    return out
