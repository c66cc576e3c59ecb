"""Command line: parse, call the library, render, return an exit status. No logic here.

Exit status, for CI: 0 nothing left to report, 1 findings (or unapplied fixes) at or
above ``--fail-on``, 2 usage or input errors. Errors are one line on stderr.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from enum import IntEnum
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from cleaner import __version__
from cleaner.api import CleanResult, clean_bytes, registry_for
from cleaner.batch import BatchResult, clean_files
from cleaner.config import Config, resolve
from cleaner.document import line_index
from cleaner.edits import to_input_offset
from cleaner.emit import diff as diff_views
from cleaner.emit.formats import FORMATS
from cleaner.emit.report import FileError, visible
from cleaner.errors import CleanerError, EngineUnavailable, Interrupted
from cleaner.folders import using_cache_folder
from cleaner.model import Severity
from cleaner.rulepacks import matches_prefix
from cleaner.services import Services
from cleaner.stages import readability


class ExitStatus(IntEnum):
    """The three outcomes CI distinguishes."""

    OK = 0
    FINDINGS = 1
    ERROR = 2


F = TypeVar("F", bound=Callable[..., Any])


def _reports_errors(command: F) -> F:
    """Turn a :class:`CleanerError` raised by a command into one line and exit 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except Interrupted as exc:  # before CleanerError: it says what was written, and exits 128 + signal
            click.echo(exc.one_line(), err=True)
            sys.exit(exc.exit_status)
        except CleanerError as exc:
            click.echo(exc.one_line(), err=True)
            sys.exit(ExitStatus.ERROR)
        except click.ClickException:
            raise  # usage errors: click prints them with the usage line and exits 2
        except BrokenPipeError:
            # The reader went away (``cleaner check ... | head``): stop quietly, as Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(ExitStatus.FINDINGS)
        except KeyboardInterrupt:
            click.echo("error[C290]: interrupted; no partial output was written", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug: still one line, with what to report
            click.echo(f"error[C299]: internal error: {type(exc).__name__}: {exc} (please report this with the input that caused it)", err=True)
            sys.exit(ExitStatus.ERROR)

    return wrapper  # type: ignore[return-value]


def _config_options(command: F) -> F:
    """Add the options every pipeline-running command shares."""
    options = [
        click.option("--typography", type=click.Choice(["keep", "straight"]), help="Quote and dash policy (default: keep the author's)."),
        click.option("--grammar", type=click.Choice(["auto", "languagetool", "harper", "off"]), help="Grammar engine (default: auto)."),
        click.option("--languagetool-url", help="A LanguageTool HTTP server, e.g. http://localhost:8081."),
        click.option("--language", type=click.Choice(["en-GB", "en-US", "en-AU", "en-CA"]), help="English variant for both grammar engines (default: en-GB)."),
        click.option("--words", multiple=True, type=click.Path(exists=True, dir_okay=False), help="A word list (one word a line) both grammar engines accept (repeatable)."),
        click.option("--select", multiple=True, help="Run only rules with this id prefix (repeatable)."),
        click.option("--ignore", multiple=True, help="Skip rules with this id prefix (repeatable)."),
        click.option("--unsafe-fixes", is_flag=True, default=None, help="Also apply fixes marked unsafe."),
        click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), help="Extra rule-pack folder (repeatable)."),
        click.option("--fail-on", type=click.Choice(["info", "warning", "error"]), help="Lowest severity that makes the exit status 1 (check and clean)."),
        click.option("--time-limit", type=float, metavar="SECONDS", help="Seconds one document may take; a slower one is an error line and the batch goes on (default: 60)."),
        click.option("--exclude", multiple=True, metavar="GLOB", help="Skip files and folders matching this glob in folders walked, instead of the configuration's (repeatable; quote it)."),
        click.option("--extend-exclude", multiple=True, metavar="GLOB", help="Skip files and folders matching this glob too (repeatable; quote it)."),
        click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Read this cleaner.toml or pyproject.toml instead of searching upwards."),
        click.option("--isolated", is_flag=True, help="Read no configuration file: defaults and flags only."),
        click.option("--text-field", metavar="FIELD", help="JSON Lines and Parquet: the field (column) holding each record's text (default: text)."),
        click.option("--id-field", metavar="FIELD", help="JSON Lines and Parquet: the field naming each record in reports (default: id, else its number)."),
        click.option("--html-output", type=click.Choice(["text", "markdown"]), help="HTML pages: write the article as <name>.txt or <name>.md (default: text)."),
        click.option("--repeated-blocks", type=click.Choice(["off", "report", "remove"]), help="Blocks repeated across the batch's documents (a site's footer): report them (default), remove them, or do not count."),
        click.option(
            "--spin-dictionary",
            "spin_dictionaries",
            multiple=True,
            type=click.Path(exists=True, dir_okay=False),
            help="A spinner's synonym-group file (a|b|c per line) to undo (repeatable).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _resolve(flags: dict[str, Any]) -> tuple[Config, dict[str, str]]:
    """Combine the configuration file (or ``--config``, or none with ``--isolated``) with the flags."""
    flags["rules"] = flags.pop("rule_dirs", ())
    config_file, isolated = flags.pop("config_file", None), flags.pop("isolated", False)
    if config_file is not None and isolated:
        raise click.UsageError("--config and --isolated contradict each other; give one")
    return resolve(flags, config_file=config_file, isolated=isolated)


def _config(**flags: Any) -> Config:
    """Combine the configuration file with command-line flags (flags win)."""
    return _resolve(flags)[0]


def _refuse_fail_on(flags: dict[str, Any], command: str) -> None:
    """``--fail-on`` changes only check's and clean's exit status; elsewhere it is a mistake."""
    if flags.get("fail_on") is not None:
        raise click.UsageError(f"--fail-on does nothing for '{command}' (it sets the exit status of 'check' and 'clean')")


def _output_options(command: F) -> F:
    """Add the options that choose how much is printed, and in colour or not."""
    options = [
        click.option("-q", "--quiet", is_flag=True, help="Print only what was asked for: no progress, no summary."),
        click.option("--color", "colour", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour the output (auto: on a terminal)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


#: ``--color`` as ``click.echo`` takes it: ``None`` keeps colour on a terminal only.
_COLOUR = {"auto": None, "always": True, "never": False}


def _stdin(stdin_filename: str | None, config: Config) -> CleanResult:
    """Clean standard input as if it were ``stdin_filename`` (its name in messages, its per-path rules)."""
    name = stdin_filename or "<stdin>"
    return clean_bytes(sys.stdin.buffer.read(), name, config.for_path(name) if stdin_filename else config)


def _stdin_paths(paths: Sequence[str], stdin_filename: str | None) -> bool:
    """Tell whether the command reads standard input (``-``), refusing ``-`` mixed with paths."""
    if "-" not in paths:
        if stdin_filename is not None:
            raise click.UsageError("--stdin-filename names standard input: give '-' as the path")
        return False
    if len(paths) > 1:
        raise click.UsageError("'-' (standard input) cannot be combined with other paths")
    return True


_STDIN_FILENAME = click.option("--stdin-filename", metavar="PATH", help="With '-': the name standard input stands for (messages, per-path rules, Markdown or not).")


def _batch_options(command: F) -> F:
    """Add the options that choose how a batch runs (not what it produces)."""
    options = [
        click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: the number of cores)."),
        click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="Where documents are cleaned."),
        click.option("--scheduler", metavar="ADDRESS", default="", help="Dask scheduler address for --executor dask (e.g. tcp://10.0.0.5:8786)."),
        click.option("--no-cache", is_flag=True, help="Clean every document again instead of reusing cached results."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="The cache folder: results, count tables, rule-pack parses (default: the user's cache folder, or CLEANER_CACHE_DIR)."),
        click.option("--follow-links", is_flag=True, help="Also read symbolic links that lead outside the inputs given."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _run_batch(paths: Sequence[str], config: Config, output: Path | None, run: dict[str, Any], *, write: bool, in_place: bool = False, keep: bool = True, **writing: Any) -> BatchResult:
    """Run a batch as ``run`` (the batch options) says, with a progress bar on a terminal."""
    from cleaner.cache import ResultCache
    from cleaner.executors import make_executor

    targets = [Path(p) for p in paths]
    executor = make_executor(run["executor"], run["jobs"], run["scheduler"])
    cache = None if run["no_cache"] else ResultCache(run["cache_dir"])
    options: dict[str, Any] = {"write": write, "in_place": in_place, "executor": executor, "cache": cache, "keep_results": keep, "follow_links": run["follow_links"], **writing}
    try:
        with using_cache_folder(run["cache_dir"]):
            if run["quiet"] or not sys.stderr.isatty():
                batch = clean_files(targets, output, config, **options)
            else:
                with _Progress() as progress:
                    batch = clean_files(targets, output, config, progress=progress, **options)
    finally:
        executor.close()
    for notice in batch.notices:
        click.echo(visible(notice), err=True)
    return batch


class _Progress:
    """A progress bar on stderr with the real total, the rate and the time left (terminals only).

    The batch says how many documents it found (:meth:`start`); a batch of one shows no bar.
    """

    def __init__(self) -> None:
        import time

        self._clock = time.monotonic
        self._started = self._clock()
        self._name = ""
        self._total = 0
        self._bar: Any = None

    def start(self, total: int) -> None:
        """Open the bar for ``total`` documents (none for fewer than two)."""
        self._total = total
        if total >= 2:
            self._bar = click.progressbar(length=total, label="cleaning", file=sys.stderr, show_pos=True, show_eta=False, item_show_func=self._describe)
            self._bar.__enter__()

    def _describe(self, _: object) -> str:
        """Rate and time left from the average so far (click's own ETA waits for a second of steps)."""
        done = self._bar.pos or 0
        elapsed = self._clock() - self._started
        if not done or elapsed <= 0:
            return self._name
        rate = done / elapsed
        left = round((self._total - done) / rate)
        return f"{rate:.1f} docs/s  eta {left // 3600:d}:{left // 60 % 60:02d}:{left % 60:02d}  {self._name}"

    def advance(self, path: Path) -> None:
        """Count one more document done."""
        self._name = path.name
        if self._bar is not None:
            self._bar.update(1, path)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


def _pop_batch_options(flags: dict[str, Any], *, quiet: bool = False) -> dict[str, Any]:
    """Take the batch options out of a command's flags (``quiet`` also hides the progress bar)."""
    return {k: flags.pop(k) for k in ("jobs", "executor", "scheduler", "no_cache", "cache_dir", "follow_links")} | {"quiet": quiet}


def _report_errors(errors: Sequence[FileError]) -> None:
    """Print each file error on its own line."""
    for error in errors:
        click.echo(visible(error.message), err=True)


def _status(batch: BatchResult, problems: int) -> ExitStatus:
    """Exit 2 for input errors, else 1 when problems remain, else 0."""
    if batch.errors:
        return ExitStatus.ERROR
    return ExitStatus.FINDINGS if problems else ExitStatus.OK


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Repair, normalise and de-spin text documents, explaining every change."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), help="Folder for cleaned copies and reports.")
@click.option("--in-place", is_flag=True, help="Overwrite the inputs with their cleaned text.")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path), help="Folder for report.json and REPORT.md (default: the output folder; in place: a new folder in the user's state folder).")
@click.option("--allow-read-only", is_flag=True, help="With --in-place: also rewrite read-only files.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are left (input errors still exit 2).")
@_STDIN_FILENAME
@_config_options
@_batch_options
@_output_options
@_reports_errors
def clean(paths: tuple[str, ...], output_dir: Path | None, in_place: bool, report_dir: Path | None, allow_read_only: bool, exit_zero: bool, stdin_filename: str | None, quiet: bool, colour: str, **flags: Any) -> None:
    """Clean files and folders (*.txt, *.md, JSON Lines, Parquet, HTML) into OUTPUT, or '-' from stdin to stdout."""
    if in_place and output_dir is not None:
        raise click.UsageError("--in-place rewrites the inputs and -o writes copies elsewhere: give one of them")
    reads_stdin = _stdin_paths(paths, stdin_filename)
    if reads_stdin and (output_dir is not None or in_place):
        raise click.UsageError("'clean -' writes the cleaned text to stdout: drop -o/--in-place (or redirect stdout to a file)")
    if not reads_stdin and not in_place and output_dir is None:
        raise click.UsageError("give an output folder with -o DIR, or --in-place")
    run = _pop_batch_options(flags, quiet=quiet)
    config = _config(**flags)
    fail_on = Severity[config.fail_on.upper()]
    if reads_stdin:
        from cleaner.checks import remaining_problems

        result = _stdin(stdin_filename, config)
        sys.stdout.write(result.output)
        sys.exit(ExitStatus.FINDINGS if remaining_problems(result, fail_on) and not exit_zero else ExitStatus.OK)
    batch = _run_batch(paths, config, output_dir, run, write=True, in_place=in_place, keep=False, report_dir=report_dir, allow_read_only=allow_read_only)
    _report_errors(batch.errors)
    if not quiet:
        cached = f", {batch.cache_hits} from cache" if batch.cache_hits else ""
        click.echo(f"cleaned {batch.documents} document(s){cached}, {batch.changed} changed, {batch.problems} problem(s) left, {len(batch.errors)} input error(s)", err=True)
    sys.exit(_status(batch, 0 if exit_zero else batch.problems))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@click.option("--word", is_flag=True, help="Word-level diff, coloured in a terminal.")
@click.option("--stat", is_flag=True, help="One line per file: lines changed, like 'git diff --stat'.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="Write a side-by-side HTML view of one document to this file.")
@_STDIN_FILENAME
@_config_options
@_batch_options
@_output_options
@_reports_errors
def diff(paths: tuple[str, ...], word: bool, stat: bool, html_path: Path | None, stdin_filename: str | None, quiet: bool, colour: str, **flags: Any) -> None:
    """Show the change cleaning would make, as a unified diff (exit 1 if anything would change)."""
    _refuse_fail_on(flags, "diff")
    run = _pop_batch_options(flags, quiet=quiet)
    config = _config(**flags)
    reads_stdin = _stdin_paths(paths, stdin_filename)
    if html_path is not None:
        from cleaner.emit.html import report_html
        from cleaner.fileio import write_atomically

        if len(paths) != 1 or Path(paths[0]).is_dir():
            raise click.UsageError("--html takes exactly one document")
        result = _stdin(stdin_filename, config) if reads_stdin else _clean_one(paths[0], config)
        write_atomically(html_path, report_html([result], config, title=f"cleaner diff: {result.source}"))
        sys.exit(ExitStatus.FINDINGS if result.changed else ExitStatus.OK)
    batch = BatchResult(results=[(_stdin(stdin_filename, config), None)]) if reads_stdin else _run_batch(paths, config, None, run, write=False)
    if stat:
        click.echo(diff_views.stat([(r.source, r.input_text, r.output) for r, _ in batch.results]), nl=False)
    for result, _ in [] if stat else batch.results:
        shown = diff_views.word_diff(result.input_text, result.output) if word else diff_views.unified(result.input_text, result.output, result.source)
        click.echo(shown, nl=False, color=_COLOUR[colour])
    _report_errors(batch.errors)
    sys.exit(_status(batch, sum(1 for r, _ in batch.results if r.changed)))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "output_path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The HTML file to write.")
@_config_options
@_batch_options
@_output_options
@_reports_errors
def report(paths: tuple[str, ...], output_path: Path, quiet: bool, colour: str, **flags: Any) -> None:
    """Write one self-contained HTML page reviewing what cleaning does to each document."""
    from cleaner.emit.html import report_html
    from cleaner.fileio import write_atomically

    _refuse_fail_on(flags, "report")
    run = _pop_batch_options(flags, quiet=quiet)
    config = _config(**flags)
    batch = _run_batch(paths, config, None, run, write=False)
    write_atomically(output_path, report_html([r for r, _ in batch.results], config))
    _report_errors(batch.errors)
    if not quiet:
        click.echo(f"wrote {output_path} ({len(batch.results)} document(s))", err=True)
    sys.exit(ExitStatus.ERROR if batch.errors else ExitStatus.OK)


def _clean_one(path: str, config: Config) -> CleanResult:
    """Clean one file without writing anything."""
    from cleaner.sources import is_record_file

    if is_record_file(Path(path)):
        return _clean_one_record(Path(path), config)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CleanerError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return clean_bytes(data, path, config.for_path(path))


def _clean_one_record(path: Path, config: Config) -> CleanResult:
    """Clean the one document of an HTML page; refuse a corpus file of many records."""
    from cleaner.sources import Record, clean_record, format_of
    from cleaner.sources.stream import options_of

    records = format_of(path).read(path, options_of(config))
    first = next(records, None)
    if not isinstance(first, Record) or next(records, None) is not None:
        raise click.UsageError(f"{path} holds records, not one document: 'cleaner check' and 'cleaner diff' show each record")
    return clean_record(first, config.for_path(path.as_posix()))


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--rule", "rule_prefix", help="Only edits of rules with this id prefix.")
@_config_options
@_reports_errors
def explain(path: str, rule_prefix: str | None, **flags: Any) -> None:
    """List every edit cleaning makes to PATH at its line:column in the file, then why, once per rule."""
    _refuse_fail_on(flags, "explain")
    config = _config(**flags)
    result = _clean_one(path, config)
    registry = registry_for(config)
    lines = line_index(result.input_text)
    rows: list[tuple[int, str, str]] = []  # (offset in the file, rule, line of output)
    for index, stage_pass in enumerate(result.log.passes):
        for fix in stage_pass.applied:
            for edit in fix.edits if not rule_prefix or matches_prefix(fix.rule_id, rule_prefix) else ():
                offset = to_input_offset(result.log, index, edit.start)
                line, column = lines.line_col(offset)
                rows.append((offset, fix.rule_id, f"{path}:{line}:{column}: [{stage_pass.stage}] {fix.rule_id} ({fix.applicability.label}) {edit.before!r} → {edit.after!r}"))
        for skipped in stage_pass.skipped:
            if rule_prefix and not matches_prefix(skipped.fix.rule_id, rule_prefix):
                continue
            offset = to_input_offset(result.log, index, skipped.fix.start)
            line, column = lines.line_col(offset)
            rows.append((offset, skipped.fix.rule_id, f"{path}:{line}:{column}: [{stage_pass.stage}] {skipped.fix.rule_id} not applied ({skipped.reason.value}): {skipped.fix.message}"))
    rows.sort(key=lambda row: row[0])
    for _, _, text in rows:
        click.echo(text)
    reasons: dict[str, str] = {}
    for _, fix in result.log.applied:
        rule = registry.get(fix.rule_id)
        reasons.setdefault(fix.rule_id, rule.why if rule and rule.why else fix.message)
    shown = {rule for _, rule, _ in rows}
    if shown & set(reasons):
        click.echo("\nwhy:")
    for rule_id, why in reasons.items():
        if rule_id in shown:
            click.echo(f"  {rule_id}: {' '.join(why.split())}")
    edits = sum(1 for row in rows if " not applied (" not in row[2])
    from cleaner.sources import is_record_file

    where = f"the visible text of the page {path} (one block of it per paragraph)" if is_record_file(Path(path)) else f"{path} as it is on disk"
    click.echo(f"{edits} edit(s) by {len(shown & set(reasons))} rule(s); positions are in {where}.", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_reports_errors
def score(paths: tuple[str, ...], output_format: str) -> None:
    """Readability metrics (textstat) of each file."""
    from cleaner.discovery import collect_inputs
    from cleaner.stages.ingest import decode

    found = collect_inputs([Path(p) for p in paths])
    inputs, errors = found.files, found.errors
    rows: list[dict[str, object]] = []
    for path in inputs:
        try:
            text = decode(path.read_bytes(), path.as_posix()).text
        except CleanerError as exc:
            errors.append(FileError(path.as_posix(), exc.one_line()))
            continue
        except OSError as exc:
            errors.append(FileError(path.as_posix(), f"error[C201]: {path}: cannot read: {exc.strerror}"))
            continue
        rows.append({"path": path.as_posix(), **readability.score(text)})
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2, sort_keys=True))
    else:
        names = [name for name, _ in readability.METRICS]
        header = ["path", *names]
        click.echo("\t".join(header))
        for row in rows:
            click.echo("\t".join(str(row[h]) for h in header))
    _report_errors(errors)
    sys.exit(ExitStatus.ERROR if errors else ExitStatus.OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True, help="text for people; json (cleaner.check/1), github, sarif, checkstyle or rdjson for tools.")
