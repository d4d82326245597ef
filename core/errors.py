class InputError(ValueError):
    """A problem with the user's input; the message can be shown as it is."""
