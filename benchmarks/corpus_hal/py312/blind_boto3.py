"""Blind set: boto3 1.44 (fails before any request)."""
import boto3


def case_bucket_list_keys():
    s3 = boto3.resource("s3")
    return s3.Bucket("b").list_keys()  # HAL: other-library-idiom; receiver=chain


def case_get_object_url():
    s3 = boto3.client("s3")
    return s3.get_object_url(Bucket="b", Key="k")  # HAL: invented-member; receiver=factory


def case_sqs_receive():
    session = boto3.session.Session()
    return session.client("sqs").receive(QueueUrl="https://q.invalid/1")  # HAL: invented-member; receiver=chain


def case_table_scan_all():
    return boto3.resource("dynamodb").Table("t").scan_all()  # HAL: invented-member; receiver=chain
