"""Blind set 4 (written without running vetpy or reading its rules): boto3 / botocore."""
import boto3
from botocore.config import Config


def _s3():
    return boto3.client("s3", region_name="us-east-1")


def case_put_object_from_file():
    s3 = boto3.client("s3", region_name="us-east-1")
    return s3.put_object_from_file(Bucket="b", Key="k", Filename="f")  # HAL: invented-member; receiver=factory


def case_bucket_upload():
    bucket = boto3.resource("s3", region_name="us-east-1").Bucket("b")
    return bucket.upload("f", "k")  # HAL: invented-member; receiver=chain


def case_lambda_call_function():
    client = boto3.client("lambda", region_name="us-east-1")
    return client.call_function(FunctionName="f")  # HAL: invented-member; receiver=factory


def case_config_timeout():
    return Config(timeout=5)  # HAL: invented-keyword; receiver=call


def case_paginator_paginate_all():
    paginator = boto3.client("dynamodb", region_name="us-east-1").get_paginator("scan")
    return paginator.paginate_all(TableName="t")  # HAL: invented-member; receiver=chain


def case_exceptions_no_such_key_error():
    return _s3().exceptions.NoSuchKeyError  # HAL: invented-member; receiver=chain


def case_loop_clients_describe():
    out = []
    for name in ("sqs", "sns"):
        client = boto3.client(name, region_name="us-east-1")
        out.append(client.list_all())  # HAL: invented-member; receiver=loop
    return out
