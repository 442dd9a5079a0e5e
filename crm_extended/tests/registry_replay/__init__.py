"""Replay server answering like the public registries, for tests on 127.0.0.1."""

from .server import SCENARIOS, ReplayServer
