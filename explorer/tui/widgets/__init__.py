"""The TUI's widgets: one widget a module, each drawing a part of a :class:`Snapshot`."""
