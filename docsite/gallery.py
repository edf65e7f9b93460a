"""The gallery: every model in ``examples/``, run when the site is built.

A gallery model starts with a header of comment lines: a title, a description in
Markdown, and ``key: value`` lines::

    # First-order decay with units
    #
    # What the model shows, in a sentence or two.
    #
    # section: Science
    # executors: instant deferred workflow
    # files: concentrations.csv
    # then: decay_update.vm
    # show: texts log k
    # env: DATASTORE_CONFIG=datastore.yaml

``section`` is the gallery section the model is listed in (one of ``SECTIONS``);
``executors`` names every executor the model runs in (the tests run it in each and
compare the output with the page); ``files`` names the data files it reads, which lie
beside it; ``then`` names files run after it with ``-u UUID`` in workflow mode, each
one extending the same stored model. Files named by ``then`` are steps, not models of
their own. ``show`` is a command run last, whose output the page shows too (``UUID``
in it is the model's UUID); ``env`` sets an environment variable for every command.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from docsite.running import Outcome, run_command

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXECUTORS = ("instant", "deferred", "workflow")
#: the gallery's sections, in the order the site lists them
SECTIONS = ("Basics", "Data and Python", "Science", "Workflows")
UUID_LINE = re.compile(r"^program UUID: ([0-9a-f]{32})$", re.MULTILINE)
VIEW_FILE = re.compile(r"^View written to (\S+\.png)$", re.MULTILINE)


@dataclass(frozen=True)
class Example:
    """A gallery model and what its header says about it."""

    path: Path
    title: str
    description: str
    executors: tuple[str, ...]
    files: tuple[str, ...]
    steps: tuple[str, ...]
    shows: tuple[str, ...] = ()
    env: tuple[str, ...] = ()
    section: str = SECTIONS[0]

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def plain_title(self) -> str:
        """The title without Markdown code marks, for the navigation."""
        return self.title.replace("`", "")


@dataclass(frozen=True)
class Step:
    """One command of an example's run and what it printed."""

    command: str
    outcome: Outcome


def _header(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[1:].removeprefix(" ").rstrip())
    return lines


def read_example(path: Path) -> Example:
    """An example from its header; a header without title or executors is an error."""
    lines = _header(path.read_text(encoding="utf-8"))
    fields: dict[str, tuple[str, ...]] = {
        "executors": (),
        "files": (),
        "then": (),
        "show": (),
        "env": (),
        "section": (),
    }
    prose = []
    for line in lines[1:]:
        key, colon, value = line.partition(":")
        if colon and key in ("show", "section"):
            fields[key] += (value.strip(),)
        elif colon and key in fields:
            fields[key] += tuple(value.split())
        else:
            prose.append(line)
    if not lines or not lines[0] or not fields["executors"]:
        raise ValueError(f"{path.name}: the header needs a title and an 'executors:' line")
    unknown = set(fields["executors"]) - set(EXECUTORS)
    if unknown:
        raise ValueError(f"{path.name}: unknown executors {sorted(unknown)}")
    section = " ".join(fields["section"]) or SECTIONS[0]
    if section not in SECTIONS:
        raise ValueError(f"{path.name}: the section is one of {SECTIONS}, not {section!r}")
    if fields["then"] and fields["executors"] != ("workflow",):
        raise ValueError(f"{path.name}: 'then:' steps extend a stored model: workflow only")
    return Example(
        path=path,
        title=lines[0],
        description="\n".join(prose).strip(),
        executors=fields["executors"],
        files=fields["files"],
        steps=fields["then"],
        shows=fields["show"],
        env=fields["env"],
        section=section,
    )


def examples(directory: Path = EXAMPLES) -> list[Example]:
    """Every gallery model, by section and title; step files are part of their model."""
    paths = sorted(directory.glob("*.vm"))
    steps = {
        step
        for path in paths
        for line in _header(path.read_text(encoding="utf-8"))
        if line.startswith("then:")
        for step in line.removeprefix("then:").split()
    }
    found = [read_example(path) for path in paths if path.name not in steps]
    return sorted(found, key=lambda e: (SECTIONS.index(e.section), e.plain_title.casefold()))


def run_example(example: Example, executor: str, workdir: Path) -> list[Step]:
    """Run the model (and its steps) in ``workdir`` as a reader would type it."""
    directory = example.path.parent
    for name in (example.path.name, *example.files, *example.steps):
        shutil.copy(directory / name, workdir / name)
    command = f"texts {example.path.name}"
    if executor != "instant":
        command += f" -m {executor}"
    if executor == "workflow":
        command += " -r"
    environment = dict(setting.split("=", 1) for setting in example.env)
    steps = [Step(command, run_command(command, workdir, environment))]
    found = UUID_LINE.search(steps[0].outcome.text)
    uuid = found.group(1) if found else "UUID"
    for step in example.steps:
        follow = f"texts {step} -m workflow -r -u {uuid}"
        steps.append(Step(follow, run_command(follow, workdir, environment)))
    for show in example.shows:
        shown = show.replace("UUID", uuid)
        steps.append(Step(shown, run_command(shown, workdir, environment)))
    return steps


def printed_output(steps: list[Step]) -> list[str]:
    """What the steps printed, without the UUIDs that differ from run to run."""
    return [UUID_LINE.sub("program UUID: <uuid>", step.outcome.text) for step in steps]


def _fence(language: str, text: str, title: str = "") -> list[str]:
    ticks = "````" if "```" in text else "```"
    opening = f"{ticks}{language}" + (f' title="{title}"' if title else "")
    return [opening, text.rstrip("\n"), ticks, ""]


def render_page(example: Example, steps: list[Step]) -> str:
    """The gallery page of one example: description, source, data, output and plots."""
    lines = [
        "<!-- Generated from examples/ when the site is built; do not edit. -->",
        "",
        f"# {example.title}",
        "",
        example.description,
        "",
        f"Runs in: {', '.join(example.executors)}. Source: `examples/{example.path.name}`.",
        "",
    ]
    for name in (example.path.name, *example.steps):
        text = (example.path.parent / name).read_text(encoding="utf-8")
        lines += _fence("texts", text, name)
    for name in example.files:
        text = (example.path.parent / name).read_text(encoding="utf-8")
        language = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(Path(name).suffix, "text")
        lines += [f"Data file `{name}`, beside the model:", "", *_fence(language, text, name)]
    lines += ["## Output", ""]
    exports = "".join(f"$ export {setting}\n" for setting in example.env)
    transcript = exports + "\n".join(
        f"$ {step.command}\n{step.outcome.text.rstrip()}" for step in steps
    )
    lines += _fence("console", transcript)
    for step in steps:
        for image in VIEW_FILE.findall(step.outcome.text):
            lines += [f"![{image}]({image})", ""]
    return "\n".join(lines)


def index_page(found: list[Example]) -> str:
    lines = [
        "<!-- Generated from examples/ when the site is built; do not edit. -->",
        "",
        "# Gallery",
        "",
        "Complete models, each run when this site is built: every page shows the model,",
        "the data files it reads, what it printed and the plots it drew. The models are",
        "in the `examples/` folder of the source tree; copy one next to its data files",
        "and run it with `texts NAME.vm`.",
        "",
    ]
    for section in SECTIONS:
        members = [example for example in found if example.section == section]
        if members:
            lines += [f"## {section}", "", "| model | what it shows |", "|---|---|"]
        for example in members:
            summary = example.description.split("\n\n")[0].replace("\n", " ")
            lines.append(f"| [{example.title}]({example.name}.md) | {summary} |")
        lines.append("")
    return "\n".join(lines)
