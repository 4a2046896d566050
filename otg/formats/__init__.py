"""Date and time formats per language (FORMAT_MODULE_PATH): one format each, on every page, mail and feed."""
