"""The Zalo Official Account channel: OAuth tokens, signed webhook, Open API v3 sends."""
