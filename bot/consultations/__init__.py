"""Consultations (dân bàn): polls, opinions on commune drafts, household decisions."""