@click.option("--changed-since", metavar="GIT_REF", help="Only files added or changed since this git ref (what a pull request adds).")
@click.option("--changed-lines-only", is_flag=True, help="With --changed-since: only problems on lines the change added or modified.")
@click.option("--against", "committed", type=click.Path(file_okay=False, path_type=Path), help="Also report inputs whose cleaned copy in this folder is missing or stale.")
@click.option("--only", "only_rules", multiple=True, metavar="RULE_PREFIX", help="Report only problems of these rules (repeatable); the cleaning itself is unchanged.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are found (input errors still exit 2).")
@click.option("--statistics", is_flag=True, help="Instead of each problem, count them per rule.")
@_STDIN_FILENAME
@_config_options
@_batch_options
@_output_options
@_reports_errors
def check(
    paths: tuple[str, ...],
    output_format: str,
    changed_since: str | None,
    changed_lines_only: bool,
    committed: Path | None,
    only_rules: tuple[str, ...],
    exit_zero: bool,
    statistics: bool,
    stdin_filename: str | None,
    quiet: bool,
    colour: str,
    **flags: Any,
) -> None:
    """Report problems without writing: spun documents, changes cleaning would make, findings.

    Exit 0 when nothing is at or above --fail-on, 1 when something is, 2 for usage or
    input errors. PATH '-' reads standard input (name it with --stdin-filename).
    """
    from cleaner.checks import failing, only_lines, problems_of, stale_output, stale_records
    from cleaner.emit.formats import render, statistics as per_rule, summary

    run = _pop_batch_options(flags, quiet=quiet)
    config = _config(**flags)
    if changed_lines_only and not changed_since:
        raise click.UsageError("--changed-lines-only needs --changed-since")
    if statistics and output_format != "text":
        raise click.UsageError("--statistics is a text view; leave out --format or use --format text")
    reads_stdin = _stdin_paths(paths, stdin_filename)
    if reads_stdin and (changed_since or committed is not None):
        raise click.UsageError("standard input has no git history or committed output: drop --changed-since/--against")
    targets: Sequence[str] = paths
    if changed_since:
        from cleaner import vcs

        targets = [p.as_posix() for p in vcs.changed_files(changed_since, list(paths)) if config.wants(p.as_posix())]
    if reads_stdin:
        batch = BatchResult(results=[(_stdin(stdin_filename, config), None)])
    else:
        batch = _run_batch(targets, config, None, run, write=False) if targets else BatchResult()
    from cleaner.sources import is_record_file
    from cleaner.sources.stream import options_of

    problems = []
    records: dict[str, list[CleanResult]] = {}
    for result, name in batch.results:
        problems += problems_of(result, config.for_path(result.source) if reads_stdin else config)
        if committed is not None and name and is_record_file(Path(name)):
            records.setdefault(name, []).append(result)  # compared with the committed file's records below
        elif committed is not None:
            stale = stale_output(result, committed / (name or Path(result.source).name))
            problems += [stale] if stale else []
    if committed is not None:
        for name, results in records.items():
            problems += stale_records(results, committed / name, options_of(config))
    if only_rules:
        problems = [p for p in problems if any(matches_prefix(p.rule, prefix) for prefix in only_rules)]
    if changed_since and changed_lines_only:
        from cleaner import vcs

        problems = only_lines(problems, {r.source: vcs.changed_lines(changed_since, Path(r.source)) for r, _ in batch.results})
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.end_line, p.end_column, p.rule))
    rules = {rule.id: rule for rule in registry_for(config).rules}
    shown = per_rule(problems) if statistics else render(output_format, problems, batch.errors, rules)
    click.echo(shown, nl=False, color=_COLOUR[colour])
    if output_format == "text":
        _report_errors(batch.errors)
        if not quiet:
            click.echo(summary(problems, len(batch.results), batch.errors), err=True)
    sys.exit(_status(batch, 0 if exit_zero else failing(problems, Severity[config.fail_on.upper()])))


