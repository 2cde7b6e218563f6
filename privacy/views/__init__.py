"""The privacy pages: screens and exceptions (screens.py), aggregation (aggregation.py)."""
