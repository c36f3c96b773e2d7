"""boto3 resources (issue 15): ``boto3.resource("s3")`` is an instance of the class boto3 generates
from its resource model (boto3/data/<service>/<version>/resources-1.json): identifiers and
attributes are properties, actions and waiters methods, sub-resources (``Bucket(name)``) methods
giving the resource type's generated class, collections (``bucket.objects``) properties giving a
generated CollectionManager whose all()/filter()/limit()/page_size() give the generated
collection.  Their attribute sets are known exactly; nothing is sent to build them.

Every "must flag" line raises AttributeError/TypeError when run; every look-alike runs (or would
send a request).  A real boto3 from the offline index, pinned (as test_boto3_model.py)."""

from __future__ import annotations

import textwrap

import pytest

from test_boto3_model import ctx, found, found_with_hook  # noqa: F401  (ctx: the pinned boto3's context, a fixture)
from vetpy.engine import check_source

pytestmark = pytest.mark.slow


def test_members_not_in_the_resource_model_are_flagged(ctx):
    assert found(ctx, """\
        import boto3
        from boto3.session import Session

        s3 = boto3.resource("s3")
        s3.list_buckets()
        bucket = s3.Bucket("my-bucket")
        bucket.list_keys()
        boto3.resource("dynamodb").Table("t").scan_all()
        Session(region_name="us-east-1").resource("sqs").Queue("url").send(MessageBody="x")
        boto3.resource(service_name="s3").Bucket("b").Object("k").get_contents()
        bucket.size
    """) == [(5, "HAL003"), (7, "HAL003"), (8, "HAL003"), (9, "HAL003"), (10, "HAL003"), (11, "HAL003")]


def test_collections_are_the_classes_the_resource_makes(ctx):
    assert found(ctx, """\
        import boto3

        bucket = boto3.resource("s3").Bucket("b")
        bucket.objects.list()
        bucket.objects.filter(Prefix="p").limit(3).count()
        bucket.objects.all().to_list()
        boto3.resource("s3").buckets.list_all()
        bucket.objects.all().page_size(100).limit(5).filter(Prefix="p").delete()
        bucket.objects.pages()
        bucket.object_versions.all().delete()
        boto3.resource("s3").buckets.iterator()
    """) == [(4, "HAL003"), (5, "HAL003"), (6, "HAL003"), (7, "HAL003")]


def test_a_collections_elements_are_its_resource_types_instances(ctx):
    # ResourceCollection.__iter__ yields what its ResourceHandler builds: the model's resource type
    assert found(ctx, """\
        import boto3

        bucket = boto3.resource("s3").Bucket("b")
        for item in bucket.objects.all():
            item.contents
            item.key
            item.size
            item.last_modified
            item.Object().get()
        for b in boto3.resource("s3").buckets.filter():
            b.list_keys()
            b.name
        for version in bucket.object_versions.filter(Prefix="p").limit(10):
            version.version_id
            version.head()
    """) == [(5, "HAL003"), (11, "HAL003")]


def test_a_helper_returning_the_resource_carries_it(ctx):
    assert found(ctx, """\
        import boto3

        def table(name: str):
            return boto3.resource("dynamodb").Table(name)

        table("t").scan_all()
        table("t").scan()
    """) == [(6, "HAL003")]


