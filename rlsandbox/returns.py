"""PLACEHOLDER: being written (return calculators)."""
