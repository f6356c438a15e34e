"""Google Cloud rules (the google provider): one rule per file, named by its id."""
