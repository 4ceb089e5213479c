"""Sentiment analysis of client messages (seed worker B12): Claude, or an offline analyzer."""
