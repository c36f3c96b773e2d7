"""Blind set 4 (written without running vetpy or reading its rules): openai."""
import openai
from openai import AsyncOpenAI, OpenAI


def _client() -> OpenAI:
    return OpenAI(api_key="sk-test", max_retries=0)


def case_chat_complete_mistral():
    client = OpenAI(api_key="sk-test")
    # Mistral's SDK spells it client.chat.complete(); openai's is chat.completions.create()
    return client.chat.complete(model="gpt-4o", messages=[])  # HAL: other-library-idiom; receiver=chain


def case_embeddings_embed():
    # Cohere's client.embed(); openai's resource method is embeddings.create()
    return _client().embeddings.embed(model="text-embedding-3-small", input=["x"])  # HAL: other-library-idiom; receiver=helper-return


def case_responses_generate():
    with OpenAI(api_key="sk-test") as client:
        return client.responses.generate(model="gpt-4o", input="hi")  # HAL: invented-member; receiver=with-target


async def case_models_list_models():
    async with AsyncOpenAI(api_key="sk-test") as client:
        return await client.models.list_models()  # HAL: invented-member; receiver=with-target


def case_api_base_keyword():
    # openai<1 had openai.api_base; the 1.x+ client takes base_url=
    return OpenAI(api_key="sk-test", api_base="https://example.invalid/v1")  # HAL: version-drift; receiver=call


def case_files_upload_gemini():
    client = OpenAI(api_key="sk-test")
    # google-genai's client.files.upload(file=...); openai's is files.create(file=, purpose=)
    return client.files.upload(file=b"data", purpose="assistants")  # HAL: other-library-idiom; receiver=chain


def case_with_options_max_retry():
    return _client().with_options(max_retry=1)  # HAL: invented-keyword; receiver=helper-return


def case_openai_api_key_function():
    # module-level configuration helpers never existed
    return openai.set_api_key("sk-test")  # HAL: invented-member; receiver=module
