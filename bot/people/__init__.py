"""Who the bot serves: citizens and their subscriptions, officers and their roles, the audit log."""
