"""Tests of storage/: the migrations match the models, the repository functions."""
