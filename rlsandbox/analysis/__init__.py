"""PLACEHOLDER: analysis package being written."""
