"""Messages in and out, whatever the channel: recipients, outgoing messages, the outbox and its sender."""
