"""The reports' views, one module per audience."""