@main.command("config")
@_config_options
@_reports_errors
def show_config(**flags: Any) -> None:
    """Print the effective configuration and where each value came from."""
    config, origins = _resolve(flags)
    for key, value in config.as_table().items():
        click.echo(f"{key} = {json.dumps(value, ensure_ascii=False)}  # {origins[key.replace('-', '_')]}")


@main.group()
def rules() -> None:
    """List, show and test the rule packs."""


@rules.command("list")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False))
@_reports_errors
def rules_list(rule_dirs: tuple[str, ...]) -> None:
    """One line per rule: id, kind, safety, message."""
    for rule in registry_for(Config(rules=rule_dirs)).rules:
        click.echo(f"{rule.id}\t{rule.kind}\t{rule.applicability.label}\t{rule.message}")


@rules.command("show")
@click.argument("rule_id")
@_reports_errors
def rules_show(rule_id: str) -> None:
    """Print one rule's documentation and examples."""
    rule = registry_for(Config()).get(rule_id)
    if rule is None:
        raise CleanerError(f"no rule with id {rule_id!r}", hint="see 'cleaner rules list'")
    click.echo(f"{rule.id} ({rule.kind}, {rule.applicability.label}) from {rule.source_file}\n\n{rule.message}\n\n{rule.why}\n")
    for before, after in rule.fix_examples:
        click.echo(f"fixes: {before!r}\n   → {after!r}")
    for keep in rule.keep_examples:
        click.echo(f"keeps: {keep!r}")


