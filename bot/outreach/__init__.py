"""Outreach: the content library, broadcasts and their audiences, the archive, their figures."""
