"""tenacity 9: retrying-library idioms, invented keywords and members."""
import tenacity
from tenacity import Retrying, retry, stop_after_attempt, wait_exponential, wait_fixed


def case_retry_retries_kw():
    @retry(stop=stop_after_attempt(3), wait=wait_fixed(0), retries=3)  # HAL: invented-keyword; receiver=call
    def flaky():
        return 1

    return flaky


def case_stop_after():
    return tenacity.stop_after(3)  # HAL: invented-member; receiver=module


def case_wait_exponential_base():
    return wait_exponential(multiplier=1, min=1, max=10, base=2)  # HAL: invented-keyword; receiver=call


def case_retry_stats():
    @retry(stop=stop_after_attempt(1))
    def job():
        return 1

    job()
    return job.retry.stats  # HAL: invented-member; receiver=decorator


def case_retry_on_exception_import():
    from tenacity import retry_on_exception  # HAL: other-library-idiom; receiver=import
    return retry_on_exception


def case_stop_max_attempt_number():
    @retry(stop_max_attempt_number=3)  # HAL: other-library-idiom; receiver=call
    def job():
        return 1

    return job


def case_retrying_call():
    retrying = Retrying(stop=stop_after_attempt(2))
    return retrying.call(lambda: 1)  # HAL: version-drift; receiver=constructor


def case_stop_after_attempt_missing():
    return stop_after_attempt()  # HAL: arity; receiver=call
