"""Server settings: one frozen `Settings`, from flags over environment variables over a config file.

Every option has a flag (`--max-room-size`), an environment variable (`PARLEY_MAX_ROOM_SIZE`) and a
key in the TOML config file (`max-room-size = 8`, the flag without its dashes). The precedence is
flags > environment > file > defaults. A bad value, wherever it comes from, stops the server with a
one-line error naming the option (argparse's exit status 2).

Import it from here. Where each part lives:
- `settings.py`: the `Settings` dataclass and its defaults (and the room size bounds);
- `parsers.py`: the parsers of one option's value (a port, an origin, a Janus URL...);
- `options.py`: the table of options (`OPTIONS`: flag, variable, field, parser, help) and the
  command line built from it (`build_parser`);
- `load.py`: reading the environment and the config file, the rules across options, and
  `parse_command` / `load_settings`.
"""

from tornado_app.config.load import ConfigError, load_settings, parse_command, read_config_file, resolve
from tornado_app.config.options import ENV_PREFIX, LOG_FORMATS, LOG_LEVELS, OPTIONS, Option, build_parser
from tornado_app.config.settings import MAX_MESH_ROOM_SIZE, MAX_SFU_ROOM_SIZE, Settings, default_data_dir

__all__ = [
    "ENV_PREFIX", "LOG_FORMATS", "LOG_LEVELS", "MAX_MESH_ROOM_SIZE", "MAX_SFU_ROOM_SIZE", "OPTIONS",
    "ConfigError", "Option", "Settings", "build_parser", "default_data_dir", "load_settings",
    "parse_command", "read_config_file", "resolve",
]
