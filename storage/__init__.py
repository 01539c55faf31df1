"""Persistence: typed SQLAlchemy models, repositories and Alembic migrations."""
