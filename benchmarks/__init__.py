"""Performance measurements: scripts that print figures and ratios (never tests)."""
