"""boto3 clients (issue 15): ``boto3.client("s3")`` is an instance of the class botocore generates
from the installed service model: one method per operation (keyword arguments only), the
BaseClient methods, and what the class-creation handlers inject (``generate_presigned_url``, S3's
``upload_file``...).  Its attribute set is known exactly; nothing is sent to build it.

Every "must flag" line raises AttributeError/TypeError when run; every look-alike runs (or would
send a request).  A real boto3 from the offline index, pinned."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import hal_context, target_python
from vetpy.engine import check_source

pytestmark = pytest.mark.slow

CODES = ("HAL003", "HAL004", "HAL005")
PINS = ("boto3==1.43.107", "botocore==1.43.107")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\ndependencies = ['boto3']\n")
    try:
        python = target_python(PINS)
    except Exception as exc:  # pragma: no cover - no offline index with boto3
        pytest.skip(f"boto3 is not installable here: {exc}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, python)
    yield context
    context.members.close()


def found(context, code: str) -> list[tuple[int, str]]:
    text = textwrap.dedent(code)
    return [(f.line, f.code) for f in check_source(text, str(context.root / "snippet.py"), context) if f.code in CODES]


def test_operations_not_in_the_service_model_are_flagged(ctx):
    assert found(ctx, """\
        import boto3
        from boto3.session import Session

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.list_objects_v3(Bucket="b")
        boto3.client("sqs").send(QueueUrl="q", MessageBody="x")
        Session(region_name="us-east-1").client("lambda").invoke_function(FunctionName="f")
        boto3.client(service_name="dynamodb").get_items(TableName="t")
        s3.put_file("local.txt", "b", "k")
    """) == [(5, "HAL003"), (6, "HAL003"), (7, "HAL003"), (8, "HAL003"), (9, "HAL003")]


def test_a_helper_returning_the_client_carries_it(ctx):
    assert found(ctx, """\
        import boto3

        def s3_client():
            return boto3.client("s3", region_name="us-east-1")

        s3_client().list_objects_v3(Bucket="b")
        s3_client().list_objects_v2(Bucket="b")
    """) == [(6, "HAL003")]


def test_real_operations_base_methods_and_injected_methods_are_silent(ctx):
    assert found(ctx, """\
        import boto3

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.list_objects_v2(Bucket="b")
        s3.list_objects(Bucket="b")
        s3.head_bucket(Bucket="b")
        s3.put_object(Bucket="b", Key="k", Body=b"x", AnyKeywordTheModelChecksWhenSent=1)
        s3.upload_file("local.txt", "b", "k", ExtraArgs={"ContentType": "text/plain"})
        s3.download_file("b", "k", "local.txt")
        s3.upload_fileobj(None, "b", "k")
        s3.copy({"Bucket": "b", "Key": "k"}, "b2", "k2")
        s3.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "k"}, ExpiresIn=60)
        s3.generate_presigned_post("b", "k")
        s3.can_paginate("list_objects_v2")
        s3.get_paginator("list_objects_v2").paginate(Bucket="b")
        s3.get_waiter("bucket_exists")
        s3.meta.region_name
        s3.exceptions.NoSuchKey
        s3.close()
        boto3.client("sqs").send_message(QueueUrl="q", MessageBody="x")
        boto3.client("lambda").invoke(FunctionName="f")
        boto3.client("dynamodb").get_item(TableName="t", Key={})
    """) == []


def test_aliases_served_by_the_clients_getattr_are_silent(ctx):
    # botocore's BUILTIN_HANDLERS answer `getattr.cloudwatch.get_o_tel_enrichment` with the renamed operation
    assert found(ctx, """\
        import boto3

        cw = boto3.client("cloudwatch")
        cw.get_o_tel_enrichment()
        cw.get_otel_enrichment()
        cw.get_o_tel_enrichmentx()
    """) == [(6, "HAL003")]


def test_a_positional_argument_to_an_operation_is_an_arity_error(ctx):
    assert found(ctx, """\
        import boto3

        s3 = boto3.client("s3")
        s3.head_bucket("my-bucket")
        s3.head_bucket(Bucket="my-bucket")
        s3.get_object(**{"Bucket": "b", "Key": "k"})
    """) == [(4, "HAL005")]


def test_keywords_of_real_client_methods_are_checked(ctx):
    assert found(ctx, """\
        import boto3

        s3 = boto3.client("s3")
        s3.generate_presigned_url("get_object", Params={}, expires=3600)
        s3.generate_presigned_url("get_object", Params={}, ExpiresIn=3600)
    """) == [(4, "HAL004")]


def test_paginators_and_waiters_are_the_classes_the_client_makes(ctx):
    # get_paginator: type(name, (Paginator,), {"paginate": ...}); get_waiter: (Waiter,), {"wait": ...}
    assert found(ctx, """\
        import boto3

        s3 = boto3.client("s3")
        paginator = s3.get_paginator("list_objects_v2")
        paginator.iterate(Bucket="b")
        paginator.paginate(Bucket="b")
        paginator.result_keys
        s3.get_paginator(operation_name="list_objects_v2").paginate(Bucket="b").build_full_result()
        waiter = s3.get_waiter("bucket_exists")
        waiter.wait_until(Bucket="b")
        waiter.wait(Bucket="b")
        waiter.config
        s3.get_paginator("no_such_operation").iterate()
        name = "list_objects_v2"
        s3.get_paginator(name).iterate()
    """) == [(5, "HAL003"), (10, "HAL003")]


def test_unknown_or_non_literal_services_are_silent(ctx):
    assert found(ctx, """\
        import boto3

        boto3.client("no-such-service").anything()
        name = "s3"
        boto3.client(name).list_objects_v3()
        boto3.client(*["s3"]).list_objects_v3()
        boto3.client("s3", **{}).list_objects_v3()
    """) == []


def test_a_session_known_only_from_an_annotation_may_be_a_subclass(ctx):
    # aioboto3's Session subclasses boto3's: its client() gives another object
    assert found(ctx, """\
        import boto3

        def make(session: boto3.Session):
            return session.client("s3").list_objects_v3()

        boto3.Session().client("s3").list_objects_v3()
    """) == [(6, "HAL003")]


def found_with_hook(tmp_path_factory: pytest.TempPathFactory, event: str, name: str, code: str) -> list[tuple[int, str]]:
    """What ``found`` says of ``code`` in a project whose own module registers a handler of the
    botocore ``event`` that adds the method ``name`` to the generated class."""
    root = tmp_path_factory.mktemp("extending")
    (root / "pyproject.toml").write_text("[project]\nname = 'ext'\nversion = '0'\ndependencies = ['boto3']\n")
    (root / "hooks.py").write_text(
        f"import boto3\n\n\ndef add(class_attributes, **kwargs):\n    class_attributes['{name}'] = lambda self, *a: a\n\n\n"
        f"boto3.DEFAULT_SESSION.events.register('{event}', add)\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, target_python(PINS))
    try:
        return found(context, code)
    finally:
        context.members.close()


def test_a_project_that_extends_client_classes_is_silent(tmp_path_factory: pytest.TempPathFactory):
    # a creating-client-class handler may add methods (or replace them) on the generated class
    assert found_with_hook(tmp_path_factory, "creating-client-class.s3", "put_file", """\
        import boto3

        s3 = boto3.client("s3")
        s3.put_file("a")
        s3.head_bucket("my-bucket")
    """) == []
