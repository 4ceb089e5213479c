"""Synthetic Romanian agricultural B2B history: tenants, clients and their events."""

from dagster_cerniq.synthetic.runner import GenerationSummary, generate

__all__ = ["GenerationSummary", "generate"]
