"""The command line, `python -m bot`: one module per command group."""
