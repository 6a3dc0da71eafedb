"""Adapters: one module per command for mlcourse.cli's registry (logic in mlcourse.prep.cli)."""
