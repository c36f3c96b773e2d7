"""Blind set: openai 3.57 (nothing is sent)."""
from openai import OpenAI


def make_client() -> OpenAI:
    return OpenAI(api_key="sk-test")


def case_responses_messages():
    return make_client().responses.create(model="gpt-4o", input="hi", messages=[])  # HAL: invented-keyword; receiver=chain


def case_import_invalid_request():
    from openai import InvalidRequestError  # HAL: version-drift; receiver=import
    return InvalidRequestError


def case_models_get():
    client = make_client()
    return client.models.get("gpt-4o")  # HAL: invented-member; receiver=helper-return
