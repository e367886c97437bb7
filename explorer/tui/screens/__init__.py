"""The TUI's screens: the explorer itself and its modal helpers."""
