"""Key maps for playing the envs by keyboard, in Gymnasium's ``play`` convention.

``gymnasium.utils.play.play(env)`` calls ``env.get_keys_to_action()`` when it is given no
key map: a dict from tuples of pygame key codes (the keys held together) to actions. The
rlsandbox envs return one of the maps below (the maze and the TabularEnv grids
``grid_keys``, grids with king's moves ``king_keys``, CartPole ``left_right_keys``), so the
same keys work in Gymnasium's ``play`` and in :class:`rlsandbox.agents.KeyboardAgent`.
"""

from __future__ import annotations

__all__ = ["grid_keys", "king_keys", "left_right_keys"]


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


def king_keys() -> dict[tuple[int, ...], int]:
    """:func:`grid_keys` and the diagonals of king's moves, ``4`` up-right .. ``7`` up-left.

    One key per move, never two held together (a person rarely presses two keys at the same
    instant, so a pair would first take the move of the key that went down first): E
    up-right, C down-right, Z down-left, Q up-left, the keys around W/A/S/D; and the
    numeric keypad, each key the direction it sits in from 5 (8 up, 9 up-right, ...).

    Examples
    --------
    >>> import pygame
    >>> keys = king_keys()
    >>> keys[(ord("e"),)], keys[(ord("c"),)], keys[(ord("z"),)], keys[(ord("q"),)]
    (4, 5, 6, 7)
    >>> keys[(pygame.K_KP9,)], keys[(pygame.K_KP2,)]
    (4, 2)
    """
    import pygame

    return {
        **grid_keys(),
        (pygame.K_e,): 4, (pygame.K_c,): 5, (pygame.K_z,): 6, (pygame.K_q,): 7,
        (pygame.K_KP8,): 0, (pygame.K_KP6,): 1, (pygame.K_KP2,): 2, (pygame.K_KP4,): 3,
        (pygame.K_KP9,): 4, (pygame.K_KP3,): 5, (pygame.K_KP1,): 6, (pygame.K_KP7,): 7,
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
