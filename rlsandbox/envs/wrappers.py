"""PLACEHOLDER: being written (DiscretizeObservation)."""
import gymnasium


class DiscretizeObservation(gymnasium.ObservationWrapper):
    pass
