"""Floor 5, persistence: typed SQLAlchemy models (`models/`, by what the tables belong to),
repository functions that take the session first and never commit, and Alembic migrations.

May import `methods` only.
"""
