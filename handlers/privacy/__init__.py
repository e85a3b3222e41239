"""Chat handlers for personal data: /mydata."""
