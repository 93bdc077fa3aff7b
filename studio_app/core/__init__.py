"""Pure application core: events, settings, paths and device state. No Qt, no SQLAlchemy."""
