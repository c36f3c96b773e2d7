"""boto3 1.44: operations not in botocore's service model, invented keywords (no call is sent)."""
import boto3
from boto3.session import Session


def s3_client():
    return boto3.client("s3", region_name="us-east-1")


def case_list_objects_v3():
    s3 = boto3.client("s3", region_name="us-east-1")
    return s3.list_objects_v3(Bucket="b")  # HAL: invented-member; receiver=factory


def case_put_file():
    s3 = s3_client()
    s3.put_file("local.txt", "b", "k")  # HAL: invented-member; receiver=helper-return


def case_sqs_send():
    sqs = boto3.client("sqs", region_name="us-east-1")
    sqs.send(QueueUrl="https://q.invalid/1", MessageBody="x")  # HAL: invented-member; receiver=factory


def case_bucket_list_objects():
    bucket = boto3.resource("s3", region_name="us-east-1").Bucket("b")
    return bucket.list_objects()  # HAL: invented-member; receiver=chain


def case_client_region_kw():
    return boto3.client("s3", region="us-east-1")  # HAL: invented-keyword; receiver=call


def case_session_profile_kw():
    return boto3.Session(profile="dev")  # HAL: invented-keyword; receiver=call


def case_table_get():
    table = boto3.resource("dynamodb", region_name="us-east-1").Table("users")
    return table.get(Key={"id": "1"})  # HAL: invented-member; receiver=chain


def case_presign_expires_kw():
    s3 = s3_client()
    return s3.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "k"}, expires=3600)  # HAL: invented-keyword; receiver=helper-return


def case_client_exception_import():
    from botocore.exceptions import ClientException  # HAL: invented-member; receiver=import
    return ClientException


def case_session_get_client():
    session = Session(region_name="us-east-1")
    return session.get_client("s3")  # HAL: invented-member; receiver=constructor


def case_paginator_iterate():
    paginator = s3_client().get_paginator("list_objects_v2")
    return paginator.iterate(Bucket="b")  # HAL: invented-member; receiver=chain


def case_lambda_invoke_function():
    client = boto3.client("lambda", region_name="us-east-1")
    return client.invoke_function(FunctionName="f")  # HAL: invented-member; receiver=factory


def case_upload_file_extra_kw():
    s3 = s3_client()
    s3.upload_file("local.txt", "b", "k", ContentType="text/plain")  # HAL: invented-keyword; receiver=helper-return


def case_positional_operation():
    s3 = s3_client()
    return s3.head_bucket("my-bucket")  # HAL: arity; receiver=helper-return