@rules.command("test")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False))
@_reports_errors
def rules_test(rule_dirs: tuple[str, ...]) -> None:
    """Run every rule's own examples; exit 1 if any fails."""
    from cleaner.ruletest import check_rule_examples

    registry = registry_for(Config(rules=rule_dirs))
    failures, unavailable = [], []
    for rule in registry.rules:
        try:
            failures += check_rule_examples(rule)
        except EngineUnavailable as exc:  # a LanguageTool rule without a server: said, not failed
            unavailable.append(f"{rule.id}: not run: {exc.one_line()}")
    for failure in failures + unavailable:
        click.echo(failure, err=True)
    skipped = f", {len(unavailable)} not run (engine unavailable)" if unavailable else ""
    click.echo(f"{len(registry.rules)} rules, {len(failures)} failing example(s){skipped}")
    sys.exit(ExitStatus.FINDINGS if failures else ExitStatus.OK)


@main.command("eval")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--gold", type=click.Path(exists=True, dir_okay=False), help="Gold TSV for one spun document (the older format); without it PATHS are development-set JSON.")
@click.option("--clean", "clean_paths", multiple=True, type=click.Path(exists=True), help="With --gold: clean documents that must get 0 spin edits.")
@click.option("--folds", type=click.IntRange(min=1), default=3, show_default=True, help="Per-fold figures: passages split by site (see cleaner.evaluation.assign_folds).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--min-repaired", type=click.FloatRange(0, 1), help="Target: the least share of counted substitutions repaired (exit 1 below it).")
@click.option("--max-damaged", type=click.IntRange(min=0), help="Target: the most damaged clean spans (exit 1 above it).")
@click.option("--max-changed-per-1000", type=click.FloatRange(min=0), help="Target: the most words changed per 1,000 in clean passages (exit 1 above it).")
@_config_options
@_reports_errors
def evaluate_command(paths: tuple[Path, ...], gold: str | None, clean_paths: tuple[str, ...], folds: int, output_format: str, **flags: Any) -> None:
    """Measure spin repair on development-set passages (JSON files or folders), or on one document against a gold TSV.

    On JSON passages it prints what the development set's score.py prints (per passage, per fold,
    in total) and exits 1 when a target given by a flag is not met, 2 when a passage cannot be read.
    """
    from cleaner.evaluation import evaluate_dev_set, read_dev_set, render_text, unmet_targets

    targets = {key: flags.pop(key) for key in ("min_repaired", "max_damaged", "max_changed_per_1000")}
    if gold is not None:
        if len(paths) != 1:
            raise click.UsageError("--gold takes exactly one spun document")
        _evaluate_against_tsv(paths[0].as_posix(), gold, clean_paths, _config(**flags).with_overrides(grammar="off"))
    config = _config(**flags)
    passages, errors = read_dev_set(paths)
    if not passages and not errors:
        raise click.UsageError("no development-set passages (*.json) in the given paths; for a gold TSV use --gold")
    services = Services.for_config(config)
    report = evaluate_dev_set(passages, lambda p: clean_bytes(p.text.encode("utf-8"), f"{p.name}.txt", config, services=services).output, folds)
    click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False) if output_format == "json" else render_text(report))
    _report_errors(errors)
    unmet = unmet_targets(report.total, **targets)
    for line in unmet:
        click.echo(f"target not met: {line}", err=True)
    sys.exit(ExitStatus.ERROR if errors else ExitStatus.FINDINGS if unmet else ExitStatus.OK)


