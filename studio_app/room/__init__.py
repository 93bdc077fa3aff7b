"""The live room: audience and sales numbers from the platform, their alerts and their review.

Qt-free and SQLAlchemy-free (import contracts in pyproject.toml). ``messages`` parses the
format of ``resources/room/FORMAT.md``; ``gate`` refuses duplicates, late messages and
counters going backwards; ``rules`` raises alerts (live and offline alike); ``csvimport``
maps a platform's minute-level CSV export; ``summary`` computes the review's figures;
``replay`` plays a recording back in real time.
"""
from studio_app.room.gate import Refusal, RoomGate
from studio_app.room.messages import LineError, RoomMessage, RoomMessageError, parse_message, parse_text

__all__ = ["LineError", "Refusal", "RoomGate", "RoomMessage", "RoomMessageError", "parse_message", "parse_text"]
