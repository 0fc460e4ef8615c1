"""PLACEHOLDER: CLI being written."""


def main(argv=None) -> int:
    return 0
