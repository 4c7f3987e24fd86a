"""Engagement insights and the leaders' inbox: aggregates computed from posts and snapshots."""
