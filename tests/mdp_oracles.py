"""Oracles for the TabularMDP tests: random models, exact linear solves and brute force."""

import itertools

import numpy as np

from rlsandbox.mdp import TabularMDP, q_values


def random_mdp(seed, n_states=4, n_actions=3, n_outcomes=2, gamma=0.9, p_end=0.2):
    """A random MDP with sparse outcomes, some of them terminating."""
    rng = np.random.default_rng(seed)
    shape = (n_states, n_actions, n_outcomes)
    probs = rng.random(shape) * (rng.random(shape) < 0.8)
    probs[..., 0] += 0.1  # every state-action has an outcome
    probs /= probs.sum(axis=2, keepdims=True)
    return TabularMDP(
        rng.integers(0, n_states, shape), probs, rng.normal(size=shape),
        rng.random(shape) < p_end, gamma,
    )


def dense_chain(mdp, pi):
    """Expected reward r_pi and discounted, termination-masked transition matrix of a policy."""
    n = mdp.n_states
    r = np.einsum("sa,sak,sak->s", pi, mdp.probs, mdp.rewards)
    M = np.zeros((n, n))
    w = mdp.gamma * pi[:, :, None] * mdp.probs * ~mdp.terminated
    np.add.at(M, (np.broadcast_to(np.arange(n)[:, None, None], w.shape), mdp.next_states), w)
    return r, M


def solve(mdp, pi):
    r, M = dense_chain(mdp, pi)
    return np.linalg.solve(np.eye(mdp.n_states) - M, r)


def one_hot(policy, n_actions):
    return np.eye(n_actions)[policy]


def brute_force_optimum(mdp):
    """Elementwise max of V^pi over every deterministic policy (the optimum attains it)."""
    best = np.full(mdp.n_states, -np.inf)
    for actions in itertools.product(range(mdp.n_actions), repeat=mdp.n_states):
        best = np.maximum(best, solve(mdp, one_hot(np.array(actions), mdp.n_actions)))
    return best


def bellman_residual(mdp, values):
    return float(np.abs(q_values(mdp, values).max(axis=1) - values).max())
