"""Blind set 2 (written without running vetpy or reading its rules): opentelemetry-api 1.45."""
from opentelemetry import trace


def case_span_set_tag():
    tracer = trace.get_tracer(__name__)
    with tracer.start_as_current_span("work") as span:
        # OpenTracing's span.set_tag; OpenTelemetry has set_attribute
        span.set_tag("k", "v")  # HAL: other-library-idiom; receiver=with-target


def case_add_event_attrs():
    span = trace.get_current_span()
    return span.add_event("done", attrs={"k": 1})  # HAL: invented-keyword; receiver=factory
