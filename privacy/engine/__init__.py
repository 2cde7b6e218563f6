"""Privacy screening, k-anonymity and small-cell suppression for sources before publication."""
