"""The Claude analyzer's circuit breaker (issue 15, item 7), without a database: an unreachable
API (a closed port, a server that never answers) opens it after N consecutive requests without
an answer, so the run takes seconds instead of minutes; what was not analysed is *skipped*
(stays pending, not a failure); and the batches keep identical texts together."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from dagster_cerniq.defs.sentiment.analyze import batches
from dagster_cerniq.defs.sentiment.claude import (
    UNREACHABLE_SKIP_ERROR,
    CircuitBreaker,
    ClaudeAnalyzer,
    ClaudeSettings,
)
from tests.conftest import closed_port

MODEL = "claude-haiku-4-5"


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections (the kernel's backlog) and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def settings_for(port: int, **overrides) -> ClaudeSettings:
    # The real backoff (1 s, doubling, 4 attempts): what made 60 messages take 138 s.
    values = {"api_key": "k", "model": MODEL, "base_url": f"http://127.0.0.1:{port}"}
    return ClaudeSettings(**{**values, **overrides})


ITEMS = [(f"m{i}", f"mesajul numarul {i}") for i in range(60)]


def test_a_closed_port_opens_the_breaker_and_fails_fast() -> None:
    analyzer = ClaudeAnalyzer(settings_for(closed_port()))
    sent = []
    acquire = analyzer._limiter.acquire

    def counting_acquire():
        started = acquire()
        if started is not None:
            sent.append(started)
        return started

    analyzer._limiter.acquire = counting_acquire  # type: ignore[method-assign]
    began = time.monotonic()
    outcomes = analyzer.analyze_many(ITEMS, [])
    elapsed = time.monotonic() - began
    assert elapsed < 5, f"{elapsed:.1f}s"
    assert len(outcomes) == 60 and not any(o.ok for o in outcomes)
    assert all(o.skipped for o in outcomes), "the outage is no message's failure"
    assert {o.error for o in outcomes} == {UNREACHABLE_SKIP_ERROR}
    assert len(sent) <= 5 + analyzer.settings.concurrency, "a few requests, not 60 times 4"
    assert "5 consecutive requests got no answer" in analyzer.unreachable
    assert "APIConnectionError" in analyzer.unreachable
    # Once open, the next batch sends nothing at all.
    before = len(sent)
    again = analyzer.analyze_many([("x", "alt mesaj")], [])
    assert again[0].skipped and len(sent) == before
    analyzer.close()


def test_a_server_that_never_answers_opens_it_after_the_timeouts(silent_server: int) -> None:
    analyzer = ClaudeAnalyzer(settings_for(silent_server, timeout=0.5, breaker_threshold=3))
    began = time.monotonic()
    outcomes = analyzer.analyze_many(ITEMS[:20], [])
    elapsed = time.monotonic() - began
    assert elapsed < 10, f"{elapsed:.1f}s"
    assert all(o.skipped for o in outcomes)
    assert "APITimeoutError" in analyzer.unreachable
    analyzer.close()


def test_an_http_answer_resets_the_count() -> None:
    breaker = CircuitBreaker(3)
    for _ in range(10):
        breaker.unreachable("APIConnectionError: refused")
        breaker.unreachable("APIConnectionError: refused")
        breaker.answered()  # e.g. an HTTP 500: the API is there
    assert not breaker.is_open and breaker.reason is None
    for _ in range(3):
        breaker.unreachable("APIConnectionError: refused")
    assert breaker.is_open and "3 consecutive" in breaker.reason


def test_the_threshold_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "k")
    monkeypatch.setenv("CERNIQ_SENTIMENT_BREAKER_THRESHOLD", "9")
    assert ClaudeSettings.from_env().breaker_threshold == 9
    monkeypatch.setenv("CERNIQ_SENTIMENT_BREAKER_THRESHOLD", "0")
    with pytest.raises(ValueError, match="at least 1"):
        ClaudeSettings.from_env()


def test_batches_keep_identical_texts_together() -> None:
    items = [("a", "Pret mare"), ("b", "x"), ("c", "  pret   MARE "), ("d", "y"), ("e", "z")]
    got = list(batches(items, 2))
    assert [key for batch in got for key, _ in batch] == ["a", "c", "b", "d", "e"]
    assert [len(batch) for batch in got] == [2, 2, 1]
    assert list(batches([], 5)) == []
