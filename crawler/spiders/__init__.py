"""Spiders: one generic news spider driven by the source config."""
