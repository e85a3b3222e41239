"""Chat handlers for the FAQ: free questions answered, officers' tools."""
