"""Command-line options declared in code: ``parser.add_argument("--model", default="org/x")`` (argparse) and
``@click.option("--model-id", default="org/x")`` (click). The default is the model a script loads when no flag is
given, so it is a reference like ``--model org/x`` on a command line. The option's name decides, as a flag's does:
``--model``, ``--teacher-model-id``, ``dest="model_name"`` take a model; ``--output_dir`` does not.
"""
from __future__ import annotations

import re

OPTION_CALL = re.compile(r"(?:add_argument|option)[ \t]*\(")
FLAG_ARG = re.compile(r"[rbu]?[\"'](?P<flag>--?[A-Za-z][\w-]{0,60})[\"'][ \t]*(?:,|$|\))", re.MULTILINE)
FIRST_KEYWORD = re.compile(r"(?<![\w.])[A-Za-z_]\w*[ \t]*=(?!=)")
DEFAULT = re.compile(r"(?<![\w.])default[ \t]*=[ \t]*(?:[rbu]?[\"'](?P<s>[^\"'\n]{1,300})[\"']"
                     r"|(?P<id>[A-Za-z_][\w.]{0,80})[ \t]*(?:[,)\n]|$))")
DEST = re.compile(r"(?<![\w.])dest[ \t]*=[ \t]*[\"'](?P<d>[A-Za-z_]\w{0,60})[\"']")


def option_default(text: str, pos: int, call_args) -> tuple[str, list[str], str, int, bool] | None:
    """(the option as written, the names it may be known by, the default, its offset, whether the default is an
    identifier to bind) for an option declaration at ``pos``; None when there is no declaration or no default.
    ``call_args(i)`` returns the call's argument text starting at ``i`` (bounded)."""
    m = OPTION_CALL.match(text, pos)
    if m is None:
        return None
    args = call_args(m.end())
    first_kw = FIRST_KEYWORD.search(args)
    head = args[:first_kw.start()] if first_kw else args
    flags = [f.group("flag") for f in FLAG_ARG.finditer(head)]
    if not flags:
        return None
    dest = DEST.search(args)
    names = [f.lstrip("-").replace("-", "_") for f in flags] + ([dest.group("d")] if dest else [])
    d = DEFAULT.search(args)
    if d is None:
        return None
    group = "s" if d.group("s") is not None else "id"
    value = d.group(group)
    if value in ("None", "True", "False"):
        return None
    shown = next((f for f in flags if f.startswith("--")), flags[0])
    return shown, names, value, m.end() + d.start(group), group == "id"
