"""The two exceptions danmark raises for bad input, and its warning classes.

* :class:`DataError` -- something is wrong in the *data*: the counts, tables
  and files a function analyses (a negative count, k > n, a malformed
  download). The message says where: file, row, column.
* :class:`ArgumentError` -- something is wrong in a *setting* passed to a
  function: a ``level`` outside (0, 1), an unknown ``method``, ``top`` < 1, a
  ``size`` beyond the work cap, a ``reference`` rate outside (0, 1), a seed
  numpy cannot use. The message names the argument.

Both are :class:`ValueError` subclasses and neither is a subclass of the
other, so ``except ValueError`` catches both and ``except DataError`` catches
only bad data. The command line prints either as one Danish line.
"""

from __future__ import annotations

__all__ = ["ArgumentError", "DataError", "CommandError", "ReaderWarning", "NationalTotalWarning", "WARNING_LEADS",
           "warning_line", "danish_warnings"]


class DataError(ValueError):
    """Malformed or impossible input: the message says what was wrong and where.

    ``DataError`` is a :class:`ValueError`, so ``except ValueError`` still works.
    The optional attributes locate the problem for programmatic use.

    Parameters
    ----------
    message : str
        What was wrong, in plain words.
    file, row, column : optional
        Where it was found. ``row`` is 1-based as a spreadsheet shows it
        (the header is row 1 in a file) or the 0-based position in an array.

    Examples
    --------
    >>> from danmark import DataError
    >>> try:
    ...     raise DataError("aendret + hjemvist > n", file="x.csv", row=7, column="hjemvist")
    ... except ValueError as err:
    ...     print(err)
    x.csv, row 7, column 'hjemvist': aendret + hjemvist > n
    """

    def __init__(self, message: str, *, file=None, row=None, column=None):
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        where = []
        if file is not None:
            where.append(str(file))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        self.message = message
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class ArgumentError(ValueError):
    """A bad setting: a level, method, reference rate, draw count or seed that cannot be used.

    Raised by the argument checks in ``danmark._validate`` (and everywhere an
    option is checked), never for the counts themselves: those are
    :class:`DataError`. ``column`` names the argument, as ``DataError`` does.

    Examples
    --------
    >>> import danmark
    >>> try:
    ...     danmark.binomial_ci(3, 10, level=95)
    ... except danmark.ArgumentError as err:
    ...     print(err)
    argument 'level': level must be a number strictly between 0 and 1; got 95
    """

    def __init__(self, message: str, *, column=None, file=None, row=None):
        self.file = None
        self.row = None
        self.column = column
        self.message = message
        super().__init__(f"argument {column!r}: {message}" if column is not None else message)


class ReaderWarning(UserWarning):
    """A file was read, but something about it deserves the analyst's attention.

    Issued (once per call) when a check could not be made or rows were left
    out on purpose: a file whose counts cannot be checked against a total,
    rows for regions and landsdele that were skipped, or rows of a Talportal
    download whose counts cannot be recovered from the measures ticked.
    """


class NationalTotalWarning(UserWarning):
    """Rows for Hele landet (kommunekode "000") were left out of a unit-level analysis.

    The national total is the sum of all kommuner, so it is the reference the
    kommuner are compared with, never one more unit among them.
    """


class CommandError(Exception):
    """A mistake on the ``danmark`` command line itself, worded in Danish and printed as it is.

    Raised by the commands (``danmark.cli`` and the modules that add a command to it, such as
    ``danmark tabel``); the library's own functions raise :class:`DataError` or :class:`ArgumentError`.
    """


#: a short Danish lead for each of danmark's warnings (by class name: the classes live in their modules)
WARNING_LEADS = {
    "ReaderWarning": "filen er læst, men med et forbehold",
    "NationalTotalWarning": "landstallet (Hele landet) er holdt uden for kommunerne",
    "PoolingWarning": "kommunerne spreder sig ikke mere end tilfældigheden, så forhåndsfordelingen er fuld pulje",
    "NPMLEWarning": "den ikke-parametriske forhåndsfordeling er ikke løst til sit optimum",
    "MissingPeriodsWarning": "perioder mangler i sammenlægningen",
    "MissingSourceWarning": "figuren mangler en kildelinje (»Kilde: …«)",
}


def warning_line(message, category=UserWarning) -> str:
    """The one Danish line a reader sees for one of danmark's warnings, with the library's English detail.

    As for errors (the CLI's ``error_line``): a Danish lead for the kind of warning, never mixing
    languages within a phrase, and the library's message in parentheses, marked as English.

    Examples
    --------
    >>> warning_line("left out 8 of 19 cells", ReaderWarning)
    'danmark: bemærk: filen er læst, men med et forbehold (engelsk detalje: left out 8 of 19 cells)'
    """
    lead = WARNING_LEADS.get(getattr(category, "__name__", ""), "en advarsel fra danmark")
    return f"danmark: bemærk: {lead} (engelsk detalje: {' '.join(str(message).split())})"


def danish_warnings() -> None:
    """Show danmark's warnings as one Danish line each (:func:`warning_line`) from now on, in this process.

    For a notebook on a reader's own download: its setup cell calls this, so a reader warning
    reads "danmark: bemærk: filen er læst, men med et forbehold (engelsk detalje: …)" instead
    of a Python warning with a file name and line number. Other packages' warnings are shown as
    before. Calling it twice changes nothing.

    Examples
    --------
    >>> import warnings
    >>> danish_warnings()
    >>> warnings.showwarning.__name__
    '_show_danish'
    """
    import sys
    import warnings

    if getattr(warnings.showwarning, "__name__", "") == "_show_danish":
        return
    previous = warnings.showwarning

    def _show_danish(message, category, filename, lineno, file=None, line=None):
        if getattr(category, "__module__", "").startswith("danmark"):
            print(warning_line(message, category), file=sys.stderr if file is None else file)
        else:
            previous(message, category, filename, lineno, file, line)

    warnings.showwarning = _show_danish
