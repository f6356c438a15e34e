"""Azure rules (the azurerm provider): one rule per file, named by its id."""
