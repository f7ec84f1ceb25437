"""Where a corpus repository keeps things: one place so no stage hard-codes a path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ENGINE = Path(__file__).resolve().parent
"""The engine (``scholion/``): its code, default theme, schemas and catalogues, which a new
version may change, so every fingerprint and cache key covers it."""

THEME = ENGINE / "theme"
"""The default theme, ``templates/`` and ``static/``, which a corpus overrides file by file."""

SCHEMAS = ENGINE / "schemas"
"""The JSON Schemas of the engine's version; a corpus keeps a copy in its ``schemas/`` for
editors (``scholion schemas`` writes it)."""


@dataclass(frozen=True, slots=True)
class Project:
    """The directories of one corpus repository; a value, so tests can point it at a fixture."""

    root: Path
    output: Path

    @classmethod
    def at(cls, root: Path | str, output: Path | str | None = None) -> Project:
        base = Path(root).resolve()
        out = Path(output).resolve() if output else base / "_site"
        return cls(base, out)

    @property
    def config_file(self) -> Path:
        return self.root / "site_config.yaml"

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"

    @property
    def locales(self) -> Path:
        """The corpus's own message catalogues, adding or overriding interface languages."""
        return self.root / "locales"

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"

    @property
    def sources(self) -> tuple[Path, ...]:
        """What the build reads and must never write, replace or delete."""
        return (
            self.config_file,
            self.content,
            self.templates,
            self.static,
            self.locales,
            self.root / ".git",
        )

    def relative(self, path: Path) -> str:
        """The path as contributors see it in messages: relative to the repository, with slashes."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
