"""Tests of :mod:`rlsandbox.plots`, one module per concept."""
