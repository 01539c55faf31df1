"""Unit tests of the use cases' own helpers (the batching of calls to Slack); the use cases
themselves are told as stories over HTTP in tests/test_*.py."""
