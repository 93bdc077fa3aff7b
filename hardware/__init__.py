"""Device workers and signal/image analysis. No Qt, no database: usable from the command line."""
