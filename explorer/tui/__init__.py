"""Textual TUI: a walkthrough you can step, rewind and race."""
