"""The throttle (`Runner.pace`) holds ACVS_CAMPAIGN_RATE over a run, on a simulated clock whose sleeps overshoot as
a loaded machine's do (sleeping what was left of each message's slot gave 488 messages/s for 1,000)."""

import types

import pytest

from acvs.campaigns import sending


class Clock:
    def __init__(self, overshoot: float):
        self.now, self.overshoot, self.sleeps = 100.0, overshoot, 0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.now += seconds + self.overshoot


@pytest.mark.parametrize(("rate", "work"), [(1000, 0.0004), (200, 0.001), (20, 0.001)], ids=["1000", "200", "20"])
def test_the_rate_is_held_over_the_run_despite_late_sleeps(monkeypatch, rate, work):
    clock = Clock(overshoot=0.0003)
    monkeypatch.setattr(sending, "time", clock)
    runner = types.SimpleNamespace(interval=1 / rate, due=clock.monotonic())
    messages = 10 * rate  # ten seconds of sending
    start = clock.now
    for _ in range(messages):
        clock.now += work  # composing and handing over one message
        sending.Runner.pace(runner)
    elapsed = clock.now - start
    assert messages / elapsed == pytest.approx(rate, rel=0.02)
    assert messages / elapsed <= rate * 1.005  # never faster than the relay was promised
    if rate == 1000:
        assert clock.sleeps < messages / 2  # slept every few messages, not after each


def test_a_late_run_catches_up_a_little_not_all_at_once(monkeypatch):
    clock = Clock(overshoot=0.0)
    monkeypatch.setattr(sending, "time", clock)
    runner = types.SimpleNamespace(interval=0.01, due=clock.monotonic())  # 100 messages/s
    clock.now += 5.0  # the server held one message five seconds
    sent_without_waiting = 0
    while clock.sleeps == 0:
        sending.Runner.pace(runner)
        sent_without_waiting += 1
    assert sent_without_waiting <= 1 + sending.PACE_CATCH_UP / 0.01  # not 500 messages in a burst
