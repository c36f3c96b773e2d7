"""openai 3.57: 0.x module-level API, invented resources and keywords (nothing is sent)."""
import openai
from openai import AsyncOpenAI, OpenAI


def make_client() -> OpenAI:
    return OpenAI(api_key="sk-test", base_url="http://127.0.0.1:9/v1", max_retries=0)



def case_chat_completion_singular():
    client = make_client()
    return client.chat.completion.create(model="gpt-4o", messages=[])  # HAL: invented-member; receiver=chain


def case_request_timeout_kw():
    return OpenAI(api_key="sk-test", request_timeout=30)  # HAL: version-drift; receiver=call


def case_embeddings_engine_kw():
    client = make_client()
    return client.embeddings.create(input="x", engine="text-embedding-3-small")  # HAL: version-drift; receiver=chain


def case_openai_error_module():
    from openai.error import RateLimitError  # HAL: version-drift; receiver=import
    return RateLimitError


async def case_acreate():
    client = AsyncOpenAI(api_key="sk-test", base_url="http://127.0.0.1:9/v1")
    return await client.chat.completions.acreate(model="gpt-4o", messages=[])  # HAL: version-drift; receiver=chain


def case_images_create():
    client = make_client()
    return client.images.create(prompt="cat")  # HAL: invented-member; receiver=chain


def case_chat_create_direct():
    client = OpenAI(api_key="sk-test")
    return client.chat.create(model="gpt-4o", messages=[])  # HAL: invented-member; receiver=chain



def case_with_options_kw():
    client = make_client()
    return client.with_options(request_timeout=5)  # HAL: invented-keyword; receiver=helper-return


def case_create_positional():
    client = make_client()
    return client.chat.completions.create("gpt-4o", [])  # HAL: arity; receiver=chain
