"""Located errors for rundown files: every problem names the file, the line (or
spreadsheet row), the field, and what was expected."""
from __future__ import annotations


class RundownError(ValueError):
    """A rundown file cannot be used as it is.

    ``line`` is the 1-based line of a TOML/text file or the 1-based row of a spreadsheet
    (0 when unknown); ``field`` names the value (``segments[3].duration``, or a
    spreadsheet column such as ``时长/duration (D)``); ``column`` is 1-based or 0.
    ``str(err)`` is a one-line message suitable for the status bar and the CLI.
    """

    def __init__(self, file: str, line: int, field: str, message: str, column: int = 0) -> None:
        self.file = file
        self.line = int(line)
        self.field = field
        self.message = message
        self.column = int(column)
        super().__init__(str(self))

    def __str__(self) -> str:  # noqa: D401 - the one-line form
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.column:
            where += f":{self.column}"
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"

    def __reduce__(self):  # keep pickling/copying working with the custom __init__
        return (type(self), (self.file, self.line, self.field, self.message, self.column))

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "field": self.field, "message": self.message}
