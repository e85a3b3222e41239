"""Chat handlers for outreach: /post, /news and /models, /scheduled and /broadcasts."""
