"""A Ctrl-C during the engine's run ends the run as interrupted even when the engine takes it in a place where it
neither stops nor says so (a `KeyboardInterrupt` caught between two of its events): the interrupt is noted as it
arrives, and the run raises it again once the engine's stream ends."""

from __future__ import annotations

import os
import signal

import pytest

from contractkit.fuzz.runner import _interrupts_noted


def _swallowed_interrupt() -> None:
    try:
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):  # the handler runs between bytecodes of the main thread
            pass
    except KeyboardInterrupt:
        pass  # as the engine's hard stop does


def test_an_interrupt_the_engine_swallows_is_still_noted() -> None:
    before = signal.getsignal(signal.SIGINT)
    with _interrupts_noted() as noted:
        _swallowed_interrupt()
    assert noted == [True]
    assert signal.getsignal(signal.SIGINT) is before  # the previous handler is back


def test_the_interrupt_still_raises_where_it_lands() -> None:
    with pytest.raises(KeyboardInterrupt), _interrupts_noted() as noted:
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):  # the handler runs between bytecodes of the main thread
            pass
    assert noted == [True]


def test_a_run_without_an_interrupt_notes_nothing() -> None:
    with _interrupts_noted() as noted:
        pass
    assert noted == []
