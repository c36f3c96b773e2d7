"""Blind set 3 (written without running vetpy or reading its rules): s3transfer 0.19."""
import io

import boto3
from s3transfer.manager import TransferConfig, TransferManager


def case_transfer_config_concurrency():
    # boto3.s3.transfer.TransferConfig spells it max_concurrency; s3transfer's is max_request_concurrency
    return TransferConfig(max_concurrency=4)  # HAL: other-library-idiom; receiver=constructor


def case_manager_upload_file():
    client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    manager = TransferManager(client)
    try:
        # boto3's S3Transfer.upload_file; TransferManager.upload(fileobj, bucket, key)
        return manager.upload_file(io.BytesIO(b"x"), "bucket", "key")  # HAL: other-library-idiom; receiver=constructor
    finally:
        manager.shutdown()
