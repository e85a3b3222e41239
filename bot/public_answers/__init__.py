"""Answers to feedback and petitions that officers made public, anonymised, by topic."""