def test_real_actions_attributes_identifiers_and_injected_methods_are_silent(ctx):
    assert found(ctx, """\
        import boto3

        s3 = boto3.resource("s3")
        bucket = s3.Bucket("my-bucket")
        bucket.upload_file("local.txt", "k", ExtraArgs={"ContentType": "text/plain"})
        bucket.download_file("k", "local.txt")
        bucket.put_object(Key="k", Body=b"x", AnyKeywordTheModelChecksWhenSent=1)
        bucket.creation_date
        bucket.name
        bucket._name
        bucket.load()
        bucket.wait_until_exists()
        bucket.get_available_subresources()
        bucket.meta.client.list_objects_v2(Bucket="b")
        bucket.meta.data
        s3.create_bucket(Bucket="b")
        s3.meta.client.head_bucket(Bucket="b")
        obj = bucket.Object("k")
        obj.get()
        obj.key
        obj.bucket_name
        obj.Bucket().delete()
        obj.Acl().put(ACL="private")
        table = boto3.resource("dynamodb").Table("t")
        table.put_item(Item={"id": "1"})
        table.batch_writer()
        table.table_status
        queue = boto3.resource("sqs").Queue("url")
        queue.Message("handle").delete()
        queue.receive_messages(MaxNumberOfMessages=1)
        queue.url
        ec2 = boto3.resource("ec2", region_name="us-east-1")
        instance = ec2.Instance("i-1")
        instance.vpc
        instance.security_groups
        instance.terminate()
        ec2.instances.filter(Filters=[]).stop()
    """) == []


def test_keywords_and_arity_of_real_methods_are_checked(ctx):
    # bucket_upload_file(self, Filename, Key, ExtraArgs=None, Callback=None, Config=None); limit(self, count)
    assert found(ctx, """\
        import boto3

        bucket = boto3.resource("s3").Bucket("b")
        bucket.upload_file("local.txt", "k", extra_args={})
        bucket.objects.limit(1, 2)
        bucket.objects.filter(Prefix="p")
        bucket.delete(ExpectedBucketOwner="1")
    """) == [(4, "HAL004"), (5, "HAL005")]


def test_unknown_or_non_literal_services_and_resource_types_are_silent(ctx):
    assert found(ctx, """\
        import boto3

        boto3.resource("no-such-service").anything()
        boto3.resource("lambda").anything()
        name = "s3"
        boto3.resource(name).list_buckets()
        boto3.resource(*["s3"]).list_buckets()
        boto3.resource("s3", **{}).list_buckets()
        boto3.resource("s3").NoSuchType("x").anything()
    """) == [(9, "HAL003")]


def test_names_the_project_sets_on_a_resource_are_silent(ctx):
    assert found(ctx, """\
        import boto3

        bucket = boto3.resource("s3").Bucket("b")
        bucket.label = "mine"
        print(bucket.label)
    """) == []


def test_a_session_known_only_from_an_annotation_may_be_a_subclass(ctx):
    # aioboto3's Session subclasses boto3's: its resource() gives another object
    assert found(ctx, """\
        import boto3

        def make(session: boto3.Session):
            return session.resource("s3").list_buckets()

        boto3.Session().resource("s3").list_buckets()
    """) == [(6, "HAL003")]


def test_a_project_that_extends_resource_classes_is_silent(tmp_path_factory: pytest.TempPathFactory):
    # a creating-resource-class handler may add methods (or replace them) on the generated class
    assert found_with_hook(tmp_path_factory, "creating-resource-class.s3.Bucket", "list_keys", """\
        import boto3

        bucket = boto3.resource("s3").Bucket("b")
        bucket.list_keys()
        bucket.objects.all()
    """) == []


def test_messages_name_the_service_and_what_it_made(ctx):
    """Not the worker's internal path (`client:s3|resource:Bucket`): the service, the resource
    type or paginator, and the distribution that made it (boto3 makes resources)."""
    text = textwrap.dedent("""\
        import boto3

        boto3.resource("s3").Bucket("b").list_keys()
        boto3.client("s3").list_bucketz()
        boto3.client("s3").get_paginator("list_objects_v2").paginat()
    """)
    messages = [f.message for f in check_source(text, str(ctx.root / "snippet.py"), ctx) if f.code == "HAL003"]
    assert len(messages) == 3, messages
    assert messages[0].startswith("the `s3` resource `Bucket` in boto3 ") and "`list_keys`" in messages[0]
    assert messages[1].startswith("the `s3` client in botocore ") and "`list_bucketz`" in messages[1]
    assert messages[2].startswith("the `s3` client's `list_objects_v2` paginator in botocore ")
    assert not any("client:" in m or "|" in m for m in messages)
