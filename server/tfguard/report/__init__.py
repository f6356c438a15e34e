"""Reports of a scan: text (like ruff), JSON and SARIF 2.1.0."""
