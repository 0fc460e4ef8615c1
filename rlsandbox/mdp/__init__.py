"""Finite MDPs and planning: value iteration, policy evaluation and policy iteration.

A :class:`TabularMDP` holds a finite MDP in *outcome-list* form, the tabular analogue of
Gymnasium's toy-text ``P[s][a] = [(prob, next_state, reward, terminated), ...]``: taking
action ``a`` in state ``s`` leads to outcome ``k`` with probability ``probs[s, a, k]``, landing
in ``next_states[s, a, k]`` with reward ``rewards[s, a, k]``; a ``terminated`` outcome ends
the episode, so it does not bootstrap::

    Q(s, a) = sum_k p[s,a,k] * (r[s,a,k] + gamma * (1 - terminated[s,a,k]) * V(next[s,a,k]))

**Stopping rule of value iteration.** As in Gymnasium's tutorials, value iteration stops
when a sweep changes no value by ``tol`` or more: ``||T V - V||_inf < tol`` (``T`` the
Bellman optimality operator; pymdptoolbox tests the span of the change against
``epsilon * (1 - gamma) / gamma`` instead). The returned values ``T V`` are then within
``gamma * tol / (1 - gamma)`` of the optimal values ``V*`` (the contraction bound: ``tol =
1e-8`` at ``gamma = 0.99`` guarantees ``1e-6``, and usually gives much better). To get
``V*`` within ``eps``, pass ``tol = eps * (1 - gamma) / gamma``. With ``gamma = 1`` there is
no such bound.

The planner is pure NumPy; :func:`value_iteration` explains its tricks (a compact model
without an outcome axis where the model is deterministic, a start below the answer, and
backups only where values still move) and reaches the same fixed point as plain
synchronous value iteration.
"""

from rlsandbox.mdp.model import TabularMDP
from rlsandbox.mdp.planning import PlanResult, greedy_policy, q_values, value_iteration
from rlsandbox.mdp.policy import policy_evaluation, policy_iteration

__all__ = ["PlanResult", "TabularMDP", "greedy_policy", "policy_evaluation", "policy_iteration",
           "q_values", "value_iteration"]
