"""Blind set (written without running vetpy or reading its rules): tenacity 9."""
import tenacity
from tenacity import Retrying, stop_after_attempt


def case_wait_random_exponential_maximum():
    return tenacity.wait_random_exponential(multiplier=1, maximum=10)  # HAL: invented-keyword; receiver=call


def case_attempt_number():
    for attempt in Retrying(stop=stop_after_attempt(1)):
        return attempt.attempt_number  # HAL: invented-member; receiver=loop


def case_retry_stats():
    @tenacity.retry(stop=stop_after_attempt(1))
    def job():
        return 1

    return job.retry_stats  # HAL: invented-member; receiver=decorator
