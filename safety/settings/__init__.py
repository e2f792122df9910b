"""The typed sections of the config file and the settings each checker gets; below the
config, so the modules that use them never import it."""
