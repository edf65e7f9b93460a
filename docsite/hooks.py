"""MkDocs hooks: pages generated when the site is built.

- ``cli/``: one page per command of ``texts``, read from its argument parsers;
- ``gallery/``: one page per model of ``examples/``, with the output and plots of a run;
- ``<!-- generated: magic-options -->`` in a page: the options of the ``%%texts`` magic.

The nav entries named ``CLI reference`` and ``Gallery`` in ``mkdocs.yml`` are expanded
to the generated pages. A gallery model that fails stops the build.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

# MkDocs loads this file by its path, with only its own folder on sys.path: the helpers
# are imported as the package they are, from the folder above.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docsite import argparse_pages, gallery

MAGIC_OPTIONS = "<!-- generated: magic-options -->"
_runs: dict[str, tuple[str, dict[str, bytes]]] = {}


def _texts_parser() -> Any:
    from texts.cli.main import build_parser

    return build_parser()


def _nav_items(pages: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """MkDocs nav entries; a value that is a list of pages becomes a sub-section."""
    return [
        {name: _nav_items(target) if isinstance(target, list) else target} for name, target in pages
    ]


def _expand_nav(nav: list[Any], title: str, pages: list[tuple[str, Any]]) -> None:
    for index, item in enumerate(nav):
        if isinstance(item, dict) and title in item:
            if isinstance(item[title], str):
                nav[index] = {title: _nav_items(pages)}
            return


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    commands = argparse_pages.commands(_texts_parser())
    _expand_nav(
        config.nav,
        "CLI reference",
        [("Overview", "cli/index.md")] + [(c.title, f"cli/{c.slug}.md") for c in commands],
    )
    found = gallery.examples()
    sections = [
        (section, [(e.plain_title, f"gallery/{e.name}.md") for e in found if e.section == section])
        for section in gallery.SECTIONS
    ]
    _expand_nav(
        config.nav,
        "Gallery",
        [("Overview", "gallery/index.md")] + [(name, pages) for name, pages in sections if pages],
    )
    return config


def _example_key(example: gallery.Example) -> str:
    digest = hashlib.sha256()
    for name in (example.path.name, *example.files, *example.steps):
        digest.update((example.path.parent / name).read_bytes())
    return digest.hexdigest()


def _gallery_page(example: gallery.Example) -> tuple[str, dict[str, bytes]]:
    """Run the model once per content (``mkdocs serve`` rebuilds often)."""
    key = _example_key(example)
    if key not in _runs:
        with tempfile.TemporaryDirectory() as scratch:
            steps = gallery.run_example(example, example.executors[0], Path(scratch))
            failed = [step for step in steps if step.outcome.status != 0]
            if failed:
                raise PluginError(
                    f"gallery model {example.path.name} failed: "
                    f"$ {failed[0].command}\n{failed[0].outcome.text}"
                )
            images = {
                image: (Path(scratch) / image).read_bytes()
                for step in steps
                for image in gallery.VIEW_FILE.findall(step.outcome.text)
            }
            _runs[key] = (gallery.render_page(example, steps), images)
    return _runs[key]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    parser = _texts_parser()
    files.append(File.generated(config, "cli/index.md", content=argparse_pages.index_page(parser)))
    for command in argparse_pages.commands(parser):
        page = argparse_pages.command_page(command)
        files.append(File.generated(config, f"cli/{command.slug}.md", content=page))
    found = gallery.examples()
    files.append(File.generated(config, "gallery/index.md", content=gallery.index_page(found)))
    for example in found:
        page, images = _gallery_page(example)
        files.append(File.generated(config, f"gallery/{example.name}.md", content=page))
        for name, data in images.items():
            files.append(File.generated(config, f"gallery/{name}", content=data))
    return files


def on_page_markdown(markdown: str, **_: Any) -> str:
    if MAGIC_OPTIONS in markdown:
        from texts.jupyter.magic import _cell_parser

        table = "\n".join(argparse_pages.arguments_table(_cell_parser()))
        markdown = markdown.replace(MAGIC_OPTIONS, table)
    return markdown
