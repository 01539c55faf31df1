"""Floor 6, the pure domain: intervisie methods as data, the phase engine, the timeline,
scheduling rules and the other rules the use cases decide by.

Imports nothing of the project above it, and no slack, sqlalchemy or apscheduler.
"""
