"""The settings: config (each setting, its value and where it comes from), config set, config init."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from readlog.errors import ReadlogError
from readlog.journal import Journal


@dataclass
class Setting:
    name: str
    value: object  # None: not set
    source: str  # option, environment, config file, default...


def config_file() -> Path:
    """Where the config file is (or would be): READLOG_CONFIG, else the user config dir's."""
    from readlog import config as settings

    return settings.config_path()


def show_settings(journal: Journal) -> list[Setting]:
    """Every setting with its value and where the value comes from (the journal's folder for a default
    data dir: where the journal really is). A config file that cannot be read is an error naming it."""
    from readlog import config as settings

    found = []
    for key in settings.KEYS.values():
        value, source = settings.source(key.name)
        if key.name == "data_dir" and source == "default":
            value = journal.root
        found.append(Setting(key.name, value, source))
    return found


def set_setting(name: str, value: str) -> tuple[Path, object]:
    """Set one setting in the config file (made if there is none): the file, and the value as kept."""
    from readlog import config as settings

    return settings.set_setting(name, value)


def folder_named(path: Path, name: str, kept: object) -> Path | None:
    """The whole path a relative folder setting `kept`, just set in the config file at `path`, names (it
    is taken from the file's folder); None when the setting is no folder or not relative."""
    from readlog import config as settings

    key = settings.KEYS.get(name)
    if key is None or not key.folder or not isinstance(kept, str) or not kept.strip():
        return None
    if Path(kept).expanduser().is_absolute():
        return None
    return settings.resolved_from(path, kept)


def init_config(force: bool = False) -> Path:
    """Write a config file with every setting commented out; never over one that is there unless `force`."""
    from readlog import config as settings
    from readlog.files import atomic_write

    path = settings.config_path()
    if path.exists() and not force:
        raise ReadlogError(f"{path} is there already: edit it, or pass --force to start again")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, settings.template())
    return path
