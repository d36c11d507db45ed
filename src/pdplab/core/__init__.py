"""The engine: networks, passes, learning rules, optimizers, training, records."""

#: The default limit on the memory a run's records may take, in GB (a light module: the
#: command line reads it before numpy is loaded).
RECORD_LIMIT_GB = 4.0
