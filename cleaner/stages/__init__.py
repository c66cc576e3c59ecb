"""One module per pipeline stage; :mod:`cleaner.pipeline` holds their order."""
