"""Deterministic checks over claims. A check never calls a model."""