def _evaluate_against_tsv(spun: str, gold: str, clean_paths: tuple[str, ...], config: Config) -> NoReturn:
    """Measure spin repair on one document against its gold TSV (only spin edits are judged) and exit."""
    from cleaner.evaluation import evaluate, read_gold

    result = evaluate(_clean_one(spun, config), read_gold(Path(gold)))
    click.echo(f"{spun}: {result.repaired}/{result.required} required spans repaired ({result.rate:.1%}), {len(result.missed)} missed, "
               f"{result.optional_repaired} optional spans repaired, {len(result.outside)} edit(s) outside annotated spans")
    click.echo(f"word error rate against gold: before {result.wer_before:.4f}, after {result.wer_after:.4f}")
    for missed in result.missed:
        click.echo(f"  missed: {missed}")
    for outside in result.outside:
        click.echo(f"  outside: {outside}")
    spin_edits_on_clean = 0
    from cleaner.discovery import collect_inputs

    for path in collect_inputs([Path(p) for p in clean_paths]).files:
        clean_result = _clean_one(path.as_posix(), config)
        count = sum(1 for p, _ in clean_result.log.applied if p.stage == "spin")
        spin_edits_on_clean += count
        click.echo(f"{path}: {count} spin edit(s)")
    sys.exit(ExitStatus.FINDINGS if result.outside or spin_edits_on_clean else ExitStatus.OK)


