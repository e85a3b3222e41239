"""Chat handlers for reports: /report and /stats."""
