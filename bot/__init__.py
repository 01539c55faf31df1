"""Wiring: settings, the app factory, the entry point and the scheduler."""
