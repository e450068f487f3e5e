#!/usr/bin/env python3
"""Writes the man page from the command definitions: reads `statuslab --experimental-dump-help`
(swift-argument-parser's description of every command, argument and option) on stdin and prints
an mdoc(7) page. The page in assets/man/statuslab.1 is made with

    statuslab --experimental-dump-help | scripts/generate-manual.py > assets/man/statuslab.1

and a test fails when it no longer matches the commands (read it with `man -l assets/man/statuslab.1`).
"""
import json
import sys


def escape(text):
    """Text safe in an mdoc line: backslashes doubled, a leading dot or quote guarded."""
    text = " ".join(str(text).split()).replace("\\", "\\e")
    return "\\&" + text if text[:1] in ".'" else text


def argument_usage(argument):
    if argument["kind"] == "positional":
        word = f"Ar {argument['valueName']}" + (" ..." if argument.get("isRepeating") else "")
    else:
        name = argument["preferredName"]
        flag = ("Fl -" if name["kind"] == "long" else "Fl ") + name["name"]
        word = flag + (f" Ar {argument['valueName']}" if argument["kind"] == "option" else "")
    return f"Op {word}" if argument.get("isOptional") else word


def visible(arguments):
    return [a for a in arguments or [] if a.get("shouldDisplay", True)
            and a.get("preferredName", {}).get("name") not in ("help", "version")]


def command_section(command, path, lines):
    lines.append(f".Ss {' '.join(path)}")
    if command.get("abstract"):
        lines.append(escape(command["abstract"]))
    arguments = visible(command.get("arguments"))
    lines.append(".Pp")
    lines.append(f".Nm {' '.join(path[1:])}")
    for argument in arguments:
        lines.append("." + argument_usage(argument))
    if command.get("discussion"):
        lines.append(".Pp")
        lines.append(escape(command["discussion"]))
    if arguments:
        lines.append(".Bl -tag -width 6n")
        for argument in arguments:
            if argument["kind"] == "positional":
                lines.append(f".It Ar {argument['valueName']}")
            else:
                names = ", ".join(("--" if n["kind"] == "long" else "-") + n["name"] for n in argument["names"])
                value = f" Ar {argument['valueName']}" if argument["kind"] == "option" else ""
                lines.append(f".It {names}{value}")
            text = argument.get("abstract", "")
            if argument.get("defaultValue"):
                text += f" (default: {argument['defaultValue']})"
            lines.append(escape(text) if text else "")
        lines.append(".El")
    for sub in command.get("subcommands", []):
        if sub.get("shouldDisplay", True) and sub["commandName"] != "help":
            command_section(sub, path + [sub["commandName"]], lines)


def main():
    tool = json.load(sys.stdin)["command"]
    lines = [
        ".Dd December 1, 2026",
        ".Dt STATUSLAB 1",
        ".Os",
        ".Sh NAME",
        ".Nm statuslab",
        ".Nd " + escape(tool.get("abstract", "")),
        ".Sh SYNOPSIS",
        ".Nm",
        ".Op Fl -content Ar dir",
        ".Op Ar command",
        ".Sh DESCRIPTION",
        escape(tool.get("discussion", "")),
        ".Pp",
        "Every command takes",
        ".Fl -content Ar dir",
        "to use another content folder (an instructor's pack) instead of the built-in one.",
        "Plain output is coloured only on a terminal and never when",
        ".Ev NO_COLOR",
        "is set.",
        ".Sh COMMANDS",
    ]
    for sub in tool.get("subcommands", []):
        if sub.get("shouldDisplay", True) and sub["commandName"] != "help":
            command_section(sub, ["statuslab", sub["commandName"]], lines)
    lines += [
        ".Sh ENVIRONMENT",
        ".Bl -tag -width Ds",
        ".It Ev STATUSLAB_THEME",
        "The interface's colours when",
        ".Fl -theme",
        "is not given: default, light, high-contrast, monochrome, or a path to a",
        ".Pa .theme",
        "file written like those in",
        ".Pa assets/themes/ .",
        ".It Ev NO_COLOR",
        "No colour anywhere, whatever the theme.",
        ".El",
        ".Sh FILES",
        ".Bl -tag -width Ds",
        ".It Pa $XDG_STATE_HOME/statuslab/",
        "Quiz progress, the Lab's history and solved exercises (else",
        ".Pa ~/.local/state/statuslab/ ) .",
        "Written atomically; a file that cannot be read is moved aside, never overwritten.",
        ".El",
        ".Sh EXIT STATUS",
        "0 on success; 1 when something asked for was not found, a check failed or content is invalid;",
        "2 for a bad plan, a bad theme or a terminal that cannot draw the interface.",
        ".Sh EXAMPLES",
        ".Dl statuslab explain 401",
        ".Dl statuslab flow auth --plain",
        ".Dl statuslab serve --port 0",
        ".Dl statuslab exercise watch",
        ".Dl statuslab check plan.yaml --format junit",
        ".Sh SEE ALSO",
        ".Xr curl 1",
    ]
    print("\n".join(line for line in lines if line is not None))


if __name__ == "__main__":
    main()
