"""The live room: audience and sales numbers from the platform, their alerts and their review.

Qt-free and SQLAlchemy-free (import contracts in pyproject.toml). ``messages`` parses the
format of ``resources/room/FORMAT.md``; ``gate`` refuses duplicates, late messages and
counters going backwards; ``ingest`` is the one door (parse, gate, count, log, hand on);
``rules`` raises alerts (live and offline alike); ``live`` runs them as data arrives and syncs
platform stock into the cards; ``board`` is what the 数据大屏 dock shows; ``csvimport`` maps a
platform's minute-level CSV export; ``summary`` computes the review's figures; ``replay`` plays
a recording back in real time; ``sample`` makes the seeded sample recording.
"""
from studio_app.room.gate import Refusal, RoomGate
from studio_app.room.messages import LineError, RoomMessage, RoomMessageError, parse_message, parse_text

__all__ = ["LineError", "Refusal", "RoomGate", "RoomMessage", "RoomMessageError", "parse_message", "parse_text"]
