"""PLACEHOLDER: being written (TabularMDP and planning)."""


class TabularMDP:
    pass


def value_iteration(mdp, *, tol=1e-8, max_iters=100_000):
    raise NotImplementedError
