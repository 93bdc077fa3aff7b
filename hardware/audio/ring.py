"""A preallocated sample ring between the audio source and the mic worker.

One producer (PortAudio's callback in the capture child; in the console, the reader of
that child's pipe or the test-signal thread) and one consumer (the child's sender, or
the mic worker). The producer's :meth:`SampleRing.callback`
has PortAudio's callback signature and only copies and counts: no allocation, no
logging, no locks, so it never holds up the producer. Under the GIL the
consumer sees ``written`` advance only after the copy is done.
"""
from __future__ import annotations

import numpy as np


class SampleRing:
    """``capacity`` frames of float32 audio with ``channels`` columns."""

    def __init__(self, capacity: int, channels: int) -> None:
        self.capacity = int(capacity)
        self.channels = int(channels)
        self._buf = np.zeros((self.capacity, self.channels), dtype=np.float32)
        self.written = 0  # frames ever written (producer only)
        self.callbacks = 0  # callbacks received (producer only)
        self.overflows = 0  # PortAudio input overflows reported to the callback (producer only)
        self._read = 0  # frames consumed (consumer only)
        self.dropped = 0  # frames the consumer lost by falling more than a ring behind

    def callback(self, indata, frames, time_info, status) -> None:  # noqa: ANN001 - PortAudio's signature
        """PortAudio's stream callback: copy ``indata`` in, count overflows. Nothing else."""
        if status and status.input_overflow:
            self.overflows += 1
        pos = self.written % self.capacity
        end = pos + frames
        if end <= self.capacity:
            self._buf[pos:end] = indata
        else:
            split = self.capacity - pos
            self._buf[pos:] = indata[:split]
            self._buf[: end - self.capacity] = indata[split:]
        self.written += frames
        self.callbacks += 1

    def available(self) -> int:
        return self.written - self._read

    def read(self) -> np.ndarray:
        """Everything written since the last read, oldest first, as a new ``(frames, channels)`` array.

        If the consumer fell behind by more than half the ring, the oldest frames are
        skipped (counted in ``dropped``) so that what is returned cannot be overwritten
        while it is copied.
        """
        written = self.written
        avail = written - self._read
        limit = self.capacity // 2
        if avail > limit:
            self.dropped += avail - limit
            self._read = written - limit
            avail = limit
        if avail <= 0:
            return self._buf[:0].copy()
        pos = self._read % self.capacity
        end = pos + avail
        if end <= self.capacity:
            out = self._buf[pos:end].copy()
        else:
            out = np.concatenate((self._buf[pos:], self._buf[: end - self.capacity]))
        self._read = written
        return out


class CallbackStatus:
    """Stands in for PortAudio's CallbackFlags when something other than PortAudio's own
    callback feeds the ring (the capture child's reader, the test signal)."""

    __slots__ = ("input_overflow",)

    def __init__(self, input_overflow: bool) -> None:
        self.input_overflow = input_overflow

    def __bool__(self) -> bool:
        return self.input_overflow


NO_STATUS = CallbackStatus(False)
