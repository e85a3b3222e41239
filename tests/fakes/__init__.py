"""Fakes of outside platforms that the tests run the real bot against."""
