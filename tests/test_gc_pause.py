"""Plain pytest: the batch's pause of the cyclic garbage collector."""

import gc

import pytest
from addon_modules import load_module

gc_pause = load_module("services/gc_pause.py")


@pytest.fixture
def collector_enabled():
    yield
    gc.enable()


def test_the_collector_is_paused_in_the_block_and_back_after(collector_enabled):
    gc.enable()
    with gc_pause.cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_back_after_an_error(collector_enabled):
    gc.enable()
    with pytest.raises(ZeroDivisionError), gc_pause.cyclic_gc_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_someone_else_paused_stays_paused(collector_enabled):
    gc.disable()
    with gc_pause.cyclic_gc_paused():
        with gc_pause.cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert not gc.isenabled()
