"""The engine: networks, passes, learning rules, optimizers, training, records."""
