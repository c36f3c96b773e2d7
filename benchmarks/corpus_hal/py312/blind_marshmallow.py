"""Blind set: marshmallow 4.4."""
from marshmallow import Schema, fields, post_load


class ItemSchema(Schema):
    name = fields.Str()


def case_field_description():
    return fields.Str(description="the name")  # HAL: version-drift; receiver=call


def case_post_load_pass_many():
    @post_load(pass_many=True)  # HAL: version-drift; receiver=call
    def make(self, data, many, **kwargs):
        return data

    return make


def case_schema_context():
    return ItemSchema().context  # HAL: version-drift; receiver=constructor
