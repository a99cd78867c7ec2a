"""Prometheus metrics kept in memory and written in the text exposition format (v0.0.4)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
BUCKETS: tuple[float, ...] = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
                              2.5, 5.0, 10.0)  # fmt: skip


@dataclass(slots=True)
class Histogram:
    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    total: float = 0.0
    count: int = 0

    def observe(self, seconds: float) -> None:
        self.total += seconds
        self.count += 1
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                self.counts[i] += 1
                break


@dataclass(frozen=True, slots=True)
class Gauge:
    name: str
    help: str
    read: Callable[[], float]


class Metrics:
    """Request counters, a latency histogram per route and an in-flight gauge, per process.

    Everything is updated from the event loop only, so no lock is needed.
    """

    def __init__(self) -> None:
        self.requests: dict[tuple[str, str, int], int] = {}
        self.latency: dict[str, Histogram] = {}
        self.in_flight = 0
        self.rejected = 0
        self.gauges: list[Gauge] = []

    def add_gauge(self, name: str, help_text: str, read: Callable[[], float]) -> None:
        self.gauges.append(Gauge(name, help_text, read))

    def record(self, route: str, method: str, status: int, seconds: float | None) -> None:
        key = (route, method, status)
        self.requests[key] = self.requests.get(key, 0) + 1
        if seconds is not None:
            self.latency.setdefault(route, Histogram()).observe(seconds)

    def exposition(self) -> str:
        """All metrics in the Prometheus text format."""
        lines: list[str] = []
        lines += _header("kgwiki_http_requests_total", "HTTP requests by route, method and status",
                         "counter")  # fmt: skip
        for (route, method, status), n in sorted(self.requests.items()):
            labels = _labels(route=route, method=method, status=str(status))
            lines.append(f"kgwiki_http_requests_total{labels} {n}")
        name = "kgwiki_http_request_duration_seconds"
        lines += _header(name, "Time to the end of the response body, by route", "histogram")
        for route, hist in sorted(self.latency.items()):
            running = 0
            for bound, n in zip(BUCKETS, hist.counts, strict=True):
                running += n
                lines.append(f"{name}_bucket{_labels(route=route, le=_num(bound))} {running}")
            lines.append(f"{name}_bucket{_labels(route=route, le='+Inf')} {hist.count}")
            lines.append(f"{name}_sum{_labels(route=route)} {_num(hist.total)}")
            lines.append(f"{name}_count{_labels(route=route)} {hist.count}")
        lines += _header("kgwiki_http_requests_in_flight", "Requests being served now", "gauge")
        lines.append(f"kgwiki_http_requests_in_flight {self.in_flight}")
        lines += _header("kgwiki_http_requests_rejected_total",
                         "Requests refused with 503: too many in flight", "counter")  # fmt: skip
        lines.append(f"kgwiki_http_requests_rejected_total {self.rejected}")
        for gauge in self.gauges:
            lines += _header(gauge.name, gauge.help, "gauge")
            lines.append(f"{gauge.name} {_num(gauge.read())}")
        return "\n".join(lines) + "\n"


def _header(name: str, help_text: str, kind: str) -> Iterable[str]:
    return (f"# HELP {name} {help_text}", f"# TYPE {name} {kind}")


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(**labels: str) -> str:
    inner = ",".join(f'{key}="{_escape(value)}"' for key, value in labels.items())
    return "{" + inner + "}"


def _num(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value)) if value != int(value) else str(int(value))
