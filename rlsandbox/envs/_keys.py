"""Key maps for playing the envs by keyboard, in Gymnasium's ``play`` convention.

``gymnasium.utils.play.play(env)`` calls ``env.get_keys_to_action()`` when it is given no
key map: a dict from tuples of pygame key codes (the keys held together) to actions. Both
rlsandbox envs return one of the maps below, so the same keys work in Gymnasium's ``play``
and in :class:`rlsandbox.agents.KeyboardAgent`.
"""

from __future__ import annotations

__all__ = ["grid_keys", "left_right_keys"]


def grid_keys() -> dict[tuple[int, ...], int]:
    """Arrow keys and W/A/S/D -> ``0`` up, ``1`` right, ``2`` down, ``3`` left.

    Examples
    --------
    >>> import pygame
    >>> grid_keys()[(pygame.K_UP,)], grid_keys()[(ord("d"),)]
    (0, 1)
    """
    import pygame  # the key codes; imported only when someone plays

    return {
        (pygame.K_UP,): 0, (pygame.K_w,): 0,
        (pygame.K_RIGHT,): 1, (pygame.K_d,): 1,
        (pygame.K_DOWN,): 2, (pygame.K_s,): 2,
        (pygame.K_LEFT,): 3, (pygame.K_a,): 3,
    }


def left_right_keys() -> dict[tuple[int, ...], int]:
    """Left arrow (or A) -> ``0`` push left, right arrow (or D) -> ``1`` push right.

    Examples
    --------
    >>> import pygame
    >>> left_right_keys()[(pygame.K_LEFT,)], left_right_keys()[(pygame.K_RIGHT,)]
    (0, 1)
    """
    import pygame

    return {(pygame.K_LEFT,): 0, (pygame.K_a,): 0, (pygame.K_RIGHT,): 1, (pygame.K_d,): 1}
