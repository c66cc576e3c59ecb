"""One error hierarchy: every failure a user can meet, with a hint to get past it.

Each error has a short code (``C2xx``) so messages can be searched for, and a ``hint``
that says what to do. The CLI prints ``error[C201]: message (hint: ...)`` on one line
and never a traceback.
"""

from __future__ import annotations


class CleanerError(Exception):
    """Base of every error ``cleaner`` raises on purpose."""

    code = "C200"
    hint = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def one_line(self) -> str:
        """Return the error as the single line the CLI prints."""
        text = f"error[{self.code}]: {self}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return " ".join(text.split())


class InputError(CleanerError):
    """An input file cannot be read, decoded or written out; the batch goes on."""

    code = "C201"


class BinaryInputError(InputError):
    """An input looks like binary data, not text."""

    code = "C202"
    hint = "only text files are cleaned; remove the file from the batch or pass text"


class TooLargeError(InputError):
    """An input is larger than a document may be (``max_document_mb``)."""

    code = "C204"
    hint = "split it into documents, or raise max-document-mb in the configuration"


class WorkerLostError(InputError):
    """The process cleaning a document died (killed, out of memory) twice over."""

    code = "C205"
    hint = "the document was tried again alone and its worker died again; check its size and the memory available"


class EncodingError(InputError):
    """An input is not UTF-8 and its encoding cannot be told with confidence."""

    code = "C206"
    hint = "convert it to UTF-8 (e.g. iconv -f ENCODING -t UTF-8) and clean the converted file"


class FixedPointError(InputError):
    """Cleaning a document does not settle: a second run over the output would change it again."""

    code = "C207"
    hint = "please report it with the document; --ignore the rule that keeps changing it to clean it meanwhile"


class TimeLimitError(InputError):
    """Cleaning a document took longer than the time limit (``time_limit``)."""

    code = "C208"
    hint = "raise time-limit in the configuration (or --time-limit) if the document is just large"


class RecordError(InputError):
    """One record of a corpus file cannot be cleaned (not JSON, no text field); the file goes on."""

    code = "C209"


class OutputError(CleanerError):
    """An output cannot be written without losing or overwriting something."""

    code = "C203"


class ConfigError(CleanerError):
    """The configuration names an unknown key or an invalid value."""

    code = "C210"


class RulePackError(CleanerError):
    """A rule pack is malformed; the message names the file, rule and field."""

    code = "C220"
    hint = "see rules/README.md for the rule file format"


class ReplayError(CleanerError):
    """An edit log does not reproduce the text it claims to describe."""

    code = "C230"
    hint = "the log belongs to another version of the input; clean the file again"


class EngineUnavailable(CleanerError):
    """A grammar engine cannot be started without downloading or reaching a server."""

    code = "C240"


class Interrupted(CleanerError):
    """SIGINT or SIGTERM stopped a run; the message says what was already written."""

    code = "C290"

    def __init__(self, message: str, *, exit_status: int) -> None:
        super().__init__(message)
        #: 128 + the signal's number, as a shell reports a process the signal ended.
        self.exit_status = exit_status
