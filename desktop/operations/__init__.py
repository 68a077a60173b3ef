"""Small functions that each wrap one core call in a background ``Job``.

A menu action or a dialog calls one of these; the function opens whatever the
worker thread needs (its own directory connection), starts the job and returns it.
"""
