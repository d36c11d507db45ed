"""Domain code for the published models: what their patterns mean and how
their behaviour is scored."""
