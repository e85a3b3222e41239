"""Periodic reports and public figures: periods, figure sources, Word, CSV and charts."""
