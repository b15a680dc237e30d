"""Options as the command line gives them, checked before a command parses them: an option
that takes one value given twice with different values, an option given a blank value, and
an option spelt as it was before it was renamed are usage errors (exit 2).

Click keeps the last value of a repeated option; wpq refuses to guess which one was meant.
The check reads each command's parameters from Click, so it covers every option of every
command, whoever declares it.
"""

# No `from __future__ import annotations`: Typer reads annotations as objects.
from collections.abc import Sequence
from typing import Any

import typer
from typer import BadParameter
from typer._click import Command, Context
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.core import TyperOption as Option

from ..errors import UsageError

# Old spellings of renamed options -> (commands that no longer take them, what to write):
# each option name means one thing in every command.
RENAMED = {
    "--by": (("pledges",), "who made a pledge is --pledger ORG (--by groups money)"),
    "--in": (("show", "search", "cite"), "use --collection COLLECTION (--in converts money)"),
}
# Options whose empty value has its own error: an empty path is a data error (exit 1).
_PATH_METAVARS = ("PATH", "FILE")


class CheckedGroup(TyperGroup):
    """wpq's group of commands: the command named is checked (``check``) before it runs."""

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not ctx.resilient_parsing:  # not while completing
            check(command, rest, ctx)
        return name, command, rest


class CheckedCommand(TyperCommand):
    """A command run without the group (``cli.command_alone``): it makes the group's checks
    (``check``) before it parses its arguments, and has its help tidied (``helptext``) when
    that can show: in help, and for the names of its arguments in messages."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if any(isinstance(p, TyperArgument) for p in self.params):  # "Missing argument 'ID'"
            self._tidy()
        if not ctx.resilient_parsing:
            check(self, args, ctx)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: Context, formatter: Any) -> None:
        self._tidy()
        super().format_help(ctx, formatter)

    def _tidy(self) -> None:
        from .helptext import tidy  # tidying twice changes nothing

        tidy(self)


def check(command: Command, args: Sequence[str], ctx: Context | None = None) -> None:
    """Refuse ``args`` when they give an option that takes one value twice with different
    values, or an option a blank value, or an option by its old name (``RENAMED``); a
    subcommand's arguments are checked against the subcommand."""
    options = _options(command)
    seen: dict[str, tuple[str, str]] = {}
    position = 0
    while position < len(args):
        arg = args[position]
        position += 1
        if arg == "--":
            return
        flag, equals, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        option = options.get(flag)
        if option is None:
            if isinstance(command, TyperGroup) and not arg.startswith("-"):
                sub = command.get_command(ctx, arg) if ctx is not None else None
                if sub is not None:
                    check(sub, args[position:], ctx)
                    return
            _refuse_renamed(command, flag)
            continue
        if option.is_flag or option.count:
            value = "off" if flag in option.secondary_opts else "on"
        elif not equals:
            taken = args[position : position + option.nargs]
            position += option.nargs
            value = " ".join(taken)
        if option.multiple or option.count:
            _refuse_blank(option, flag, value)
            continue
        _refuse_blank(option, flag, value)
        name = option.name or flag
        before = seen.setdefault(name, (flag, value))
        if before[1].casefold() != value.casefold():
            raise UsageError(
                f"{flag} given twice ({before[1]!r} and {value!r}): it takes one value"
            )


def year(text: str, hint: str = "") -> int:
    """A year as an option gives it: 1000 to 9999, as a date in the data has it."""
    try:
        value = int(text.strip())
    except ValueError:
        raise BadParameter(f"'{text}' is not a year such as 2015{hint}") from None
    if not 1000 <= value <= 9999:
        raise BadParameter(f"{text} is not a year from 1000 to 9999")
    return value


def years_option(flag: str, help: str, hint: str = "") -> Any:
    """The declaration of an option that takes a year (``year``)."""
    return typer.Option(
        None, flag, help=help, metavar="YEAR", show_default=False, parser=lambda t: year(t, hint)
    )


def _options(command: Command) -> dict[str, Option]:
    """Each spelling of each option of ``command`` -> the option."""
    found: dict[str, Option] = {}
    for param in command.params:
        if isinstance(param, Option):
            for spelling in (*param.opts, *param.secondary_opts):
                found[spelling] = param
    return found


def _refuse_blank(option: Option, flag: str, value: str) -> None:
    if option.is_flag or option.count or value.strip():
        return
    if not value and (option.metavar in _PATH_METAVARS or _is_path(option)):
        return  # the loader or the writer says "empty path" (exit 1)
    raise UsageError(f"{flag} needs a value, not {value!r}")


def _is_path(option: Option) -> bool:
    from typer._click.types import File
    from typer.models import TyperPath

    return isinstance(option.type, TyperPath | File)


def _refuse_renamed(command: Command, flag: str) -> None:
    commands, instead = RENAMED.get(flag, ((), ""))
    if command.name in commands:
        raise UsageError(f"wpq {command.name} has no {flag} any more: {instead}")
