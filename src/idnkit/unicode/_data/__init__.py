"""Generated Unicode tables (``tools/gen_tables.py``); see each module's header."""