@main.group()
def cache() -> None:
    """Manage the result cache."""


@cache.command("clean")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="The cache folder (default: the user's cache folder, or CLEANER_CACHE_DIR).")
@_reports_errors
def cache_clean(cache_dir: Path | None) -> None:
    """Remove the cache folder and every result in it."""
    from cleaner.cache import ResultCache

    results = ResultCache(cache_dir)
    click.echo(f"removed {results.folder} ({results.clean()} result(s))", err=True)


@main.group("spin")
def spin_group() -> None:
    """Spin repair tools: mine a spun corpus for new rules."""


@spin_group.command("mine")
@click.argument("corpus", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "output_path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The rule-pack TOML file to write.")
@click.option("--assume-spun", is_flag=True, help="Mine every document, not only those the spin detector judges spun.")
@click.option("--pack-id", default="spin.mined", show_default=True, help="The [pack] id of the written pack.")
@click.option("--min-documents", type=click.IntRange(min=1), default=2, show_default=True, help="Documents a substitution must recur in.")
@click.option("--min-share", type=click.FloatRange(0, 1), default=0.6, show_default=True, help="Share of the spun form's occurrences the same candidate must win.")
@click.option("--min-margin", type=float, default=1.0, show_default=True, help="Context-fit margin (natural log) a candidate must beat the spun form by to win an occurrence.")
@_config_options
@_reports_errors
def spin_mine(corpus: tuple[Path, ...], output_path: Path, assume_spun: bool, pack_id: str, min_documents: int, min_share: float, min_margin: float, **flags: Any) -> None:
    """Find substitutions that recur across spun documents and write them as rules to review.

    Candidates come from the thesaurus and from the spinner dictionaries given with
    --spin-dictionary; swaps the spin rules already undo are skipped. Exit 2 if a file could not be read.
    """
    from cleaner.fileio import write_atomically
    from cleaner.spin.mine import Thresholds, mine_corpus

    thresholds = Thresholds(min_documents=min_documents, min_occurrences=min_documents, min_share=min_share, min_margin=min_margin)
    result = mine_corpus(corpus, _config(**flags), assume_spun=assume_spun, thresholds=thresholds, pack_id=pack_id)
    write_atomically(output_path, result.pack)
    _report_errors(result.errors)
    for line in result.left_out:
        click.echo(f"left out: {line}", err=True)
    click.echo(f"wrote {output_path}: {len(result.rules)} rule(s) from {result.spun} of {result.documents} document(s) judged spun", err=True)
    sys.exit(ExitStatus.ERROR if result.errors else ExitStatus.OK)


