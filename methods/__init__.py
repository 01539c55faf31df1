"""The pure domain: intervisie methods as data, the phase engine, the timeline, scheduling rules.

Nothing here imports slack, sqlalchemy or apscheduler.
"""
