"""The ``bankcode`` command line: argument parsing and printing over core."""