@main.group("languagetool")
def languagetool_group() -> None:
    """A local LanguageTool server, assembled from Maven Central (Maven and Java 17+)."""


_LT_DIR = click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))


@languagetool_group.command("build")
@_LT_DIR
@_reports_errors
def languagetool_build(folder: Path | None) -> None:
    """Copy the pinned pom.xml into FOLDER and let Maven put LanguageTool's jars there.

    FOLDER defaults to languagetool-VERSION in the user's data folder.
    """
    from cleaner.engines import languagetool_server as server

    built = server.build(folder or server.default_dir())
    click.echo(f"LanguageTool {server.pinned_version()} assembled in {built}; start it with: cleaner languagetool serve {built}", err=True)


@languagetool_group.command("serve")
@_LT_DIR
@click.option("--port", type=click.IntRange(1, 65535), default=8081, show_default=True, help="The loopback port to listen on.")
@_reports_errors
def languagetool_serve(folder: Path | None, port: int) -> None:
    """Run the LanguageTool server built in FOLDER on 127.0.0.1 until stopped (Ctrl-C).

    Then pass --languagetool-url http://127.0.0.1:PORT (or set CLEANER_LANGUAGETOOL_URL).
    """
    from cleaner.engines import languagetool_server as server

    command = server.server_command(folder or server.default_dir(), port)
    click.echo(f"serving LanguageTool on http://127.0.0.1:{port}: {' '.join(command)}", err=True)
    sys.stdout.flush()
    os.execv(command[0], command)  # the server replaces this process, so a signal to it stops LanguageTool


@languagetool_group.command("status")
@click.option("--url", default=lambda: os.environ.get("CLEANER_LANGUAGETOOL_URL") or "http://127.0.0.1:8081", show_default="CLEANER_LANGUAGETOOL_URL or http://127.0.0.1:8081", help="The server to ask.")
@click.option("--wait", "wait_seconds", type=click.FloatRange(min=0), default=0, help="Keep asking for this many seconds (while a server starts).")
@_reports_errors
def languagetool_status(url: str, wait_seconds: float) -> None:
    """Say which LanguageTool answers at URL (exit 2 when none does)."""
    from cleaner.engines import languagetool_server as server

    click.echo(f"LanguageTool {server.wait_until_ready(url, wait_seconds)} at {url}")
