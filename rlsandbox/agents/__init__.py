"""PLACEHOLDER: agents package being written."""
