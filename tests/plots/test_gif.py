"""GIFs: exactly the frames given, at the playing time asked for."""

import numpy as np
import pytest
from PIL import Image

from rlsandbox.plots import save_gif


def solid_frames(colours, shape=(12, 16)):
    return [np.full((*shape, 3), colour, dtype=np.uint8) for colour in colours]


def gif_frames(path):
    """``(rgb frames, durations in ms)`` of a GIF, as Pillow reads it."""
    frames, durations = [], []
    with Image.open(path) as gif:
        for i in range(gif.n_frames):
            gif.seek(i)
            durations.append(gif.info["duration"])
            frames.append(np.asarray(gif.convert("RGB")))
    return frames, durations


def test_gif_holds_exactly_the_frames_given(tmp_path):
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0)]
    save_gif(solid_frames(colours), tmp_path / "a.gif", fps=20)
    frames, durations = gif_frames(tmp_path / "a.gif")
    assert durations == [50] * len(colours)
    assert len(frames) == len(colours)
    for frame, colour in zip(frames, colours, strict=True):
        assert frame.shape == (12, 16, 3)
        assert (frame == colour).all()
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.info["loop"] == 0  # loops forever


def test_gif_keeps_a_rendered_frame_pixel_for_pixel(tmp_path):
    rng = np.random.default_rng(0)
    palette = rng.integers(0, 256, (6, 3), dtype=np.uint8)  # few colours: no quantisation loss
    frames = [palette[rng.integers(0, 6, (20, 30))] for _ in range(3)]
    save_gif(frames, tmp_path / "r.gif", fps=10)
    read, _ = gif_frames(tmp_path / "r.gif")
    for got, want in zip(read, frames, strict=True):
        np.testing.assert_array_equal(got, want)


def test_gif_keeps_the_playing_time_when_identical_frames_merge(tmp_path):
    save_gif(solid_frames([(0, 0, 0), (0, 0, 0), (255, 255, 255)]), tmp_path / "b.gif", fps=10)
    frames, durations = gif_frames(tmp_path / "b.gif")
    assert durations == [200, 100]
    assert [int(f[0, 0, 0]) for f in frames] == [0, 255]


def test_gif_keeps_the_playing_time_when_delays_round_to_hundredths(tmp_path):
    colours = [(i * 8, 0, 0) for i in range(30)]
    save_gif(solid_frames(colours), tmp_path / "c.gif", fps=30)
    frames, durations = gif_frames(tmp_path / "c.gif")
    assert len(frames) == 30 and sum(durations) == 1000  # 30 frames at 30 fps: 1 s
    assert set(durations) == {30, 40}


@pytest.mark.parametrize(
    ("frames", "fps", "match"),
    [
        ([], 10, "at least one frame"),
        (solid_frames([(0, 0, 0)]) + solid_frames([(0, 0, 0)], shape=(5, 5)), 10, "frame 1"),
        ([np.zeros((4, 4))], 10, "frame 0"),
        ([np.full((4, 4, 3), 0.5)], 10, "uint8"),
        ([np.full((4, 4, 3), 300)], 10, "uint8"),
        (solid_frames([(0, 0, 0)]), 0, "fps"),
        (solid_frames([(0, 0, 0)]), 250, r"frames\[::k\]"),
    ],
)
def test_gif_rejects_bad_frames_and_fps(tmp_path, frames, fps, match):
    with pytest.raises(ValueError, match=match):
        save_gif(frames, tmp_path / "bad.gif", fps=fps)
    assert not (tmp_path / "bad.gif").exists()


def test_captions_are_written_under_each_frame(tmp_path):
    colours = [(255, 0, 0), (0, 0, 255)]
    save_gif(solid_frames(colours, shape=(40, 200)), tmp_path / "cap.gif", fps=10,
             captions=["step 0   return 0", "step 1   return 1"])
    frames, _ = gif_frames(tmp_path / "cap.gif")
    assert len(frames) == 2
    for frame, colour in zip(frames, colours, strict=True):
        assert frame.shape[0] > 40 and frame.shape[1] == 200  # a strip below, same width
        assert (frame[:40] == colour).all()  # the frame itself is untouched
        strip = frame[41:].astype(int)
        assert (strip.sum(axis=2) < 200).any()  # dark text on the light strip
    assert (frames[0][40:] != frames[1][40:]).any()  # "0" and "1" differ


def test_one_caption_per_frame_is_required(tmp_path):
    with pytest.raises(ValueError, match="2 captions for 3 frames"):
        save_gif(solid_frames([(0, 0, 0)] * 3), tmp_path / "x.gif", captions=["a", "b"])
    assert not (tmp_path / "x.gif").exists()
