"""PLACEHOLDER: being written (LAYOUTS, generate_maze)."""
LAYOUTS: dict = {}


def generate_maze(rows, cols, *, seed=None, loops=0.0):
    raise NotImplementedError
